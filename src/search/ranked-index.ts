import { blockMaximaFor, rangeMaximaOf } from '../index/block-max.js'
import { denseSetsFor } from '../index/dense-sets.js'
import type { StoredRangeMaxima } from '../index/range-max.js'
import type { IndexReader } from '../index/reader.js'
import { TermSets } from './term-sets.js'
import { ceilingsHold, DEFAULT_RANKING, fieldWeights, type FieldStats, type FieldWeights, type RankingOptions } from './rank.js'

/**
 * An opened index with what scoring its documents needs, made once when an engine opens it: every
 * phase of a search reads it, none writes it (but for the term sets' memory, which answers never depend on).
 */
export interface RankedIndex {
  readonly index: IndexReader
  readonly documentCount: number
  readonly ranking: RankingOptions
  readonly stats: FieldStats
  readonly weights: FieldWeights
  /**
   * Score every match, not only those that could still reach the page: the same answers, slower. The
   * reference the tests hold the skipping to.
   */
  readonly scoreEveryMatch: boolean
  /** The grams' block maxima, when they were computed for this ranking (see BlockMaxima). */
  readonly blockMaxima: Float32Array | null
  /** The dense grams' maxima per range of documents, under the same condition (see RangeMaxima). */
  readonly rangeMaxima: StoredRangeMaxima | null
  /** Common terms' documents as bitsets, when the index has its grams' (see DenseSets and TermSets). */
  readonly termSets: TermSets | null
}

export function rankIndex(index: IndexReader, ranking: Partial<RankingOptions> | undefined, scoreEveryMatch: boolean): RankedIndex {
  const options = { ...DEFAULT_RANKING, ...ranking }
  const stats: FieldStats = {
    titleUnits: index.docs.titleUnits,
    bodyUnits: index.docs.bodyUnits,
    avgTitle: index.docs.meta.avgTitleUnits,
    avgBody: index.docs.meta.avgBodyUnits,
  }
  const documentCount = index.docs.count
  const bounded = ceilingsHold(options)
  return {
    index,
    documentCount,
    ranking: options,
    stats,
    weights: fieldWeights(options, stats),
    scoreEveryMatch,
    blockMaxima: bounded ? blockMaximaFor(index.grams.blockMaxima, options, stats.avgTitle, stats.avgBody) : null,
    rangeMaxima: bounded ? rangeMaximaOf(index.grams.blockMaxima, documentCount, options, stats.avgTitle, stats.avgBody) : null,
    termSets: termSetsFor(index, documentCount),
  }
}

function termSetsFor(index: IndexReader, documentCount: number): TermSets | null {
  const dense = denseSetsFor(index.grams.denseSets, documentCount)
  return dense === null ? null : new TermSets(dense)
}
