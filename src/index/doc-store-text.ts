/*
 * Body text of the document store: each document's text as UTF-16LE, laid end to end with offsets,
 * left on disk and read one document at a time when a page of hits shows it.
 *
 * UTF-16LE because the archive is Han text: 2 bytes a character instead of UTF-8's 3. Not compressed,
 * because a page of ten hits is read on every search: until index format 6 each text was deflated
 * against a 16 KB preset dictionary (67% of this size on the 100,000-post benchmark corpus), but
 * inflating one hit took ~26 µs (zlib builds its Huffman tables for every document, and the JavaScript
 * side of each call costs ~6 µs), against ~2 µs to read and decode it as is: 10–15% of a typical
 * search. The texts stay on disk, so serving memory does not grow; the build no longer compresses.
 */

import { foldUnits, normalizeUnits } from '../analysis/normalize.js'

/** Texts laid end to end: document i's UTF-16LE bytes are blob[offsets[i], offsets[i + 1]). */
export interface StoredTexts {
  blob: Uint8Array
  offsets: Uint32Array
}

/** The texts as stored. */
export function storeTexts(texts: readonly string[]): StoredTexts {
  const offsets = new Uint32Array(texts.length + 1)
  let size = 0
  texts.forEach((text, i) => {
    size += 2 * text.length
    if (size > 0xffffffff) throw new Error('document store: text exceeds 4 GiB')
    offsets[i + 1] = size
  })
  // Never from Node's shared pool: a build worker hands the blob's whole buffer over to the main thread.
  const blob = Buffer.allocUnsafeSlow(size)
  // Node writes UTF-16LE code unit for code unit, lone surrogates included, so every length holds.
  texts.forEach((text, i) => blob.write(text, offsets[i]!, 'utf16le'))
  return { blob: new Uint8Array(blob.buffer, blob.byteOffset, size), offsets }
}

/**
 * Runs of consecutive documents stored apart (by the build's workers, each its own posts, or kept from
 * the previous generation) laid end to end: the same bytes as storing all texts at once, left in their
 * pieces, which the container writes one after another (joined, they were a second copy of every text
 * at the build's peak). Null when the runs do not cover `count` documents.
 */
export function joinTexts(runs: readonly StoredTexts[], count: number): { pieces: Uint8Array[]; offsets: Uint32Array } | null {
  if (runs.reduce((n, r) => n + r.offsets.length - 1, 0) !== count) return null
  const size = runs.reduce((n, r) => n + r.blob.length, 0)
  if (size > 0xffffffff) throw new Error('document store: text exceeds 4 GiB')
  const offsets = new Uint32Array(count + 1)
  let doc = 0
  let base = 0
  for (const run of runs) {
    for (let i = 1; i < run.offsets.length; i++) offsets[++doc] = base + run.offsets[i]!
    base += run.blob.length
  }
  return { pieces: runs.map((run) => run.blob), offsets }
}

/** Document `i`'s text in a run. */
export function textOf(texts: StoredTexts, i: number): string {
  return utf16Text(texts.blob.subarray(texts.offsets[i]!, texts.offsets[i + 1]!))
}

/** Stored bytes as the text they hold (Node decodes UTF-16LE unit for unit, lone surrogates too). */
function utf16Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf16le')
}

/** Documents [from, to) of stored texts, as a run of their own. */
export function sliceTexts(texts: StoredTexts, from: number, to: number): StoredTexts {
  return runOf(texts.offsets, from, to, (start, end) => texts.blob.subarray(start, end))
}

/** Documents [from, to) of a blob laid out by `offsets` (read through `bytes`), offsets counted from the run's start. */
function runOf(offsets: Uint32Array, from: number, to: number, bytes: (start: number, end: number) => Uint8Array): StoredTexts {
  const base = offsets[from]!
  return { blob: bytes(base, offsets[to]!), offsets: offsets.slice(from, to + 1).map((offset) => offset - base) }
}

/** A document's text as stored and as folded (normalize). */
export interface FoldedText {
  text: string
  folded: string
}

