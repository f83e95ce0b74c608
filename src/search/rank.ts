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
  /**
   * Bonus, per unit of a term's idf, when the body names the term at its start, fading with how far in it
   * first occurs (see LEAD_UNITS): a news story names its subject in its first sentence, a story or a
   * digest that only mentions it does so further down.
   */
  lead: number
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
  lead: 0.2,
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

/**
 * Per document, the weight of one title occurrence and of one body occurrence after length
 * normalisation: computed once when an index is opened, so scoring a posting is two multiplications.
 */
export interface FieldWeights {
  title: Float64Array
  body: Float64Array
}

export function fieldWeights(options: RankingOptions, stats: FieldStats): FieldWeights {
  const n = stats.titleUnits.length
  const title = new Float64Array(n)
  const body = new Float64Array(n)
  for (let doc = 0; doc < n; doc++) {
    title[doc] = normalised(options.titleWeight, 1 - options.titleB + (options.titleB * stats.titleUnits[doc]!) / (stats.avgTitle || 1))
    body[doc] = normalised(1, 1 - options.bodyB + (options.bodyB * stats.bodyUnits[doc]!) / (stats.avgBody || 1))
  }
  return { title, body }
}

/**
 * A field weight over its length norm. With full normalisation (b = 1) an empty field's norm is 0; it
 * holds no occurrences, so its weight never counts, but Infinity × 0 would make the score NaN.
 */
function normalised(weight: number, norm: number): number {
  return norm > 0 ? weight / norm : 0
}

/**
 * BM25F per unit of term weight of a posting whose weighted count (title count × title weight + body
 * count × body weight, see fieldWeights) is `tf`: what bm25f() multiplies the weight into (it keeps its
 * own order of operations, so scores stay bit for bit as they were; the two differ by rounding only).
 */
export function saturation(k1: number, tf: number): number {
  return (tf * (k1 + 1)) / (k1 + tf)
}

export function bm25f(options: RankingOptions, weights: FieldWeights, doc: number, tfTitle: number, tfBody: number, weight: number): number {
  // Most postings are in the body only: their title weight, a read of a table larger than the cache, is not needed (0 × w is 0).
  const tf = (tfTitle === 0 ? 0 : tfTitle * weights.title[doc]!) + tfBody * weights.body[doc]!
  return (weight * tf * (options.k1 + 1)) / (options.k1 + tf)
}

/** Smallest gap, in units, between an occurrence of a (length lenA) and one of b: the first countA of a and countB of b, each sorted. */
export function minGap(a: Uint32Array, countA: number, lenA: number, b: Uint32Array, countB: number, lenB: number): number {
  let best = Infinity
  let i = 0
  let j = 0
  while (i < countA && j < countB) {
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

/**
 * The most bm25f() can give a term of this weight in any document: the saturation (k1 + 1) times the
 * weight. Holds when ceilingsHold(options).
 */
export function bm25fCeiling(options: RankingOptions, weight: number): number {
  return Math.max(0, weight * (options.k1 + 1))
}

/** Whether BM25F stays under bm25fCeiling: k1 positive and no field weight below zero (the config's own limits). */
export function ceilingsHold(options: RankingOptions): boolean {
  return options.k1 > 0 && options.titleWeight >= 0 && options.titleB >= 0 && options.titleB <= 1 && options.bodyB >= 0 && options.bodyB <= 1
}
