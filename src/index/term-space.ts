import { readVarint, varintLength, type Cursor } from './bytes.js'
import { SpaceWriter } from './space-writer.js'
import type { Container, SectionData } from './container.js'
import type { ShardSpace } from './term-accumulator.js'

/**
 * One term space on disk (grams or words): a sorted key dictionary searched in place, a term table,
 * and the postings. Keys are found by binary search over the UTF-8 key blob, so loading builds no map.
 */
export class TermSpace {
  readonly terms: number
  private readonly keyBlob: Uint8Array
  private readonly keyOffsets: Float64Array
  readonly df: Uint32Array
  /** 1 when a term's postings carry positions (all but lone Han characters). */
  readonly positional: Uint8Array
  readonly docOffset: Float64Array
  readonly docLength: Uint32Array
  readonly posOffset: Float64Array
  readonly docBytes: Uint8Array
  readonly posBytes: Uint8Array
  private readonly checkpointStart: Uint32Array
  private readonly checkpoints: Uint32Array
  private readonly decoder = new TextDecoder()

  constructor(container: Container, prefix: string) {
    this.keyBlob = container.u8(`${prefix}.keys`)
    this.keyOffsets = container.f64(`${prefix}.keyOffsets`)
    this.df = container.u32(`${prefix}.df`)
    this.positional = container.u8(`${prefix}.positional`)
    this.docOffset = container.f64(`${prefix}.docOffset`)
    this.docLength = container.u32(`${prefix}.docLength`)
    this.posOffset = container.f64(`${prefix}.posOffset`)
    this.docBytes = container.u8(`${prefix}.docBytes`)
    this.posBytes = container.u8(`${prefix}.posBytes`)
    this.checkpointStart = container.u32(`${prefix}.checkpointStart`)
    this.checkpoints = container.u32(`${prefix}.checkpoints`)
    this.terms = this.df.length
  }

  key(term: number): string {
    return this.decoder.decode(this.keyBlob.subarray(this.keyOffsets[term], this.keyOffsets[term + 1]))
  }

  /** The term number of `key`, or -1. Keys are ordered by UTF-16 code units, as JavaScript compares strings. */
  lookup(key: string): number {
    let lo = 0
    let hi = this.terms - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const k = this.key(mid)
      if (k === key) return mid
      if (k < key) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /** First index ≥ the first key that starts with `prefix` (for prefix scans such as suggestions). */
  lowerBound(prefix: string): number {
    let lo = 0
    let hi = this.terms
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.key(mid) < prefix) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Decodes a term's documents and frequencies into the caller's reusable list; positions wait until asked for. */
  read(term: number, into: PostingList): PostingList {
    const bytes = this.docBytes
    const end = this.docOffset[term]! + this.docLength[term]!
    const cursor: Cursor = { at: this.docOffset[term]! }
    into.reset(this.df[term]!, this, term)
    let doc = 0
    let first = true
    while (cursor.at < end) {
      const delta = readVarint(bytes, cursor)
      doc = first ? delta : doc + delta
      first = false
      const tf = readVarint(bytes, cursor)
      const tfTitle = (tf & 3) === 3 ? readVarint(bytes, cursor) : tf & 3
      into.push(doc, tfTitle, Math.floor(tf / 4))
    }
    return into
  }

  /**
   * Byte offset of entry i's positions: skip from the nearest checkpoint (long lists) or from the
   * term's first posting, or from `near` (an earlier entry whose offset the caller knows).
   */
  positionOffset(term: number, list: PostingList, i: number, near?: { entry: number; offset: number }): number {
    const block = Math.floor(i / CHECKPOINT_EVERY)
    let entry = 0
    let at = this.posOffset[term]!
    if (block > 0) {
      const c = this.checkpointStart[term]! + block - 1
      if (c < this.checkpointStart[term + 1]!) {
        entry = block * CHECKPOINT_EVERY
        at += this.checkpoints[c]!
      }
    }
    if (near && near.entry <= i && near.entry >= entry) {
      entry = near.entry
      at = near.offset
    }
    const bytes = this.posBytes
    for (; entry < i; entry++) {
      for (let k = list.tfTitle[entry]! + list.tfBody[entry]!; k > 0; k--) {
        while (bytes[at]! >= 0x80) at++
        at++
      }
    }
    return at
  }

  /** Positions of one posting entry: the title's, then the body's, written into `title` and `body`. */
  positions(entryPos: number, tfTitle: number, tfBody: number, title: Uint32Array, body: Uint32Array): void {
    const cursor: Cursor = { at: entryPos }
    let p = 0
    for (let i = 0; i < tfTitle; i++) title[i] = p += readVarint(this.posBytes, cursor)
    p = 0
    for (let i = 0; i < tfBody; i++) body[i] = p += readVarint(this.posBytes, cursor)
  }
}

/** A decoded posting list in parallel typed arrays, grown as needed and reused between queries. */
export class PostingList {
  length = 0
  docs = new Uint32Array(64)
  tfTitle = new Uint32Array(64)
  tfBody = new Uint32Array(64)
  private space: TermSpace | null = null
  private term = -1
  /** The last entry whose positions were read, to skip forward from when the next is near. */
  private last: { entry: number; offset: number } | undefined = undefined

