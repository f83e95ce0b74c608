import { countInAll, inSet } from '../index/dense-sets.js'
import { END } from '../index/posting-cursor.js'
import { CHECKPOINT_EVERY } from '../index/checkpoints.js'
import type { StoredRangeMaxima } from '../index/range-max.js'
import type { TermSpace } from '../index/term-space.js'
import type { TermPlan } from './match.js'
import type { TermSets } from './term-sets.js'

/** A required term of a query that may step over blocks: its plan and OpenTerm.reach. */
export interface SkipTerm {
  plan: TermPlan
  reach: number
}

/**
 * A term that only adds to a match's score (a glued term, a sub-word), bounded block by block by a gram
 * it never occurs without, in the same field and no more often (-1: none known, so only by its ceiling),
 * times `reach`.
 */
export interface SkipBonus {
  gram: number
  reach: number
}

/**
 * Per range of documents (see RangeMaxima), the most a document there can reach by every term's and
 * bonus's range maxima (a bonus whose gram has none, by the saturation ceiling); -Infinity where some
 * term is in no document of the range, which then holds no match.
 */
export interface RangeBounds {
  all: Float64Array
  /** The followers' and bonuses' part: with the lead's own count, what a document of the range can reach. */
  followers: Float64Array
  /** The sub-words' part only: what their real-word bonus can add in the range. */
  subwords: Float64Array
}

/**
 * How a relevance walk over every term's matches may step over whole blocks of its lead's list
 * (block-max skipping). The count is known without the walk, or made by it for a lead of several
 * grams, without scoring what it steps over. The lead's blocks with the highest
 * maxima are scored first (the seeds), so the worst document kept is high from the start. Any other
 * document scores, for each term, at most the highest maximum among that term's blocks it can lie in;
 * a lead block whose documents cannot reach the best that way is not decoded. Several words with range
 * maxima are bounded by ranges of documents instead (see RangeBounds), which the walk reads best first.
 */
export interface BlockSkip {
  /**
   * Every match's count, found before the walk; null when the lead spans several grams and has no exact
   * set (see TermSets), so only a walk can tell its matches: the walk then counts the documents it steps
   * over and passes by itself.
   */
  total: number | null
  /** The grams space, whose checkpoints open the lists' blocks. */
  space: TermSpace
  /** The lead's first checkpoint (its bounds are indexed from there). */
  first: number
  /** Per checkpoint of the lead from `first`, the most a document of its block can reach (times the terms' maxima). */
  bounds: Float64Array
  /** The same, the followers' and bonuses' part only: with the lead's own count, what a document of the block can reach. */
  followers: Float64Array
  /** The same, the sub-words' part only: what their real-word bonus can add in the block. */
  subwords: Float64Array
  /**
   * With range maxima, the bounds per range of documents instead (see RangeBounds): the walk then reads
   * the ranges best first, and `bounds`, `followers`, `subwords` and `seeds` are empty. Null without
   * range maxima, for a lone word, or when the walk must count what it steps over.
   */
  byRange: RangeBounds | null
  /** The lead's OpenTerm.reach. */
  leadReach: number
  /** Whether the lead's own set is among `sets`, so no document outside them all holds the lead with the rest. */
  leadInSets: boolean
  /** The lead's last checkpoint plus one. */
  last: number
  /** The lead's checkpoints whose blocks are scored first, ascending; -1, its first block (which has no maximum), always among them. */
  seeds: number[]
  /** The same, for the walk in document order, which steps over them. */
  seeded: Set<number>
  /**
   * The sets a match must be in (see TermSets): the followers', and the lead's when it has one (none for
   * a lone one-gram term). A read per term tells whether a document may match.
   */
  sets: Uint32Array[]
}

/**
 * How many blocks of the lead are scored first, per block of documents the walk must keep. On eleven
 * of the bench's common words at 100,000 posts, 4, 8, 16, 32 and 64 took 9.2, 8.8–12.5, 9.2–9.4, 9.7
 * and 13.8 ms in all.
 */
