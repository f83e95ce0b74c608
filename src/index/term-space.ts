import { BlockMaxima, storedBlockMaxima, type FieldLengths, type StoredBlockMaxima } from './block-max.js'
import type { Cursor } from './bytes.js'
import { DenseSets, storedDenseSets, type StoredDenseSets } from './dense-sets.js'
import { readPosting, rebaseFirstPosting, type Posting } from './posting-codec.js'
import { CHECKPOINT_EVERY, CHECKPOINT_FIELDS } from './checkpoints.js'
import { checkpointCount, expectedBytes, SpaceWriter } from './space-writer.js'
import type { Container, SectionData } from './container.js'
import type { ShardSpace } from './term-accumulator.js'

/**
 * The section of the words space that counts, per term, the documents holding it as a word of its own
 * (see DocumentMarks): its df also counts the documents holding it only inside a longer word.
 */
export const STANDALONE_DF = 'standaloneDf'

/**
 * One term space on disk (grams or words): a sorted key dictionary searched in place, a term table,
 * and the postings. Keys are found by binary search over the UTF-8 key blob, so loading builds no map.
 */
export class TermSpace {
  readonly terms: number
  private readonly keyBlob: Uint8Array
  private readonly keyOffsets: Uint32Array
  readonly df: Uint32Array
  /** 1 when a term's postings carry positions (all but lone Han characters). */
  readonly positional: Uint8Array
  /** Where each term's postings begin in docBytes (one more entry: the end). */
  readonly docOffset: Uint32Array
  /** Where each term's positions begin in posBytes (one more entry: the end). */
  readonly posOffset: Uint32Array
  readonly docBytes: Uint8Array
  readonly posBytes: Uint8Array
  private readonly checkpointStart: Uint32Array
  /** Three numbers per checkpoint (see SpaceWriter.checkpoint); term t's are checkpointRange(t) up to checkpointRange(t + 1). */
  readonly checkpointTable: Uint32Array
  /** Per checkpoint, the best its block can score (see BlockMaxima); null in a space written without them. */
  readonly blockMaxima: StoredBlockMaxima | null
  /** The documents of the space's most common terms as bitsets (see DenseSets); null in a space written without them. */
  readonly denseSets: StoredDenseSets | null
  /** Words only: per term, the documents holding it as a word of its own (see DocumentMarks); null in a space written without. */
  readonly standaloneDf: Uint32Array | null
  private readonly decoder = new TextDecoder()

  constructor(container: Container, prefix: string) {
    this.keyBlob = container.u8(`${prefix}.keys`)
    this.keyOffsets = container.u32(`${prefix}.keyOffsets`)
    this.df = container.u32(`${prefix}.df`)
    this.positional = container.u8(`${prefix}.positional`)
    this.docOffset = container.u32(`${prefix}.docOffset`)
    this.posOffset = container.u32(`${prefix}.posOffset`)
    this.docBytes = container.u8(`${prefix}.docBytes`)
    this.posBytes = container.u8(`${prefix}.posBytes`)
    this.checkpointTable = container.u32(`${prefix}.checkpoints`)
    this.blockMaxima = storedBlockMaxima(container, prefix)
    this.denseSets = storedDenseSets(container, prefix)
    this.standaloneDf = container.has(`${prefix}.${STANDALONE_DF}`) ? container.u32(`${prefix}.${STANDALONE_DF}`) : null
    this.terms = this.df.length
    // Checkpoints follow from each term's df: counting them here saves a table on disk.
    this.checkpointStart = new Uint32Array(this.terms + 1)
    for (let t = 0; t < this.terms; t++) this.checkpointStart[t + 1] = this.checkpointStart[t]! + checkpointCount(this.df[t]!)
  }

  /** Number of the first checkpoint of `term` (of the end, for terms). */
  checkpointRange(term: number): number {
    return this.checkpointStart[term]!
  }

