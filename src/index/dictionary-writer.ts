import { ByteWriter } from './bytes.js'
import type { SectionData } from './container.js'
import { u32List } from './number-list.js'

/**
 * Terms per dictionary block. Each block costs one anchor row (16 bytes) and one key written whole; a
 * lookup scans up to a block's rows: at 20,007 posts 16 looks up grams in ~470 ns (32: ~660, 64: ~1,050;
 * the old table ~200) for 0.3 MB more than 32.
 */
export const DICTIONARY_BLOCK = 16

/** Numbers per anchor row: where the block's rows begin, its first document byte, first position byte, first checkpoint. */
export const ANCHOR_FIELDS = 4

/** A prefix length this long or longer continues in a varint of its own (the row header keeps 4 bits of it). */
export const LONG_PREFIX = 15

/** What the dictionary keeps of one term, besides its key. */
export interface TermRow {
  df: number
  positional: boolean
  docStart: number
  docEnd: number
  posStart: number
  posEnd: number
  /** Number of the term's first checkpoint. */
  checkpointStart: number
}

const UTF8 = new TextEncoder()

/**
 * Writes a term space's dictionary compactly (front coding in blocks): terms are cut into blocks of
 * DICTIONARY_BLOCK in key order; per block one fixed-width anchor row, per term a row of varints:
 * a header (suffix length << 4 | the bytes shared with the previous key, up to 15), the key's other
 * bytes, df << 1 | positional, the document bytes' length and, when positional, the position bytes'.
 * Most grams are rare, so each varint is mostly one byte: about 7 bytes a term instead of 23.
 */
export class DictionaryWriter {
  private readonly rows = new ByteWriter(1 << 16)
  private readonly anchors = u32List()
  private terms = 0
  private previous = new Uint8Array(64)
  private previousLength = 0
  private current = new Uint8Array(64)

  constructor(private readonly blockSize = DICTIONARY_BLOCK) {
    if (!Number.isInteger(blockSize) || blockSize < 1) throw new Error(`dictionary block size ${blockSize}`)
  }

  /** Adds the next term, in key order (UTF-16 code units). */
  add(key: string, row: TermRow): void {
    if (this.terms % this.blockSize === 0) {
      this.anchors.push(this.rows.length)
      this.anchors.push(row.docStart)
      this.anchors.push(row.posStart)
      this.anchors.push(row.checkpointStart)
      this.previousLength = 0 // a block's first key is written whole: lookups compare it in place
    }
    const length = this.encode(key)
    const key8 = this.current
    let shared = 0
    const most = Math.min(length, this.previousLength)
    while (shared < most && key8[shared] === this.previous[shared]) shared++
    const suffix = length - shared
    this.rows.varint(suffix * 16 + Math.min(shared, LONG_PREFIX))
    if (shared >= LONG_PREFIX) this.rows.varint(shared - LONG_PREFIX)
    this.rows.append(key8.subarray(shared, length))
    this.rows.varint(row.df * 2 + (row.positional ? 1 : 0))
    this.rows.varint(row.docEnd - row.docStart)
    if (row.positional) this.rows.varint(row.posEnd - row.posStart)
    // The key just written is the next one's previous: swap the buffers rather than copy.
    this.current = this.previous
    this.previous = key8
    this.previousLength = length
    this.terms++
  }

  /** The dictionary's sections; `end`: the streams' ends and the checkpoints' count, for the closing anchor row. */
  sections(prefix: string, end: { docs: number; positions: number; checkpoints: number }): Record<string, SectionData> {
    if (this.rows.length > 0xffffffff) throw new Error('the key dictionary of one term space exceeds 4 GiB; split the archive')
    this.anchors.push(this.rows.length)
    this.anchors.push(end.docs)
    this.anchors.push(end.positions)
    this.anchors.push(end.checkpoints)
    return {
      [`${prefix}.termShape`]: Uint32Array.of(this.blockSize, this.terms),
      [`${prefix}.termAnchors`]: this.anchors.finish(),
      [`${prefix}.termRows`]: this.rows.finish(),
    }
  }

  /** `key` as UTF-8 in `current`; its length. */
  private encode(key: string): number {
    // At most 3 bytes per UTF-16 code unit.
    if (this.current.length < key.length * 3) {
      this.current = new Uint8Array(key.length * 3)
      if (this.previous.length < this.current.length) {
        const grown = new Uint8Array(this.current.length)
        grown.set(this.previous.subarray(0, this.previousLength))
        this.previous = grown
      }
    }
    return UTF8.encodeInto(key, this.current).written
  }
}
