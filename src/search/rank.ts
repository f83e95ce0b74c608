/**
 * BM25F over two fields. The defaults were tuned on the development judgments in ../shared/eval
 * (bench/relevance); changing them is rarely what a ranking problem needs.
 */
export interface RankingOptions {
  /** Term-frequency saturation. */
  k1: number
  /** Weight of a title occurrence relative to a body occurrence. */
  titleWeight: number
  /** Length normalisation per field (0 = none, 1 = full). */
  titleB: number
  bodyB: number
  /** Share of a word's own BM25F added when the term occurs as a real jieba word, not only as a substring. */
  wordBonus: number
  /** Bonus scale for query terms found close together in the body. */
  proximity: number
  /** Bonus, per unit of the terms' idf, when the terms follow one another in the body as in the query. */
  phrase: number
  /** Bonus when the title is exactly the query (known-item search). */
  exactTitle: number
}

export const DEFAULT_RANKING: RankingOptions = {
  k1: 1.2,
  titleWeight: 3,
  titleB: 0.4,
  bodyB: 0.75,
  wordBonus: 0.6,
  proximity: 0.8,
  phrase: 0.3,
  exactTitle: 6,
}

export function idf(documents: number, df: number): number {
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5))
}

/** Field statistics the scorer needs, shared by all terms of a query. */
export interface FieldStats {
  titleUnits: Uint32Array
  bodyUnits: Uint32Array
  avgTitle: number
  avgBody: number
}

export function bm25f(options: RankingOptions, stats: FieldStats, doc: number, tfTitle: number, tfBody: number, weight: number): number {
  const normTitle = 1 - options.titleB + (options.titleB * stats.titleUnits[doc]!) / (stats.avgTitle || 1)
  const normBody = 1 - options.bodyB + (options.bodyB * stats.bodyUnits[doc]!) / (stats.avgBody || 1)
  const tf = (options.titleWeight * tfTitle) / normTitle + tfBody / normBody
  return (weight * tf * (options.k1 + 1)) / (options.k1 + tf)
}

/** Smallest gap, in units, between an occurrence of a (length lenA) and one of b, both sorted. */
export function minGap(a: Uint32Array, lenA: number, b: Uint32Array, lenB: number): number {
  let best = Infinity
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const pa = a[i]!
    const pb = b[j]!
    const gap = pa <= pb ? pb - (pa + lenA) : pa - (pb + lenB)
    if (gap < best) best = Math.max(0, gap)
    if (best === 0) break
    if (pa <= pb) i++
    else j++
  }
  return best
}
