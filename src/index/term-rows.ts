import type { SectionData } from './container.js'

/** A row of numbers per document or range of documents: a bitset (Uint32Array) or bytes (Uint8Array). */
type Row = Uint8Array | Uint32Array

/**
 * Rows of one length for some terms of a space (the dense grams), laid end to end after the terms'
 * numbers, ascending: how dense sets and range maxima are stored. Terms are added in the order the
 * merges write them, which is ascending.
 */
export class TermRowsWriter<R extends Row> {
  private readonly terms: number[] = []
  private readonly rows: R[] = []

  constructor(
    private readonly stride: number,
    private readonly make: (length: number) => R,
  ) {}

  /** A new row, all zero, for term `term`, to be filled in place. */
  add(term: number): R {
    const row = this.make(this.stride)
    this.terms.push(term)
    this.rows.push(row)
    return row
  }

  /** The terms under `termsName` and their rows end to end under `rowsName`. */
  sections(termsName: string, rowsName: string): Record<string, SectionData> {
    const all = this.make(this.rows.length * this.stride)
    this.rows.forEach((row, i) => all.set(row, i * this.stride))
    return { [termsName]: Uint32Array.from(this.terms), [rowsName]: all }
  }
}

/** Term rows as loaded: views onto the file. */
export class TermRows<R extends Row> {
  /** Numbers per row, as the stored lengths say (0 without rows). */
  readonly stride: number

  constructor(
    private readonly terms: Uint32Array,
    private readonly rows: R,
  ) {
    this.stride = terms.length === 0 ? 0 : rows.length / terms.length
  }

  /** Term `term`'s row (a view onto the file), or null when it has none. */
  row(term: number): R | null {
    const terms = this.terms
    let lo = 0
    let hi = terms.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const t = terms[mid]!
      if (t === term) return this.rows.subarray(mid * this.stride, (mid + 1) * this.stride) as R
      if (t < term) lo = mid + 1
      else hi = mid - 1
    }
    return null
  }
}
