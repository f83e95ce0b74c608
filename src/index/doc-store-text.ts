import { deflateRawSync, inflateRawSync } from 'node:zlib'

import { commonWords } from '../analysis/segment.js'

/*
 * Body text of the document store, compressed one document at a time so a page of hits decodes only
 * its own ten documents. Measured on the 20,007 shared posts (35.3 MB of UTF-8 text):
 *
 *   UTF-8 raw 35.3 MB · UTF-16LE raw 24.9 MB · per-document raw deflate, UTF-8 20.5 MB, UTF-16LE 18.8 MB
 *   · UTF-16LE + 16 KB preset dictionary of jieba's most frequent words 15.9 MB · + 16 KB sampled from
 *   the archive itself 15.4 MB · + 32 KB sampled 14.7 MB
 *   · 4 KB blocks + 32 KB dictionary 13.9 MB (but decoding a hit then inflates its neighbours: 2× the time)
 *
 * UTF-16LE because the archive is Han text (2 bytes a character instead of 3, and deflate's 3-byte
 * minimum match then covers one and a half characters instead of one). Short documents share words
 * with the language, not with themselves, hence a preset dictionary; it is fixed rather than sampled
 * from the archive (3% larger), so an update keeps every unchanged document's compressed bytes instead
 * of compressing the whole archive again, and still writes what a full build writes. Its size is a
 * trade: zlib hashes the whole dictionary before every document (20,007 posts on a busy 2-core
 * machine: no dictionary 1.4 s, 8 KB 2.0 s, 16 KB 2.1 s, 32 KB 3.0 s). Inflating one hit takes about
 * 15–25 µs.
 */

/** Bytes of the preset dictionary. */
const DICTIONARY_BYTES = 16 * 1024
/** Decoded texts kept: the hits of a page and of the page before, when a client pages back and forth. */
const CACHE_SIZE = 32

let dictionary: Uint8Array | undefined

/** The preset dictionary every document's text is compressed against (as UTF-16LE, most frequent words last: deflate codes near distances in fewer bits). */
export function textDictionary(): Uint8Array {
  dictionary ??= new Uint8Array(Buffer.from(commonWords(DICTIONARY_BYTES / 2), 'utf16le'))
  return dictionary
}

/** Texts compressed by {@link compressTexts}, with the dictionary they were compressed against. */
export interface CompressedTexts {
  dictionary: Uint8Array
  blob: Uint8Array
  offsets: Uint32Array
}

/**
 * Runs of consecutive documents compressed apart (by the build's workers, each its own posts, or kept
 * from the previous generation) laid end to end: the same bytes as compressing all texts at once, since
 * each document is deflated on its own. Null when a run used another dictionary than `dictionary`, or
 * the runs do not cover `count` documents.
 */
export function joinCompressedTexts(runs: readonly (CompressedTexts | null)[], dictionary: Uint8Array, count: number): { blob: Uint8Array; offsets: Uint32Array } | null {
  if (runs.some((r) => r === null || !sameDictionary(r.dictionary, dictionary))) return null
  const parts = runs as readonly CompressedTexts[]
  if (parts.reduce((n, r) => n + r.offsets.length - 1, 0) !== count) return null
  const size = parts.reduce((n, r) => n + r.blob.length, 0)
  if (size > 0xffffffff) throw new Error('document store: compressed text exceeds 4 GiB')
  const blob = new Uint8Array(size)
  const offsets = new Uint32Array(count + 1)
  let doc = 0
  let base = 0
  for (const run of parts) {
    blob.set(run.blob, base)
    for (let i = 1; i < run.offsets.length; i++) offsets[++doc] = base + run.offsets[i]!
    base += run.blob.length
  }
  return { blob, offsets }
}

/** Whether two dictionaries hold the same bytes (most runs share the one object). */
export function sameDictionary(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Documents [from, to) of compressed texts, as a run of their own. */
export function sliceCompressedTexts(texts: CompressedTexts, from: number, to: number): CompressedTexts {
  return runOf(texts.dictionary, texts.offsets, from, to, (start, end) => texts.blob.subarray(start, end))
}

/** Documents [from, to) of a blob laid out by `offsets` (read through `bytes`), offsets counted from the run's start. */
function runOf(dictionary: Uint8Array, offsets: Uint32Array, from: number, to: number, bytes: (start: number, end: number) => Uint8Array): CompressedTexts {
  const base = offsets[from]!
  return { dictionary, blob: bytes(base, offsets[to]!), offsets: offsets.slice(from, to + 1).map((offset) => offset - base) }
}

/** Each text deflated on its own against the dictionary, laid end to end with offsets. */
export function compressTexts(texts: readonly string[], dictionary: Uint8Array): { blob: Uint8Array; offsets: Uint32Array } {
  const options = dictionary.length ? { dictionary } : {}
  const parts = texts.map((text) => deflateRawSync(Buffer.from(text, 'utf16le'), options))
  const offsets = new Uint32Array(texts.length + 1)
  let size = 0
  parts.forEach((part, i) => {
    size += part.length
    if (size > 0xffffffff) throw new Error('document store: compressed text exceeds 4 GiB')
    offsets[i + 1] = size
  })
  const blob = new Uint8Array(size)
  parts.forEach((part, i) => blob.set(part, offsets[i]!))
  return { blob, offsets }
}

const utf16 = new TextDecoder('utf-16le')

/**
 * Decodes documents' text on demand, keeping the last few. The compressed texts come through `read`
 * (byte ranges of the blob), so they can stay on disk: a page of results reads ten of them.
 */
export class TextReader {
  private readonly options: { dictionary?: Uint8Array }
  private readonly cache = new Map<number, string>()

  constructor(
    private readonly read: (start: number, end: number) => Uint8Array,
    private readonly offsets: Uint32Array,
    private readonly dictionary: Uint8Array,
  ) {
    this.options = dictionary.length ? { dictionary } : {}
  }

  /** Documents [from, to) as stored, read in one piece. */
  compressed(from: number, to: number): CompressedTexts {
    return runOf(this.dictionary, this.offsets, from, to, this.read)
  }

  text(doc: number): string {
    const cached = this.cache.get(doc)
    if (cached !== undefined) {
      // Map keeps insertion order: re-inserting makes it the most recent.
      this.cache.delete(doc)
      this.cache.set(doc, cached)
      return cached
    }
    const start = this.offsets[doc]!
    const end = this.offsets[doc + 1]!
    const text = start === end ? '' : utf16.decode(inflateRawSync(this.read(start, end), this.options))
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(doc, text)
    return text
  }
}
