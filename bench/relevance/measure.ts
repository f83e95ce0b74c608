/**
 * The three relevance measurements run against every system: judged topics, substring recall and title known
 * items. Each takes a built Peer and returns plain numbers, so run.ts only has to tabulate them.
 */
import type { KnownItem } from '../lib/known-items.js'
import type { SubstringSample } from '../lib/substrings.js'
import { evaluateRun, type Qrels, type RunScores, type Topic, type TopicScores } from '../lib/trec.js'
import type { Peer } from './peers/peer.js'

/** Depth of the judged-topic rankings: enough for Recall@100. */
export const TOPIC_DEPTH = 100
/** A substring sample is found when its post is within this many results. */
export const SUBSTRING_DEPTH = 1000

export interface TopicMeasure {
  mean: RunScores
  perTopic: TopicScores[]
  /** Mean wall time of one topic query, milliseconds. */
  msPerQuery: number
}

export async function measureTopics(peer: Peer, topics: readonly Topic[], qrels: Qrels): Promise<TopicMeasure> {
  const rankings = new Map<string, string[]>()
  const started = performance.now()
  for (const topic of topics) rankings.set(topic.qid, await peer.search(topic.query, TOPIC_DEPTH))
  const msPerQuery = (performance.now() - started) / Math.max(1, topics.length)
  return { ...evaluateRun(topics, qrels, rankings), msPerQuery }
}

export interface RateMeasure {
  hits: number
  total: number
  rate: number
  /** Up to a few failures, for the notes. */
  misses: { query: string; docId: string }[]
}

/** Share of samples whose source post is among the top SUBSTRING_DEPTH results for the copied run. */
export function measureSubstringRecall(peer: Peer, samples: readonly SubstringSample[]): Promise<RateMeasure> {
  return rate(samples, async (s) => (await peer.search(s.query, SUBSTRING_DEPTH)).includes(s.docId), (s) => s)
}

/** Share of posts ranked first when their exact title is the query. */
export function measureKnownItems(peer: Peer, items: readonly KnownItem[]): Promise<RateMeasure> {
  return rate(items, async (item) => (await peer.search(item.title, 1))[0] === item.docId, (item) => ({ query: item.title, docId: item.docId }))
}

async function rate<T>(
  items: readonly T[],
  found: (item: T) => Promise<boolean>,
  describe: (item: T) => { query: string; docId: string },
): Promise<RateMeasure> {
  let hits = 0
  const misses: RateMeasure['misses'] = []
  for (const item of items) {
    if (await found(item)) hits++
    else if (misses.length < 5) misses.push(describe(item))
  }
  return { hits, total: items.length, rate: items.length ? hits / items.length : Number.NaN, misses }
}
