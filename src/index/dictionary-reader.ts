import { readVarint, type Cursor } from './bytes.js'
import type { SectionData } from './container.js'
import { ANCHOR_FIELDS, LONG_PREFIX } from './dictionary-writer.js'
import { checkpointCount } from './checkpoints.js'

/** One term's row as decoded: valid until the dictionary decodes another. */
export interface TermEntry {
  readonly term: number
  readonly df: number
  readonly positional: boolean
  /** Where its postings begin and end in the document stream. */
  readonly docStart: number
  readonly docEnd: number
  /** Where its positions begin and end in the position stream. */
  readonly posStart: number
  readonly posEnd: number
  /** Its checkpoints: numbers checkpointStart up to checkpointEnd. */
  readonly checkpointStart: number
  readonly checkpointEnd: number
}

/** Rows kept decoded (a power of two: a term's slot is its low bits), and numbers per row kept. */
const CACHE_SLOTS = 256
const CACHE_FIELDS = 8
/** Lookups remembered: a few queries' worth of keys (a long title query looks up ~17 distinct). */
const FOUND_KEPT = 4096

/** The sections a dictionary is read from, by name. */
export interface DictionarySections {
  shape: Uint32Array
  anchors: Uint32Array
  rows: Uint8Array
}

export function dictionarySectionNames(prefix: string): string[] {
  return [`${prefix}.termShape`, `${prefix}.termAnchors`, `${prefix}.termRows`]
}

/** How many terms the dictionary among `sections` holds. */
export function dictionaryTerms(sections: Record<string, SectionData>, prefix: string): number {
  return (sections[`${prefix}.termShape`] as Uint32Array)[1]!
}

/**
 * Reads a dictionary written by DictionaryWriter in place. A lookup is a binary search over the blocks'
 * first keys (compared where they lie) and a scan of one block; reading term t decodes the rows of its
 * block up to t, and reading t + 1 next continues from there, so walking every term costs one row each.
 * It keeps the last decoded row (this object is the TermEntry): single-threaded readers only.
 */
export class DictionaryReader implements TermEntry {
  readonly terms: number
  private readonly blockSize: number
  private readonly blocks: number
  private readonly anchors: Uint32Array
  private readonly rows: Uint8Array
  /** Where the row after `term` begins: reading on from the last decoded term depends on it. */
  private readonly cursor: Cursor = { at: 0 }
  /** The binary search's own cursor, so that a search that finds no block leaves the decoding where it was. */
  private readonly probe: Cursor = { at: 0 }
  private readonly decoder = new TextDecoder()
  private key8 = new Uint8Array(64)
  private keyLength = 0
  term = -1
  df = 0
  positional = false
  docStart = 0
  docEnd = 0
  posStart = 0
  posEnd = 0
  checkpointStart = 0
  checkpointEnd = 0
  /** Keys looked up lately, with their answers (-1 too), up to FOUND_KEPT; then it starts afresh. */
  private readonly found = new Map<string, number>()
  private readonly cachedTerm = new Int32Array(CACHE_SLOTS).fill(-1)
  // 32-bit, as on disk: numbers read from a Float64Array would come out as doubles, and turn the
  // cursors' offset fields (and their hot loops) from small integers into doubles.
  private readonly cacheRows = new Uint32Array(CACHE_SLOTS * CACHE_FIELDS)
  /** A row answered from the cache (the reader's own fields stay those of the row it decoded last). */
  private readonly cached: { -readonly [K in keyof TermEntry]: TermEntry[K] } = { term: -1, df: 0, positional: false, docStart: 0, docEnd: 0, posStart: 0, posEnd: 0, checkpointStart: 0, checkpointEnd: 0 }

  constructor(sections: DictionarySections) {
    this.blockSize = sections.shape[0]!
    this.terms = sections.shape[1]!
    this.anchors = sections.anchors
    this.rows = sections.rows
    this.blocks = Math.ceil(this.terms / this.blockSize)
    if (this.anchors.length !== (this.blocks + 1) * ANCHOR_FIELDS) throw new Error(`term dictionary: ${this.anchors.length} anchor numbers for ${this.terms} terms`)
  }