const SEED_BLOCKS_PER_BLOCK_KEPT = 16

/**
 * Each follower adds its own block maxima to a block's bound, and they come from different documents,
 * so with more words fewer blocks are stepped over; inside a block the lead's exact count still spares
 * most documents the followers' postings. On the bench's log at 100,000 posts, allowing three followers
 * instead of one took 2.4% off the log's time (新 中 合作 成果 4.0 → 2.6 ms, 月 9 日 3.1 → 1.4); nine
 * instead of three changed nothing measurable. Longer queries walk as before.
 */
const MAX_FOLLOWERS = 3

/**
 * The rarest gram of a Han word (each two touching characters of it make one), or -1 when one is
 * missing: every occurrence of the word holds each of its grams, in the same field.
 */
export function rarestGramOf(grams: TermSpace, word: string): number {
  const chars = Array.from(word)
  let rarest = -1
  for (let i = 0; i + 1 < chars.length; i++) {
    const gram = grams.lookup(chars[i]! + chars[i + 1]!)
    if (gram < 0) return -1
    if (rarest < 0 || grams.df(gram) < grams.df(rarest)) rarest = gram
  }
  return rarest
}

/** Whether the document is in every one of the plan's sets (in all, for a lone term: it has none). */
export function inAllSets(skip: BlockSkip, doc: number): boolean {
  const sets = skip.sets
  for (let k = 0; k < sets.length; k++) if (!inSet(sets[k]!, doc)) return false
  return true
}

/**
 * The skip plan for a query whose every term is required, in any field, alone in its clause, led by
 * `lead` (the rarest), when the index allows it: the grams carry block maxima (`maxima`, for this
 * engine's ranking, whose saturation never exceeds `saturationCeiling`), every follower has a set (see
 * TermSets: a dense gram, or a common term of several grams used before), and the lead's rarest gram
 * has blocks to step over. The sets count the matches, unless the lead has no set (a term not dense,
 * or of several grams and not used before): the walk then counts them, testing each of the lead's
 * documents against the followers' sets instead of moving their cursors there (最新 数据, 拓展 经贸: a
 * lead of a few thousand posts beside a dense word; on the bench's log at 100,000 posts, skipping
 * only under a dense lead took 3–4% more time in all). `glued` terms and `subwords` only add to a match's score:
 * they join the bounds, not the count (the sub-words are worked out only for a plan that gets this far). Null otherwise: the walk then reads every match. A lone one-gram
 * term needs no set: its list's length is the count.
 */
