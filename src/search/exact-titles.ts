import { normalize } from '../analysis/normalize.js'
import { splitUnits } from '../analysis/units.js'
import type { RankedIndex } from './ranked-index.js'

/** Titles of a one-clause query's length looked at for an exact one; beyond, the rerank window is kept (see ExactTitles.anyExact). */
const EXACT_TITLE_LOOKS = 64

/** Known-item search: titles that are exactly the query's text (ignoring punctuation and spaces). */
export class ExactTitles {
  /** The documents grouped by title length, made on first use (see anyExact). */
  private byLength: { start: Uint32Array; docs: Uint32Array } | undefined

  constructor(private readonly ranked: RankedIndex) {}

  /** The bonus for a title that is exactly the query's units. */
  bonus(doc: number, queryUnits: string[]): number {
    if (queryUnits.length === 0 || this.ranked.stats.titleUnits[doc] !== queryUnits.length) return 0
    const title = splitUnits(normalize(this.ranked.index.docs.title(doc))).keys
    return title.every((k, i) => k === queryUnits[i]) ? this.ranked.ranking.exactTitle * Math.log(1 + this.ranked.documentCount) : 0
  }

  /**
   * Whether some document's title may be exactly these units: only titles of that length are looked at,
   * and when there are more than EXACT_TITLE_LOOKS of them the answer is yes without looking (each look
   * decodes and folds a title, ~1.5 µs: a six-unit phrase has 12,876 titles of its length at 100k).
   */
  anyExact(queryUnits: string[]): boolean {
    const byLength = (this.byLength ??= docsByLength(this.ranked.stats.titleUnits))
    const length = queryUnits.length
    if (length === 0 || length + 1 >= byLength.start.length) return false
    const from = byLength.start[length]!
    const to = byLength.start[length + 1]!
    if (to - from > EXACT_TITLE_LOOKS) return true
    for (let i = from; i < to; i++) if (this.bonus(byLength.docs[i]!, queryUnits) > 0) return true
    return false
  }
}

/** Documents in order of their length (a counting sort): those of length L are docs[start[L], start[L + 1]). */
function docsByLength(lengths: Uint32Array): { start: Uint32Array; docs: Uint32Array } {
  let longest = 0
  for (let d = 0; d < lengths.length; d++) longest = Math.max(longest, lengths[d]!)
  const start = new Uint32Array(longest + 2)
  for (let d = 0; d < lengths.length; d++) start[lengths[d]! + 1]!++
  for (let l = 1; l < start.length; l++) start[l]! += start[l - 1]!
  const fill = start.slice()
  const docs = new Uint32Array(lengths.length)
  for (let d = 0; d < lengths.length; d++) docs[fill[lengths[d]!]!++] = d
  return { start, docs }
}
