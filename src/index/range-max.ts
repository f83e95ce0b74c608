import type { Container, SectionData } from './container.js'
import { denseThreshold } from './dense-sets.js'
import { TermRows, TermRowsWriter } from './term-rows.js'

/**
 * Documents per range: 2^RANGE_SHIFT. At 100,000 posts, 中国 发展 took ~2.2 ms with ranges of 32
 * documents, ~1.5 with 16 and ~1.4 with 8, but 推动 高质量 发展 ~1.4, ~1.4 and ~1.55 (each range
 * is one more bound to work out); 16 costs 1.6 MB (0.4% of the index), 8 twice that. With ranges of
 * 16 but a row for every dense gram, lone characters too, 5.4 MB.
 */
export const RANGE_SHIFT = 4

/** The highest level a maximum is stored as: levels step evenly from 0 (no posting) to the saturation ceiling. */
const TOP_LEVEL = 255

/**
 * Per dense gram with positions (see DenseSets; a lone Han character has none) and per range of
 * documents (by number, not by posting), the largest saturation its postings there reach, as a byte
 * rounded up (0: the gram is in no document of the range). A block maximum bounds a term over its
 * next 32 postings, which for a common word span documents where the other words of a query lie in
 * other blocks, each near saturation somewhere: at 100,000 posts, 中国 发展's bound by blocks let
 * 30,000 of its 47,000 matches through to be read one by one. Ranges are the same for every gram, so
 * a query bounds a range by all its words at once, reads the ranges best bound first and stops where
 * none left can reach its best page. Fed by BlockMaxima, under its ranking shape.
 */
export class RangeMaxima {
  private readonly threshold: number
  private readonly rows: TermRowsWriter<Uint8Array>
  private current: Uint8Array | null = null

  /** `ceiling`: the most a saturation reaches (k1 + 1), the top level. */
  constructor(
    documents: number,
    private readonly ceiling: number,
  ) {
    this.rows = new TermRowsWriter(rangeStride(documents), (length) => new Uint8Array(length))
    this.threshold = denseThreshold(documents)
  }

  /**
   * Starts term `term`'s list of `df` postings. Lone Han characters (no positions) are left out: they
   * are 622 of the 870 dense grams at 100,000 posts, and a query holding one as a word of its own falls
   * back on the block maxima.
   */
  begin(term: number, df: number, positional: boolean): void {
    this.current = df < this.threshold || !positional ? null : this.rows.add(term)
  }

  /** Whether the term begun last has a row, so its postings' saturations are wanted. */
  get active(): boolean {
    return this.current !== null
  }

  /** A posting of the term begun last and the saturation it reaches (ignored unless the term has a row). */
  add(doc: number, reached: number): void {
    const row = this.current
    if (row === null) return
    const range = doc >>> RANGE_SHIFT
    const level = levelOf(reached, this.ceiling)
    if (level > row[range]!) row[range] = level
  }

  /** The terms with rows, ascending, and the rows end to end. */
  sections(prefix: string): Record<string, SectionData> {
    return this.rows.sections(`${prefix}.rangeTerms`, `${prefix}.rangeMax`)
  }
}

/** Bytes per row for an index of `documents`: one per range. */
function rangeStride(documents: number): number {
  return Math.ceil(documents / (1 << RANGE_SHIFT))
}

/** What each stored level stands for, under saturation ceiling `ceiling`: level × ceiling / TOP_LEVEL. */
function rangeLevels(ceiling: number): Float64Array {
  return Float64Array.from({ length: TOP_LEVEL + 1 }, (_, level) => (level * ceiling) / TOP_LEVEL)
}

/** The least level at or above `reached` (at least 1: a posting is there), as rangeLevels reads it back. */
function levelOf(reached: number, ceiling: number): number {
  let level = Math.max(1, Math.ceil((reached * TOP_LEVEL) / ceiling))
  // The division above and the product rangeLevels makes round apart: a level must still bound.
  while (level < TOP_LEVEL && (level * ceiling) / TOP_LEVEL < reached) level++
  return Math.min(TOP_LEVEL, level)
}

/** A space's range maxima as stored: a byte per range of documents per dense gram with positions. */
export type StoredRanges = TermRows<Uint8Array>

/** A space's range maxima as loaded, for one ranking's saturation ceiling. */
export class StoredRangeMaxima {
  /** Per level, the saturation it bounds. */
  readonly levels: Float64Array

  constructor(
    private readonly stored: StoredRanges,
    ceiling: number,
  ) {
    this.levels = rangeLevels(ceiling)
  }

  /** Term `term`'s maxima, one byte per range (a view onto the file), or null when it has none. */
  row(term: number): Uint8Array | null {
    return this.stored.row(term)
  }
}

/** The range maxima sections of `prefix`, or null in a space written without them. */
export function storedRanges(container: Container, prefix: string): StoredRanges | null {
  if (!container.has(`${prefix}.rangeMax`)) return null
  return new TermRows(container.u32(`${prefix}.rangeTerms`), container.u8(`${prefix}.rangeMax`))
}

/**
 * The range maxima for an index of `documents`, under saturation ceiling `ceiling` (the caller has
 * checked the ranking shape, as for block maxima); null without them or when their rows do not have
 * a byte per range of these documents.
 */
export function rangeMaximaFor(stored: StoredRanges | null, documents: number, ceiling: number): StoredRangeMaxima | null {
  if (stored === null || (stored.stride !== 0 && stored.stride !== rangeStride(documents))) return null
  return new StoredRangeMaxima(stored, ceiling)
}