export function planBlockSkip(space: TermSpace, maxima: Float32Array, ranges: StoredRangeMaxima | null, saturationCeiling: number, termSets: TermSets | null, lead: SkipTerm, followers: readonly SkipTerm[], glued: readonly SkipBonus[], subwords: () => readonly SkipBonus[], kept: number): BlockSkip | null {
  if (followers.length > MAX_FOLLOWERS || lead.plan.grams.length === 0) return null
  const alone = lead.plan.grams.length === 1 && followers.length === 0
  if (!alone && termSets === null) return null
  const leadSet = alone ? null : termSets!.of(lead.plan)
  const sets: Uint32Array[] = leadSet === null ? [] : [leadSet]
  for (const t of followers) {
    const set = termSets!.of(t.plan)
    if (set === null) return null
    sets.push(set)
  }
  const leadGram = lead.plan.grams[0]!
  const first = space.checkpointRange(leadGram)
  const last = space.checkpointRange(leadGram + 1)
  if (first === last) return null
  const subs = subwords()
  const total = alone ? space.df(leadGram) : leadSet === null ? null : countInAll(sets)
  // Ranges are stepped over uncounted: only when the sets give the count and list the matches (the
  // lead's among them). A lone word's block maxima bound it as closely, without a pass over every range
  // (on the bench's one-word queries at 100,000 posts, ranges took ~0.05–0.1 ms more each).
  const byRange = ranges === null || leadSet === null || followers.length === 0 ? null : rangeBounds(ranges, saturationCeiling, lead, followers, glued, subs)
  if (byRange !== null) {
    const none = new Float64Array(0)
    return { total, space, first, last, bounds: none, followers: none, subwords: none, byRange, leadReach: lead.reach, leadInSets: leadSet !== null, seeds: [], seeded: new Set(), sets }
  }
  const bonusBounds = (bonuses: readonly SkipBonus[]): Float64Array => {
    const part = new Float64Array(last - first)
    for (const b of bonuses) {
      if (b.gram >= 0) addOverlapMaxima(space, maxima, saturationCeiling, b.gram, b.reach, first, last, part)
      else for (let c = 0; c < part.length; c++) part[c]! += b.reach * saturationCeiling
    }
    return part
  }
  const subwordBounds = bonusBounds(subs)
  const rest = bonusBounds(glued).map((g, c) => g + subwordBounds[c]!)
  for (const f of followers) addOverlapMaxima(space, maxima, saturationCeiling, f.plan.grams[0]!, f.reach, first, last, rest)
  const bounds = rest.map((r, b) => r + lead.reach * maxima[first + b]!)
  const seeds = [-1, ...highest(maxima, first, last, Math.ceil(kept / CHECKPOINT_EVERY) * SEED_BLOCKS_PER_BLOCK_KEPT)]
  return { total, space, first, last, bounds, followers: rest, subwords: subwordBounds, byRange: null, leadReach: lead.reach, leadInSets: leadSet !== null, seeds, seeded: new Set(seeds), sets }
}

/**
 * Adds to each lead block's bound the follower's reach times the highest maximum among its blocks that
 * share documents with the lead block: a document of the lead block holding the follower lies in one of
 * them. The follower's first block has no maximum, so a lead block reaching into it gets the most any
 * saturation reaches (`saturationCeiling`). Both lists' blocks come in document order: one pass over each.
 */
function addOverlapMaxima(space: TermSpace, maxima: Float32Array, saturationCeiling: number, gram: number, reach: number, first: number, last: number, bounds: Float64Array): void {
  const fFirst = space.checkpointRange(gram)
  const fLast = space.checkpointRange(gram + 1)
  const firstBlockEnd = fFirst < fLast ? space.checkpointDoc(fFirst) : END
  let d = fFirst
  for (let c = first; c < last; c++) {
    // The lead block's documents: after lo, up to hi.
    const lo = space.checkpointDoc(c)
    const hi = c + 1 < last ? space.checkpointDoc(c + 1) : END
    if (lo < firstBlockEnd) {
      bounds[c - first]! += reach * saturationCeiling
      continue
    }
    // Follower block d holds documents after checkpointDoc(d), up to checkpointDoc(d + 1).
    while (d + 1 < fLast && space.checkpointDoc(d + 1) <= lo) d++
    let most = 0
    for (let e = d; e < fLast && space.checkpointDoc(e) < hi; e++) most = Math.max(most, maxima[e]!)
    bounds[c - first]! += reach * most
  }
}

/**
 * The plan's RangeBounds, or null when a term's gram has no range maxima (a lone Han character; every
 * term's rarest gram is otherwise dense when the walk may skip).
 */
function rangeBounds(ranges: StoredRangeMaxima, saturationCeiling: number, lead: SkipTerm, followers: readonly SkipTerm[], glued: readonly SkipBonus[], subwords: readonly SkipBonus[]): RangeBounds | null {
  const leadRow = ranges.row(lead.plan.grams[0]!)
  const rows = followers.map((f) => ranges.row(f.plan.grams[0]!))
  if (leadRow === null || rows.some((row) => row === null)) return null
  const levels = ranges.levels
  const addBonuses = (bounds: Float64Array, bonuses: readonly SkipBonus[]) => {
    for (const b of bonuses) {
      const row = b.gram >= 0 ? ranges.row(b.gram) : null
      if (row === null) for (let r = 0; r < bounds.length; r++) bounds[r]! += b.reach * saturationCeiling
      else addRow(bounds, row, levels, b.reach, false)
    }
  }
  const subwordPart = new Float64Array(leadRow.length)
  addBonuses(subwordPart, subwords)
  const rest = subwordPart.slice()
  addBonuses(rest, glued)
  for (let k = 0; k < followers.length; k++) addRow(rest, rows[k]!, levels, followers[k]!.reach, true)
  const all = rest.slice()
  addRow(all, leadRow, levels, lead.reach, true)
  return { all, followers: rest, subwords: subwordPart }
}