  static of(sections: Record<string, SectionData>, prefix: string): DictionaryReader {
    const [shape, anchors, rows] = dictionarySectionNames(prefix).map((name) => sections[name])
    if (!(shape instanceof Uint32Array && anchors instanceof Uint32Array && rows instanceof Uint8Array)) throw new Error(`the term space ${prefix} has no dictionary sections`)
    return new DictionaryReader({ shape, anchors, rows })
  }

  /**
   * Term `term`'s row (0 ≤ term < terms). A query opens cursors over the same few dozen terms again and
   * again (a title query ~100 times): rows decoded out of order are kept in a small cache by term number.
   */
  entry(term: number): TermEntry {
    if (term === this.term) return this
    const slot = term & (CACHE_SLOTS - 1)
    if (this.cachedTerm[slot] === term) return this.fromCache(slot)
    this.decode(term)
    this.toCache(slot)
    return this
  }

  key(term: number): string {
    this.decode(term)
    return this.decoder.decode(this.key8.subarray(0, this.keyLength))
  }

  /** Number of the first checkpoint of `term`; of the end, for `terms`. */
  checkpointRange(term: number): number {
    return term === this.terms ? this.anchors[this.blocks * ANCHOR_FIELDS + 3]! : this.entry(term).checkpointStart
  }

  /** The term number of `key`, or -1. Keys are ordered by UTF-16 code units, as JavaScript compares strings. */
  lookup(key: string): number {
    // A query looks the same keys up several times (its terms, then their grams, for matching, ranking
    // and snippets: half of a title query's ~34 lookups are repeats), and common keys recur across queries.
    const known = this.found.get(key)
    if (known !== undefined) return known
    if (this.found.size >= FOUND_KEPT) this.found.clear()
    const term = this.search(key)
    this.found.set(key, term)
    return term
  }

  private search(key: string): number {
    const block = this.lastBlockBefore(key, true)
    if (block < 0) return -1
    const end = Math.min(this.terms, (block + 1) * this.blockSize)
    this.openBlock(block)
    while (this.term + 1 < end) {
      this.readRow()
      const order = compareKey(this.key8, 0, this.keyLength, key)
      if (order === 0) return this.term
      if (order > 0) return -1
    }
    return -1
  }

  /** First term whose key is ≥ `prefix` (for prefix scans such as suggestions); `terms` when none. */
  lowerBound(prefix: string): number {
    const block = this.lastBlockBefore(prefix, false)
    if (block < 0) return 0
    const end = Math.min(this.terms, (block + 1) * this.blockSize)
    this.openBlock(block)
    while (this.term + 1 < end) {
      this.readRow()
      if (compareKey(this.key8, 0, this.keyLength, prefix) >= 0) return this.term
    }
    return end
  }

  /** Positions the reader at term `term`: from where it is when `term` comes later in the same block, else from its block's start. */
  private decode(term: number): void {
    if (term === this.term) return
    const block = Math.floor(term / this.blockSize)
    if (term < this.term || this.term < 0 || Math.floor(this.term / this.blockSize) !== block) this.openBlock(block)
    while (this.term < term) this.readRow()
  }

  private toCache(slot: number): void {
    const c = this.cacheRows
    const at = slot * CACHE_FIELDS
    this.cachedTerm[slot] = this.term
    c[at] = this.df
    c[at + 7] = this.positional ? 1 : 0
    c[at + 1] = this.docStart
    c[at + 2] = this.docEnd
    c[at + 3] = this.posStart
    c[at + 4] = this.posEnd
    c[at + 5] = this.checkpointStart
    c[at + 6] = this.checkpointEnd
  }

  private fromCache(slot: number): TermEntry {
    const c = this.cacheRows
    const at = slot * CACHE_FIELDS
    const out = this.cached
    out.term = this.cachedTerm[slot]!
    out.df = c[at]!
    out.positional = c[at + 7] === 1
    out.docStart = c[at + 1]!
    out.docEnd = c[at + 2]!
    out.posStart = c[at + 3]!
    out.posEnd = c[at + 4]!
    out.checkpointStart = c[at + 5]!
    out.checkpointEnd = c[at + 6]!
    return out
  }

