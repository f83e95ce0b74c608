import { normalize } from '../analysis/normalize.js'
import { splitUnits } from '../analysis/units.js'
import type { ExactTitles } from './exact-titles.js'
import type { TermCursor } from './match.js'
import type { AnalyzedQuery } from './query-analysis.js'
import { PASSAGE_TERMS, type QueryContext, type ScoredTerm } from './query-plan.js'
import type { RankedIndex } from './ranked-index.js'
import { bm25f, bm25fCeiling, ceilingsHold, minGap, type RankingOptions } from './rank.js'
import { BoundedHeap, topK } from './top-k.js'

/**
 * How many of the best documents get the finer (and costlier) proximity and title scoring: ten pages of
 * ten. 200 cost 8% more time on the bench's log at 100k, for the same nDCG@10 on ../shared/eval and the
 * same first hit on every logged query.
 */
const RERANK_WINDOW = 100

/**
 * How many documents that might still reach the page get their positional bonus before the bar they
 * must reach is raised by those just scored. On the bench's query log at 100k, one batch of all of
 * them gave 32,187 documents a bonus; batches of 8 gave 26,379 (of 4, 26,095; of 16, 26,993), each
 * batch rewinding the cursors opened once for the query, for the same answers.
 */
const REACHING_BATCH = 8

/**
 * How far into the body, in units, a term's first occurrence halves its lead bonus (see
 * RankingOptions.lead): about a sentence. A story's first sentence names its subject; a passing mention,
 * or an item deep in a digest, comes later. Fitted with the weight on all the judged topic sets.
 */
const LEAD_UNITS = 25

/**
 * How many of the best documents the rerank may reorder (see byRelevance). A query of one clause has
 * no proximity to reward, so only a title that is exactly the query could lift a document: when no
 * title is, the page is already in order and the walk need only find it. Common single words, whose
 * blocks a hundredth best score lets through but a tenth best does not, are answered twice as fast.
 */
export function rerankWindow(ranked: RankedIndex, titles: ExactTitles, query: AnalyzedQuery, q: string): number {
  if (query.clauses.length !== 1) return RERANK_WINDOW
  return ranked.ranking.exactTitle > 0 && titles.anyExact(splitUnits(normalize(q)).keys) ? RERANK_WINDOW : 0
}

/**
 * The first `needed` of `top` (the best documents in relevance order), reordered after the best
 * RERANK_WINDOW get proximity and title bonuses. When `needed` reaches past the window, the rest of
 * `top` follows it as it was.
 */
export function byRelevance(context: QueryContext, exactTitles: ExactTitles, top: number[], query: string, needed: number): number[] {
  const { score } = context.scores
  const order = context.scores.relevanceOrder
  const head = top.slice(0, RERANK_WINDOW)
  const queryUnits = splitUnits(normalize(query)).keys
  // Known first, for the proximity bounds; added after the proximity bonus, so that a score's sum is always made in one order.
  const titles = head.map((doc) => exactTitles.bonus(doc, queryUnits))
  const base = head.map((doc) => score[doc]!)
  const proximity = proximityBonuses(context, head, base, titles, Math.min(needed, head.length))
  head.forEach((doc, i) => (score[doc] = (Number.isNaN(proximity[i]!) ? base[i]! : base[i]! + proximity[i]!) + titles[i]!))
  // Only the first `needed` are read: the window's others need no order (a page of 10 is most of the queries).
  if (needed < head.length) return topK(head, needed, order)
  return head.sort(order).concat(top.slice(RERANK_WINDOW))
}

/**
 * The bonus of each of `head`'s documents for consecutive query terms that occur near each other in
 * the body and for the runs typed without a space that it holds as typed, or NaN for a document that
 * cannot be among the first `needed` once reranked. The first `needed` get it; then, REACHING_BATCH at
 * a time in `head`'s order, the others that, given the largest bonus the query allows, would rank above
 * the `needed`-th best of those that have it so far (no other can). Uses `score` as scratch.
 */
function proximityBonuses(context: QueryContext, head: number[], base: number[], titles: number[], needed: number): Float64Array {
  const { ranked, scores } = context
  const { clauses, typedPlans } = context.plan
  const bonus = new Float64Array(head.length).fill(NaN)
  const near = clauses.length >= 2 && (ranked.ranking.proximity !== 0 || ranked.ranking.lead !== 0)
  if (!near && typedPlans.length === 0) return bonus.fill(0)
  const firsts = near ? clauses.map((clause) => clause.alternatives[0]!) : []
  const most = ranked.scoreEveryMatch ? Infinity : mostProximity(ranked, firsts) + mostTyped(context)
  const all = head.map((_, i) => i)
  const cursors = proximityCursors(context, firsts)
  if (!Number.isFinite(most) || needed >= head.length) {
    proximityOf(context, head, all, firsts, cursors, bonus)
    return bonus
  }
  const score = scores.score
  // The `needed` best of the documents that have their bonus: their scores no longer change.
  const best = new BoundedHeap(needed, scores.relevanceOrder)
  // Scores as the bar is measured against them: the largest bonus until a document has its own. Only the
  // documents just given a bonus change, so each batch rewrites theirs alone.
  for (let i = 0; i < head.length; i++) score[head[i]!] = base[i]! + most + titles[i]!
  let given = all.slice(0, needed)
  for (;;) {
    proximityOf(context, head, given, firsts, cursors, bonus)
    for (const i of given) {
      score[head[i]!] = base[i]! + bonus[i]! + titles[i]!
      best.offer(head[i]!)
    }
    if (!best.full) return bonus
    // The bar only rises as more documents get their bonus: the `needed`-th best of those that have one.
    const last = best.worst
    given = []
    for (let i = 0; i < head.length && given.length < REACHING_BATCH; i++) {
      if (Number.isNaN(bonus[i]!) && scores.relevanceOrder(head[i]!, last) < 0) given.push(i)
    }
    if (given.length === 0) return bonus
  }
}

