import type { Container, SectionData } from './container.js'
import { CHECKPOINT_EVERY } from './checkpoints.js'
import { END } from './posting-cursor.js'
import { TermRows, TermRowsWriter } from './term-rows.js'

/**
 * A term is dense when at least 1/DENSE_SHARE of the documents hold it. Its set then costs at most a
 * byte per posting (a bit per document), about what its document numbers cost in the list already.
 */
export const DENSE_SHARE = 8

/** The fewest postings a term needs to be dense in an archive of `documents`: never a list of one block or less. */
export function denseThreshold(documents: number): number {
  return Math.max(CHECKPOINT_EVERY + 1, Math.ceil(documents / DENSE_SHARE))
}

/**
 * The documents of each dense term as a bitset (bit d of word d >> 5): a query of several common words
 * counts its matches by ANDing their sets, a word of 32 documents at a time, instead of walking lists
 * that span much of the archive, and tests a document for such a word with one read. Written by both
 * merges, for the grams space only, fed each dense list's documents in order.
 */
export class DenseSets {
  private readonly threshold: number
  private readonly sets: TermRowsWriter<Uint32Array>
  private current: Uint32Array | null = null

  constructor(documents: number) {
    this.sets = new TermRowsWriter(Math.ceil(documents / 32), (length) => new Uint32Array(length))
    this.threshold = denseThreshold(documents)
  }

  /** Starts term `term`'s list of `df` postings; when it is dense, add() takes its documents. */
  begin(term: number, df: number): void {
    this.current = df < this.threshold ? null : this.sets.add(term)
  }

  /** A document of the list begun last (ignored unless that term is dense). */
  add(doc: number): void {
    const set = this.current
    if (set !== null) addToSet(set, doc)
  }

  /** The dense terms' numbers, ascending, and their sets end to end. */
  sections(prefix: string): Record<string, SectionData> {
    return this.sets.sections(`${prefix}.denseTerms`, `${prefix}.denseSets`)
  }
}

/** A space's dense sets as loaded: one bit per document of the index per dense term, views onto the file. */
export type StoredDenseSets = TermRows<Uint32Array>

/** The dense sets of `prefix`, or null in a space written without them. */
export function storedDenseSets(container: Container, prefix: string): StoredDenseSets | null {
  if (!container.has(`${prefix}.denseTerms`)) return null
  return new TermRows(container.u32(`${prefix}.denseTerms`), container.u32(`${prefix}.denseSets`))
}

/**
 * The sets, when they have one bit per document of an index of `documents` (else they do not belong
 * to it, and none is used); null without sets.
 */
export function denseSetsFor(stored: StoredDenseSets | null, documents: number): StoredDenseSets | null {
  return stored !== null && stored.stride === Math.ceil(documents / 32) ? stored : null
}

/** How many documents are in every one of `sets` (at least one, all of one length). */
export function countInAll(sets: readonly Uint32Array[]): number {
  let count = 0
  const first = sets[0]!
  for (let w = 0; w < first.length; w++) {
    let x = first[w]!
    for (let k = 1; k < sets.length && x !== 0; k++) x &= sets[k]![w]!
    // Bits set in x, by halves of ever wider fields (no popcount instruction in JavaScript).
    x -= (x >>> 1) & 0x55555555
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
    count += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24)
  }
  return count
}

/** The first document from `from` on in every one of `sets` (at least one, all of one length), or END. */
export function nextInAll(sets: readonly Uint32Array[], from: number): number {
  const words = sets[0]!.length
  let w = from >>> 5
  if (w >= words) return END
  // The first word's documents before `from` masked off.
  let x = sets[0]![w]! & (-1 << (from & 31))
  for (;;) {
    for (let k = 1; k < sets.length && x !== 0; k++) x &= sets[k]![w]!
    // The lowest bit set: x & -x isolates it.
    if (x !== 0) return (w << 5) + 31 - Math.clz32(x & -x)
    if (++w >= words) return END
    x = sets[0]![w]!
  }
}

/** Whether document `doc` is in `set`. */
export function inSet(set: Uint32Array, doc: number): boolean {
  return ((set[doc >>> 5]! >>> (doc & 31)) & 1) === 1
}

/** `set` with document `doc` added. */
export function addToSet(set: Uint32Array, doc: number): void {
  set[doc >>> 5]! |= 1 << (doc & 31)
}