  /** The last block whose first key sorts before `key` (or equals it, when `orEqual`); -1 when none. */
  private lastBlockBefore(key: string, orEqual: boolean): number {
    let lo = 0
    let hi = this.blocks - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      // A block's first row: its header is the key's length (nothing shared), then the key whole.
      const probe = this.probe
      probe.at = this.anchors[mid * ANCHOR_FIELDS]!
      const length = readVarint(this.rows, probe) >>> 4
      const order = compareKey(this.rows, probe.at, probe.at + length, key)
      if (order < 0 || (orEqual && order === 0)) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }

  /** Positions the reader before block `block`'s first term. */
  private openBlock(block: number): void {
    const a = block * ANCHOR_FIELDS
    this.term = block * this.blockSize - 1
    this.cursor.at = this.anchors[a]!
    this.docEnd = this.anchors[a + 1]!
    this.posEnd = this.anchors[a + 2]!
    this.checkpointEnd = this.anchors[a + 3]!
    this.keyLength = 0
  }

  private readRow(): void {
    const rows = this.rows
    const cursor = this.cursor
    const header = readVarint(rows, cursor)
    let shared = header & 15
    if (shared === LONG_PREFIX) shared += readVarint(rows, cursor)
    const length = shared + (header >>> 4)
    if (length > this.key8.length) {
      const grown = new Uint8Array(Math.max(length, this.key8.length * 2))
      grown.set(this.key8.subarray(0, shared))
      this.key8 = grown
    }
    // A few bytes a row: a loop beats making a subarray to copy from.
    const key8 = this.key8
    let at = cursor.at
    for (let i = shared; i < length; i++) key8[i] = rows[at++]!
    cursor.at = at
    this.keyLength = length
    const dfFlag = readVarint(rows, cursor)
    const docLength = readVarint(rows, cursor)
    this.term++
    const df = (this.df = Math.floor(dfFlag / 2))
    this.positional = (dfFlag & 1) === 1
    this.docStart = this.docEnd
    this.docEnd += docLength
    this.posStart = this.posEnd
    if (this.positional) this.posEnd += readVarint(rows, cursor)
    this.checkpointStart = this.checkpointEnd
    this.checkpointEnd += checkpointCount(df)
  }
}

/**
 * How the UTF-8 key at bytes[at, end) compares with `key` in UTF-16 code-unit order (negative: it sorts
 * before), without making a string: a query looks up dozens of keys, each in ~15 steps.
 */
export function compareKey(bytes: Uint8Array, at: number, end: number, key: string): number {
  let j = 0
  while (at < end) {
    // One code point of well-formed UTF-8 (keys were written by TextEncoder).
    let cp = bytes[at++]!
    if (cp >= 0xf0) cp = ((cp & 0x07) << 18) | ((bytes[at++]! & 0x3f) << 12) | ((bytes[at++]! & 0x3f) << 6) | (bytes[at++]! & 0x3f)
    else if (cp >= 0xe0) cp = ((cp & 0x0f) << 12) | ((bytes[at++]! & 0x3f) << 6) | (bytes[at++]! & 0x3f)
    else if (cp >= 0xc0) cp = ((cp & 0x1f) << 6) | (bytes[at++]! & 0x3f)
    if (cp < 0x10000) {
      if (j === key.length) return 1
      const diff = cp - key.charCodeAt(j++)
      if (diff !== 0) return diff
    } else {
      // Beyond the BMP: compare as its two surrogates, as JavaScript does.
      const high = 0xd800 + ((cp - 0x10000) >> 10)
      const low = 0xdc00 + ((cp - 0x10000) & 0x3ff)
      if (j === key.length) return 1
      const diffHigh = high - key.charCodeAt(j++)
      if (diffHigh !== 0) return diffHigh
      if (j === key.length) return 1
      const diffLow = low - key.charCodeAt(j++)
      if (diffLow !== 0) return diffLow
    }
  }
  return j === key.length ? 0 : -1
}
