import { DEFAULT_RANKING, fieldWeights, saturation, type RankingOptions } from '../search/rank.js'
import { CHECKPOINT_EVERY } from './checkpoints.js'
import type { Container, SectionData } from './container.js'
import { averageUnits } from './doc-store.js'
import { f64List } from './number-list.js'
import { RangeMaxima, rangeMaximaFor, storedRanges, type StoredRangeMaxima, type StoredRanges } from './range-max.js'

/** Each document's field lengths in units, in the merged index's numbering: what BM25F normalises by. */
export interface FieldLengths {
  titleUnits: Uint32Array
  bodyUnits: Uint32Array
}

/** The ranking options a block maximum depends on, in the order stored (with the two average lengths). */
const SHAPE: readonly (keyof RankingOptions)[] = ['k1', 'titleWeight', 'titleB', 'bodyB']

/**
 * Per block of a long list (the blocks checkpoints open, so block 0 has none and is always read), the
 * largest BM25F saturation any of its postings reaches under the default ranking: tf (k1 + 1) / (k1 + tf),
 * with tf the posting's field counts times its document's field weights. Times a term's weight, it
 * bounds what any document of the block can score for the term, so a query can step over blocks that
 * cannot reach its best page without decoding them (block-max skipping). Written by both merges, for
 * the grams space only: single grams are the lists a one-word query reads whole.
 */
export class BlockMaxima {
  /**
   * Each document's title weight then body weight (see fieldWeights), side by side and as float32 rounded
   * up, so a bound computed from them still bounds: the merges stream hundreds of megabytes past this
   * table while reading it in no useful order, and at 100,000 posts two float64 tables made the
   * saturation of every posting a fifth of an update's grams merge.
   */
  private readonly weights: Float32Array
  /** One per checkpoint: millions in the grams at 100,000 posts (see NumberList). */
  private readonly maxima = f64List()
  /** The averages the document store records for the same documents. */
  private readonly stats: { avgTitle: number; avgBody: number }
  /** The dense terms' maxima per range of documents, from the same saturations. */
  private readonly ranges: RangeMaxima

  constructor(lengths: FieldLengths) {
    this.stats = { avgTitle: averageUnits(lengths.titleUnits), avgBody: averageUnits(lengths.bodyUnits) }
    const { title, body } = fieldWeights(DEFAULT_RANKING, { titleUnits: lengths.titleUnits, bodyUnits: lengths.bodyUnits, ...this.stats })
    this.weights = new Float32Array(2 * title.length)
    for (let doc = 0; doc < title.length; doc++) {
      this.weights[2 * doc] = roundedUp(title[doc]!)
      this.weights[2 * doc + 1] = roundedUp(body[doc]!)
    }
    this.ranges = new RangeMaxima(title.length, DEFAULT_RANKING.k1 + 1)
  }

  /** Starts term `term`'s list of `df` postings. */
  begin(term: number, df: number, positional: boolean): void {
    this.ranges.begin(term, df, positional)
  }

  /** The i-th posting of the current term's list (every posting, in order). */
  add(i: number, doc: number, tfTitle: number, tfBody: number): void {
    // Most lists are shorter than a block: their postings need no saturation unless their term is dense.
    if (i < CHECKPOINT_EVERY && !this.ranges.active) return
    // Weighted as bm25f weighs a posting (by weights no lower), so a maximum bounds what a search computes.
    const reached = saturation(DEFAULT_RANKING.k1, tfTitle * this.weights[2 * doc]! + tfBody * this.weights[2 * doc + 1]!)
    this.ranges.add(doc, reached)
    if (i < CHECKPOINT_EVERY) return
    if (i % CHECKPOINT_EVERY === 0) this.maxima.push(reached)
    else if (reached > this.maxima.last!) this.maxima.last = reached
  }

  /** The maxima as float32 rounded up (still bounds), one per checkpoint, and the ranking they hold for. */
  sections(prefix: string): Record<string, SectionData> {
    const maxima = Float32Array.from(this.maxima.finish(), roundedUp)
    const bits = new Uint32Array(maxima.buffer)
    const shape = [...SHAPE.map((key) => DEFAULT_RANKING[key]), this.stats.avgTitle, this.stats.avgBody]
    return { [`${prefix}.blockMax`]: bits, [`${prefix}.blockMaxShape`]: Float64Array.from(shape), ...this.ranges.sections(prefix) }
  }
}

const scratch = new Float32Array(1)
const scratchBits = new Uint32Array(scratch.buffer)

/** The least float32 at or above `value` (≥ 0), so that a bound stays one. */
function roundedUp(value: number): number {
  scratch[0] = value
  // A non-negative float32 one step up is its bit pattern plus one.
  if (scratch[0]! < value) scratchBits[0]!++
  return scratch[0]!
}

/**
 * A space's block maxima as stored: the values (float32 bits), the dense terms' range maxima (see
 * RangeMaxima; null in a space written without them) and the ranking shape both hold for.
 */
export interface StoredBlockMaxima {
  bits: Uint32Array
  ranges: StoredRanges | null
  shape: Float64Array
}

/** The block-max sections of `prefix`, or null in a space written without them. */
export function storedBlockMaxima(container: Container, prefix: string): StoredBlockMaxima | null {
  if (!container.has(`${prefix}.blockMax`)) return null
  return { bits: container.u32(`${prefix}.blockMax`), ranges: storedRanges(container, prefix), shape: container.f64(`${prefix}.blockMaxShape`) }
}

/**
 * The block maxima, one per checkpoint, when they were computed for this ranking and these average
 * lengths; else null, and nothing is skipped by them.
 */
export function blockMaximaFor(stored: StoredBlockMaxima | null, ranking: RankingOptions, avgTitle: number, avgBody: number): Float32Array | null {
  if (!stored || !shapeHolds(stored, ranking, avgTitle, avgBody)) return null
  return new Float32Array(stored.bits.buffer, stored.bits.byteOffset, stored.bits.length)
}

/** The range maxima (see RangeMaxima) under the same condition as blockMaximaFor, when they fit an index of `documents`. */
export function rangeMaximaOf(stored: StoredBlockMaxima | null, documents: number, ranking: RankingOptions, avgTitle: number, avgBody: number): StoredRangeMaxima | null {
  if (!stored || !shapeHolds(stored, ranking, avgTitle, avgBody)) return null
  return rangeMaximaFor(stored.ranges, documents, ranking.k1 + 1)
}

/** Whether the maxima were computed for this ranking and these average lengths. */
function shapeHolds(stored: StoredBlockMaxima, ranking: RankingOptions, avgTitle: number, avgBody: number): boolean {
  const wanted = [...SHAPE.map((key) => ranking[key]), avgTitle, avgBody]
  return stored.shape.length === wanted.length && wanted.every((value, i) => stored.shape[i] === value)
}