/** Adds `reach` times each range's level of `row` to `bounds`; `required`: -Infinity where the row's gram is in no document. */
function addRow(bounds: Float64Array, row: Uint8Array, levels: Float64Array, reach: number, required: boolean): void {
  for (let r = 0; r < bounds.length; r++) {
    const level = row[r]!
    bounds[r] = required && level === 0 ? -Infinity : bounds[r]! + reach * levels[level]!
  }
}

/** How finely RangeOrder sorts the ranges by bound; NONE marks a range that cannot hold a match. */
const RANGE_BUCKETS = 1024
const NONE = 0xffff

/**
 * The ranges a walk may read (a finite bound), about best bound first: sorted by buckets of bound, so
 * in linear time. `rest[i]` is the highest bound from `order[i]` on, exact: the walk stops where it
 * cannot reach the worst kept.
 */
export interface RangeOrder {
  order: Uint32Array
  rest: Float64Array
}

export function rangeOrder(bounds: Float64Array): RangeOrder {
  let lo = Infinity
  let hi = -Infinity
  let count = 0
  for (let r = 0; r < bounds.length; r++) {
    const b = bounds[r]!
    if (b === -Infinity) continue
    count++
    if (b < lo) lo = b
    if (b > hi) hi = b
  }
  const scale = hi > lo ? (RANGE_BUCKETS - 1) / (hi - lo) : 0
  // Each range's bucket, 0 for the highest bounds (NONE: no match there); then where each bucket starts.
  const bucket = new Uint16Array(bounds.length)
  const starts = new Uint32Array(RANGE_BUCKETS + 1)
  for (let r = 0; r < bounds.length; r++) {
    const b = bounds[r]!
    const k = b === -Infinity ? NONE : RANGE_BUCKETS - 1 - Math.floor((b - lo) * scale)
    bucket[r] = k
    if (k !== NONE) starts[k + 1]!++
  }
  for (let k = 0; k < RANGE_BUCKETS; k++) starts[k + 1]! += starts[k]!
  const order = new Uint32Array(count)
  for (let r = 0; r < bounds.length; r++) if (bucket[r] !== NONE) order[starts[bucket[r]!]!++] = r
  const rest = new Float64Array(count)
  let most = -Infinity
  for (let i = count - 1; i >= 0; i--) rest[i] = most = Math.max(most, bounds[order[i]!]!)
  return { order, rest }
}

/** Up to `count` checkpoints in [from, to) with the highest maxima, in increasing order. */
function highest(maxima: Float32Array, from: number, to: number, count: number): number[] {
  if (count <= 0) return []
  // A min-heap of the best so far: most values fall below its root and cost one comparison.
  const heap = new Int32Array(Math.min(count, to - from))
  let size = 0
  const below = (a: number, b: number) => maxima[heap[a]!]! < maxima[heap[b]!]!
  const swap = (a: number, b: number) => {
    const t = heap[a]!
    heap[a] = heap[b]!
    heap[b] = t
  }
  for (let c = from; c < to; c++) {
    if (size < heap.length) {
      heap[size] = c
      for (let i = size++; i > 0 && below(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1)
      continue
    }
    if (maxima[c]! <= maxima[heap[0]!]!) continue
    heap[0] = c
    for (let i = 0; ; ) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < size && below(l, m)) m = l
      if (r < size && below(r, m)) m = r
      if (m === i) break
      swap(i, m)
      i = m
    }
  }
  return Array.from(heap.subarray(0, size)).sort((a, b) => a - b)
}