/** Bytes of the buffer foldedText reads into, kept between calls, at most (a longer text gets its own). */
const MAX_SCRATCH_BYTES = 1 << 16

/**
 * Bytes foldedInOrder reads at once: a dozen texts or more of the benchmark's archive. A read per text
 * cost `"中国 的"` at 100,000 posts (60,000 texts checked) about a third of a second; 16 and 64 KB did
 * no better on it, and larger windows cost sparse candidates more in copying.
 */
const READ_AHEAD_BYTES = 1 << 15

/**
 * Reads documents' texts on demand through `read` (byte ranges of the blob, into `out` when given and
 * the blob is on disk), so they can stay on disk.
 */
export class TextReader {
  /** Where foldedText reads and folds: from offset 0 of its own memory, so its bytes view as code units. */
  private scratch = new Uint8Array(0)
  /** The part of the blob foldedInOrder read last (in `aheadBuffer`, unless longer), where it starts, and the end of the last text folded in it. */
  private ahead: Uint8Array = new Uint8Array(0)
  private aheadStart = 0
  private foldedTo = 0
  private aheadBuffer = new Uint8Array(0)

  constructor(
    private readonly read: (start: number, end: number, out?: Uint8Array) => Uint8Array,
    private readonly offsets: Uint32Array,
  ) {}

  /** Documents [from, to) as stored, read in one piece (for an update to keep). */
  stored(from: number, to: number): StoredTexts {
    return runOf(this.offsets, from, to, this.read)
  }

  text(doc: number): string {
    const start = this.offsets[doc]!
    const end = this.offsets[doc + 1]!
    if (start === end) return ''
    return utf16Text(this.read(start, end))
  }

  /**
   * A text folded (normalize), for a pass over documents in increasing order (a phrase checked in the
   * text of each candidate): read a window of texts at a time, not one text each, and folded in place
   * as each is asked for. A text before the last one asked for starts a new window.
   */
  foldedInOrder(doc: number): string {
    const start = this.offsets[doc]!
    const end = this.offsets[doc + 1]!
    if (start === end) return ''
    if (start < this.foldedTo || end > this.aheadStart + this.ahead.length) {
      const to = Math.max(end, Math.min(start + READ_AHEAD_BYTES, this.offsets[this.offsets.length - 1]!))
      if (this.aheadBuffer.length === 0) this.aheadBuffer = new Uint8Array(READ_AHEAD_BYTES)
      // A text longer than the window is read into memory of its own.
      const into = to - start <= this.aheadBuffer.length ? this.aheadBuffer.subarray(0, to - start) : new Uint8Array(to - start)
      const bytes = this.read(start, to, into)
      // A blob held in memory comes back as a view of the index itself, which must not be folded over.
      if (bytes.buffer !== into.buffer) into.set(bytes)
      this.ahead = into
      this.aheadStart = start
    }
    const text = this.ahead.subarray(start - this.aheadStart, end - this.aheadStart)
    foldUnits(new Uint16Array(text.buffer, text.byteOffset, text.length / 2))
    this.foldedTo = end
    return utf16Text(text)
  }

  /**
   * The text and its fold from one read into a buffer kept between calls, folded there in place: a
   * page of hits reads and folds ten bodies on every search, and folding a string read it back unit by
   * unit (charCodeAt) into yet another buffer.
   */
  foldedText(doc: number): FoldedText {
    const start = this.offsets[doc]!
    const end = this.offsets[doc + 1]!
    const size = end - start
    if (size === 0) return { text: '', folded: '' }
    let into = this.scratch
    if (into.length < size) {
      into = new Uint8Array(size <= MAX_SCRATCH_BYTES ? Math.min(MAX_SCRATCH_BYTES, 2 * size) : size)
      if (size <= MAX_SCRATCH_BYTES) this.scratch = into
    }
    const bytes = this.read(start, end, into)
    // A blob held in memory comes back as a view of the index itself, which must not be folded over.
    if (bytes.buffer !== into.buffer) into.set(bytes)
    const text = utf16Text(into.subarray(0, size))
    return { text, folded: normalizeUnits(new Uint16Array(into.buffer, 0, size / 2)) }
  }
}