  reset(capacity: number, space: TermSpace, term: number): void {
    this.length = 0
    this.space = space
    this.term = term
    this.last = undefined
    if (this.docs.length < capacity) {
      const size = Math.max(capacity, this.docs.length * 2)
      this.docs = new Uint32Array(size)
      this.tfTitle = new Uint32Array(size)
      this.tfBody = new Uint32Array(size)
    }
  }

  push(doc: number, tfTitle: number, tfBody: number): void {
    const i = this.length++
    this.docs[i] = doc
    this.tfTitle[i] = tfTitle
    this.tfBody[i] = tfBody
  }

  /** Whether entries carry positions (lone Han characters do not: their grams' positions serve). */
  get positional(): boolean {
    return this.space !== null && this.space.positional[this.term] === 1
  }

  /** Writes entry i's title and body positions into the buffers (sized by the caller to its frequencies). */
  positionsOf(i: number, title: Uint32Array, body: Uint32Array): void {
    if (!this.space || !this.positional) return
    const at = this.space.positionOffset(this.term, this, i, this.last)
    this.last = { entry: i, offset: at }
    this.space.positions(at, this.tfTitle[i]!, this.tfBody[i]!, title, body)
  }
}

/**
 * Merges shard spaces built by separate workers into one space's sections. Shard k's documents are
 * numbered after shard k − 1's, so its lists are appended, only the first doc delta rebased.
 */
export function mergeSpaces(prefix: string, shards: ShardSpace[], docBase: number[]): Record<string, SectionData> {
  const out = new SpaceWriter()
  const cursors = shards.map(() => 0)
  for (;;) {
    let next: string | null = null
    for (let s = 0; s < shards.length; s++) {
      const k = shards[s]!.keys[cursors[s]!]
      if (k !== undefined && (next === null || k < next)) next = k
    }
    if (next === null) break
    const first = shards.findIndex((shard, s) => shard.keys[cursors[s]!] === next)
    const positional = shards[first]!.positional[cursors[first]!] === 1
    out.beginTerm(next, positional)
    let termDf = 0
    let lastGlobal = -1
    for (let s = 0; s < shards.length; s++) {
      const shard = shards[s]!
      const t = cursors[s]!
      if (shard.keys[t] !== next) continue
      cursors[s] = t + 1
      const from = shard.docOffset[t]!
      const list = shard.docBytes.subarray(from, from + shard.docLength[t]!)
      const firstLocal = readVarint(list, { at: 0 })
      const firstGlobal = docBase[s]! + firstLocal
      out.docs.varint(lastGlobal < 0 ? firstGlobal : firstGlobal - lastGlobal)
      out.docs.append(list.subarray(varintLength(list, 0)))
      const p = shard.posOffset[t]!
      out.positions.append(shard.posBytes.subarray(p, p + shard.posLength[t]!))
      lastGlobal = docBase[s]! + shard.lastDoc[t]!
      termDf += shard.df[t]!
    }
    if (termDf > CHECKPOINT_EVERY && positional) {
      const start = out.termStart
      addCheckpoints(out.docs.bytes, start.docs, out.docs.length, out.positions.bytes, start.positions, out.checkpoints)
    }
    out.endTerm(termDf)
  }
  return out.sections(prefix)
}

/** Positions are found by skipping from the nearest checkpoint, one per this many postings of a long list. */
export const CHECKPOINT_EVERY = 128

/** Decodes one term's postings and records where the positions of postings 128, 256, … begin (relative to the term's first). */
function addCheckpoints(docBytes: Uint8Array, from: number, to: number, posBytes: Uint8Array, posStart: number, out: number[]): void {
  const cursor: Cursor = { at: from }
  let at = posStart
  for (let i = 0; cursor.at < to; i++) {
    if (i > 0 && i % CHECKPOINT_EVERY === 0) out.push(at - posStart)
    readVarint(docBytes, cursor)
    const tf = readVarint(docBytes, cursor)
    const tfTitle = (tf & 3) === 3 ? readVarint(docBytes, cursor) : tf & 3
    for (let k = tfTitle + Math.floor(tf / 4); k > 0; k--) {
      while (posBytes[at]! >= 0x80) at++
      at++
    }
  }
}
