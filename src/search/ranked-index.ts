import { blockMaximaFor } from '../index/block-max.js'
import { denseSetsFor } from '../index/dense-sets.js'
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
  return {
    index,
    documentCount,
    ranking: options,
    stats,
    weights: fieldWeights(options, stats),
    scoreEveryMatch,
    blockMaxima: ceilingsHold(options) ? blockMaximaFor(index.grams.blockMaxima, options, stats.avgTitle, stats.avgBody) : null,
    termSets: termSetsFor(index, documentCount),
  }
}

function termSetsFor(index: IndexReader, documentCount: number): TermSets | null {
  const dense = denseSetsFor(index.grams.denseSets, documentCount)
  return dense === null ? null : new TermSets(dense)
}
