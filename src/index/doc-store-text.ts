import { deflateRawSync, inflateRawSync } from 'node:zlib'

/*
 * Body text of the document store, compressed one document at a time so a page of hits decodes only
 * its own ten documents. Measured on the 20,007 shared posts (35.3 MB of UTF-8 text):
 *
 *   UTF-8 raw 35.3 MB · UTF-16LE raw 24.9 MB · per-document raw deflate, UTF-8 20.5 MB, UTF-16LE 18.8 MB
 *   · UTF-16LE + 8 KB preset dictionary 16.2 MB · + 16 KB 15.5 MB · + 32 KB 14.7 MB
 *   · 4 KB blocks + 32 KB dictionary 13.9 MB (but decoding a hit then inflates its neighbours: 2× the time)
 *
 * UTF-16LE because the archive is Han text (2 bytes a character instead of 3, and deflate's 3-byte
 * minimum match then covers one and a half characters instead of one). The preset dictionary is a
 * sample of the corpus itself: short documents share phrases with the rest of the archive, not with
 * themselves. Its size is a trade: zlib hashes the whole dictionary before every document, so the
 * build's compression CPU grows with it (on a busy 2-core machine, 20,007 posts: no dictionary 1.4 s,
 * 8 KB 2.0 s, 16 KB 2.1 s, 32 KB 3.0 s; the build's main thread compresses while its tail thread builds
 * suggestions, and at 32 KB compressing became the longer of the two). Inflating one hit takes about
 * 15–25 µs.
 */

/** Bytes of the preset dictionary. */
const DICTIONARY_BYTES = 16 * 1024
/** Characters taken from the start of each sampled document (a spread of short pieces beats a few long ones). */
const SAMPLE_CHARS = 200
/** Decoded texts kept: the hits of a page and of the page before, when a client pages back and forth. */
const CACHE_SIZE = 32

/**
 * The preset dictionary for `texts`: the opening characters of documents spread evenly through the
 * archive, as UTF-16LE, most recent sample last (deflate codes near distances in fewer bits).
 * Deterministic in `texts`, so a full build and an update that ends with the same documents agree.
 */
export function trainTextDictionary(texts: readonly string[]): Uint8Array {
  return sampledTextDictionary(texts.length, (doc) => texts[doc]!)
}

/**
 * The same dictionary from `count` documents whose texts `textOf` gives: only the few sampled
 * documents are asked for, so a build can foresee it from a handful of posts (see {@link joinCompressedTexts}).
 */
export function sampledTextDictionary(count: number, textOf: (doc: number) => string): Uint8Array {
  const pieces: string[] = []
  const wanted = Math.ceil(DICTIONARY_BYTES / (2 * SAMPLE_CHARS)) * 2
  const step = Math.max(1, count / wanted)
  let chars = 0
  for (let at = 0; at < count && chars * 2 < DICTIONARY_BYTES; at += step) {
    const piece = textOf(Math.floor(at)).slice(0, SAMPLE_CHARS)
    pieces.push(piece)
    chars += piece.length
  }
  const bytes = Buffer.from(pieces.join(''), 'utf16le')
  return new Uint8Array(bytes.subarray(Math.max(0, bytes.length - DICTIONARY_BYTES)))
}

/** Texts compressed by {@link compressTexts}, with the dictionary they were compressed against. */
export interface CompressedTexts {
  dictionary: Uint8Array
  blob: Uint8Array
  offsets: Uint32Array
}

/**
 * Runs of consecutive documents compressed apart (by the build's workers, each its own posts) laid
 * end to end: the same bytes as compressing all texts at once, since each document is deflated on
 * its own. Null when the runs used another dictionary than `dictionary`, or do not cover `count` documents.
 */
export function joinCompressedTexts(runs: readonly (CompressedTexts | null)[], dictionary: Uint8Array, count: number): { blob: Uint8Array; offsets: Uint32Array } | null {
  if (runs.some((r) => r === null || !sameBytes(r.dictionary, dictionary))) return null
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
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
    dictionary: Uint8Array,
  ) {
    this.options = dictionary.length ? { dictionary } : {}
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
