/**
 * The scale benchmark's query log: what people would type into an archive's search box, seeded, from the
 * shared corpus and its evaluation topics. The same log is asked of every system on every corpus.
 */
import type { Document } from '../../src/ingest/document.js'
import type { Topic } from '../lib/trec.js'
import { mulberry32, randomBelow, sampleWithoutReplacement, type Random } from '../lib/prng.js'
import { jiebaWords } from '../relevance/peers/jieba-words.js'

/** Where a query came from; latencies are also reported per kind. */
export type QueryKind = 'topic' | 'common' | 'title' | 'phrase'

export interface LoggedQuery {
  kind: QueryKind
  q: string
}

/**
 * Very common words, alone and together: the queries whose posting lists span most of the corpus (的 is in
 * nearly every post), asked explicitly so the slowest case is always measured.
 */
export const COMMON_QUERIES: readonly string[] = [
  '的', '中国', '发展', '经济', '合作', '建设', '人民', '国家', '工作', '推动', '习近平', '会议', '国际', '新闻', '我们', '记者',
  '中国 发展', '经济 发展', '中国 的 发展', '推动 高质量 发展', '人民 生活', '国际 合作',
]

/** Share of the log given to titles; the rest after topics and common words is phrases. */
const TITLE_SHARE = 0.3
/** Words per phrase. */
const PHRASE_WORDS = { min: 2, max: 4 }
// Punctuation and spaces end a run of words: a phrase is words that stand next to each other in a sentence.
const CLAUSE_BREAK = /[\s\p{P}\p{S}]+/u

export interface QueryLogOptions {
  /** Queries in all (at least the topics and common words). */
  count: number
  seed: number
}

/**
 * Topics first, then the common words, then titles (distinct, drawn from all posts), then 2–4 word
 * phrases: a post, a paragraph and a clause drawn uniformly, cut by jieba, a run of consecutive words
 * joined by spaces, as a person types keywords. Documents are visited in id order, so the log depends
 * only on the corpus and the seed.
 */
export function buildQueryLog(docs: readonly Document[], topics: readonly Topic[], options: QueryLogOptions): LoggedQuery[] {
  const sorted = [...docs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const random = mulberry32(options.seed)
  const log: LoggedQuery[] = [
    ...topics.map((t): LoggedQuery => ({ kind: 'topic', q: t.query })),
    ...COMMON_QUERIES.map((q): LoggedQuery => ({ kind: 'common', q })),
  ]
  const rest = Math.max(0, options.count - log.length)
  const titles = [...new Set(sorted.map((d) => d.title.trim()).filter(Boolean))]
  for (const q of sampleWithoutReplacement(titles, Math.round(rest * TITLE_SHARE), random)) log.push({ kind: 'title', q })
  const seen = new Set(log.map((entry) => entry.q))
  for (let tries = 0; log.length < options.count; tries++) {
    if (tries > options.count * 100) throw new Error('cannot draw enough distinct phrases from the corpus')
    const q = drawPhrase(sorted, random)
    if (q && !seen.has(q)) {
      seen.add(q)
      log.push({ kind: 'phrase', q })
    }
  }
  return log
}

function drawPhrase(docs: readonly Document[], random: Random): string | null {
  const doc = docs[randomBelow(random, docs.length)]!
  if (doc.paragraphs.length === 0) return null
  const paragraph = doc.paragraphs[randomBelow(random, doc.paragraphs.length)]!
  const clauses = paragraph.split(CLAUSE_BREAK).filter(Boolean)
  if (clauses.length === 0) return null
  const words = jiebaWords(clauses[randomBelow(random, clauses.length)]!)
  const length = PHRASE_WORDS.min + randomBelow(random, PHRASE_WORDS.max - PHRASE_WORDS.min + 1)
  if (words.length < length) return null
  const start = randomBelow(random, words.length - length + 1)
  return words.slice(start, start + length).join(' ')
}