/**
 * The cursors proximityOf walks: one per clause (its first alternative) and one per typed run; and, per
 * clause, where it starts in the current document's body (null: absent) and how many starts: the
 * cursors' own buffers, valid while one document is scored (each cursor matches once per document).
 */
interface ProximityCursors {
  clauses: TermCursor[]
  typed: { cursor: TermCursor; idf: number }[]
  starts: (Uint32Array | null)[]
  counts: Int32Array
}

/** Opened once per query: each batch of proximityOf rewinds them rather than opening (and growing buffers for) new ones. */
function proximityCursors(context: QueryContext, firsts: ScoredTerm[]): ProximityCursors {
  return {
    clauses: firsts.map((alt) => alt.plan.open(true)),
    typed: context.plan.typedPlans.map(({ plan, idf }) => ({ cursor: plan.open(), idf })),
    starts: new Array<Uint32Array | null>(firsts.length).fill(null),
    counts: new Int32Array(firsts.length),
  }
}

/** Fills in `bonus` for the documents of `head` at `wanted`, walking `open`'s cursors from the start once, in document order. */
function proximityOf(context: QueryContext, head: number[], wanted: number[], firsts: ScoredTerm[], open: ProximityCursors, bonus: Float64Array): void {
  const { ranking, weights } = context.ranked
  const { clauses: cursors, typed, starts, counts } = open
  for (const cursor of cursors) cursor.rewind()
  for (const t of typed) t.cursor.rewind()
  const inDocOrder = wanted.slice().sort((a, b) => head[a]! - head[b]!)
  for (let w = 0; w < inDocOrder.length; w++) {
    const i = inDocOrder[w]!
    const doc = head[i]!
    for (let c = 0; c < cursors.length; c++) {
      const cursor = cursors[c]!
      const present = cursor.matchAt(doc)
      starts[c] = present ? cursor.bodyStartBuffer : null
      counts[c] = present ? cursor.bodyStartCount : 0
    }
    let sum = firsts.length > 0 ? proximityBonus(ranking, starts, counts, firsts) : 0
    for (const t of typed) if (t.cursor.matchAt(doc)) sum += bm25f(ranking, weights, doc, t.cursor.tfTitle, t.cursor.tfBody, t.idf)
    bonus[i] = sum
  }
}

/** The most the typed runs can add to a document (see proximityOf); infinite when BM25F is unbounded. */
function mostTyped({ ranked: { ranking }, plan: { typedPlans } }: QueryContext): number {
  if (typedPlans.length === 0) return 0
  if (!ceilingsHold(ranking)) return Infinity
  return typedPlans.reduce((sum, { idf }) => sum + bm25fCeiling(ranking, idf), 0)
}

/**
 * The largest bonus proximityBonus can give for these clauses: every pair of neighbours at no gap, every
 * term at the very start of the body, and the phrase bonus when the query is passage-like. Summed in
 * proximityBonus's order, so never below it.
 */
function mostProximity(ranked: RankedIndex, firsts: readonly ScoredTerm[]): number {
  const { proximity, phrase, lead } = ranked.ranking
  if (proximity < 0 || phrase < 0 || lead < 0) return Infinity
  let most = 0
  let idfSum = 0
  for (let c = 0; c < firsts.length; c++) {
    idfSum += firsts[c]!.idf
    if (c > 0) most += proximity * Math.min(firsts[c - 1]!.idf, firsts[c]!.idf)
  }
  most += lead * idfSum
  return firsts.length >= PASSAGE_TERMS ? most + phrase * idfSum : most
}

/**
 * The bonus for one document, given where each clause's first alternative (`firsts`) starts in its body:
 * for neighbouring terms close together, for terms named at the start of the body (the lead), and for
 * a passage-like query found in order.
 */
function proximityBonus(ranking: RankingOptions, starts: readonly (Uint32Array | null)[], counts: Int32Array, firsts: readonly ScoredTerm[]): number {
  let bonus = 0
  let idfSum = 0
  // Each present term's idf, less the further into the body it first occurs: never above idfSum (see mostProximity).
  let leadSum = 0
  // Whether every term follows the previous one at once (a function word between allowed): the query as a phrase.
  let phrase = true
  let prev = -1
  for (let c = 0; c < starts.length; c++) {
    const current = starts[c]
    if (!current) {
      prev = -1
      phrase = false
      continue
    }
    const idf = firsts[c]!.idf
    idfSum += idf
    if (counts[c]! > 0) leadSum += idf / (1 + current[0]! / LEAD_UNITS)
    if (prev >= 0 && counts[prev]! > 0 && counts[c]! > 0) {
      const gap = minGap(starts[prev]!, counts[prev]!, firsts[prev]!.term.units.length, current, counts[c]!, firsts[c]!.term.units.length)
      bonus += (ranking.proximity * Math.min(firsts[prev]!.idf, idf)) / (1 + gap / 2)
      if (gap > 1) phrase = false
    } else if (prev >= 0) phrase = false
    prev = c
  }
  bonus += ranking.lead * leadSum
  // Only a passage-like query (several terms) is asking for its words in this order; a few keywords are not.
  return phrase && starts.length >= PASSAGE_TERMS ? bonus + ranking.phrase * idfSum : bonus
}