  /** The document before the block checkpoint `c` opens: the block's documents come after it. */
  checkpointDoc(c: number): number {
    return this.checkpointTable[c * CHECKPOINT_FIELDS + 2]!
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
      const order = this.compareKey(mid, key)
      if (order === 0) return mid
      if (order < 0) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /**
   * How term `term`'s key compares with `key` in UTF-16 code-unit order (negative: it sorts before),
   * read from the UTF-8 blob without making a string: a query looks up dozens of keys, each in ~20 steps.
   */
  private compareKey(term: number, key: string): number {
    const blob = this.keyBlob
    const end = this.keyOffsets[term + 1]!
    let at = this.keyOffsets[term]!
    let j = 0
    while (at < end) {
      // One code point of well-formed UTF-8 (keys were written by TextEncoder).
      let cp = blob[at++]!
      if (cp >= 0xf0) cp = ((cp & 0x07) << 18) | ((blob[at++]! & 0x3f) << 12) | ((blob[at++]! & 0x3f) << 6) | (blob[at++]! & 0x3f)
      else if (cp >= 0xe0) cp = ((cp & 0x0f) << 12) | ((blob[at++]! & 0x3f) << 6) | (blob[at++]! & 0x3f)
      else if (cp >= 0xc0) cp = ((cp & 0x1f) << 6) | (blob[at++]! & 0x3f)
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

  /** First index ≥ the first key that starts with `prefix` (for prefix scans such as suggestions). */
  lowerBound(prefix: string): number {
    let lo = 0
    let hi = this.terms
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.compareKey(mid, prefix) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/**
 * Merges shard spaces built by separate workers into one space's sections. Shard k's documents are
 * numbered after shard k − 1's, so its lists are appended, only the first doc delta rebased.
 */
export function mergeSpaces(prefix: string, shards: ShardSpace[], docBase: number[], lengths?: FieldLengths): Record<string, SectionData> {
  const expected = expectedBytes(shards.map((shard) => ({ docBytes: shard.docBytes, posBytes: shard.posBytes, terms: shard.keys.length })))
  const out = new SpaceWriter(lengths ? new BlockMaxima(lengths) : null, lengths ? new DenseSets(lengths.titleUnits.length) : null, expected)
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
    // The merged list's last document so far; a list's first delta counts from 0, as a shard's does.
    let lastGlobal = 0
    for (let s = 0; s < shards.length; s++) {
      const shard = shards[s]!
      const t = cursors[s]!
      if (shard.keys[t] !== next) continue
      cursors[s] = t + 1
      const from = shard.docOffset[t]!
      const list = shard.docBytes.subarray(from, from + shard.docLength[t]!)
      rebaseFirstPosting(list, out.docs, docBase[s]! - lastGlobal)
      const p = shard.posOffset[t]!
      out.positions.append(shard.posBytes.subarray(p, p + shard.posLength[t]!))
      lastGlobal = docBase[s]! + shard.lastDoc[t]!
      termDf += shard.df[t]!
    }
    out.listLength(termDf)
    if (termDf > CHECKPOINT_EVERY) {
      const start = out.termStart
      addCheckpoints(out, start.docs, start.positions, positional)
    }
    out.endTerm(termDf)
  }
  return out.sections(prefix)
}

/**
 * Decodes the current term's postings and records a checkpoint (and a block maximum) every
 * CHECKPOINT_EVERY postings, and each document in the term's dense set when it has one.
 */
function addCheckpoints(out: SpaceWriter, from: number, posStart: number, positional: boolean): void {
  const docBytes = out.docs.bytes
  const posBytes = out.positions.bytes
  const to = out.docs.length
  const cursor: Cursor = { at: from }
  let at = posStart
  let doc = 0
  const posting: Posting = { delta: 0, tfTitle: 0, tfBody: 0 }
  for (let i = 0; cursor.at < to; i++) {
    if (i > 0 && i % CHECKPOINT_EVERY === 0) out.checkpoint(at - posStart, cursor.at - from, doc)
    readPosting(docBytes, cursor, posting)
    doc = i === 0 ? posting.delta : doc + posting.delta
    out.posting(i, doc, posting.tfTitle, posting.tfBody)
    if (!positional) continue
    for (let k = posting.tfTitle + posting.tfBody; k > 0; k--) {
      while (posBytes[at]! >= 0x80) at++
      at++
    }
  }
}
