import { CODE_BODY, CODE_TITLE, SPELLED_OUT } from './posting-codec.js'
import { CHECKPOINT_EVERY, CHECKPOINT_FIELDS, CHECKPOINT_SHIFT } from './checkpoints.js'
import type { TermSpace } from './term-space.js'

/**
 * The document number a cursor reports once it has passed its last posting: above every document
 * number, and still a small integer to V8 (2^31 − 1). 0xffffffff is not one, so every walk variable
 * that could hold it was kept as a heap double, and typed-array reads and writes indexed by it paid for
 * conversions (the 5% slowest queries of the bench's log ran ~17% slower).
 */
export const END = 0x7fffffff

/** Positions a posting of each count code holds (title + body), for skipping past it. */
const CODE_SUM = CODE_BODY.map((body, code) => body + CODE_TITLE[code]!)

/**
 * Walks one term's postings in document order without decoding the whole list: `advance` jumps over
 * blocks of postings (CHECKPOINT_EVERY) by their checkpoints, and positions are read only for postings that ask.
 * This is what lets a query over common grams touch only the blocks its rarest term points into.
 */
export class PostingCursor {
  /** The current document, END when exhausted, -1 before the first call. */
  doc = -1
  tfTitle = 0
  tfBody = 0
  readonly df: number
  private readonly bytes: Uint8Array
  private readonly posBytes: Uint8Array
  private readonly checkpoints: Uint32Array
  private readonly positional: boolean
  private readonly docStart: number
  private readonly end: number
  private readonly posStart: number
  private readonly firstCheckpoint: number
  private readonly lastCheckpoint: number
  /** Byte offset of the next posting in the document stream. */
  private at: number
  /** Number of the current posting. */
  private entry = -1
  /**
   * Positions: before the current posting's are read, `posSkip` positions lie between `posAt` and them;
   * once read, `posAt` is where they begin and `posSkip` counts them.
   */
  private posAt: number
  private posSkip = 0
  private posRead = false

  constructor(space: TermSpace, term: number) {
    const entry = space.entry(term)
    this.df = entry.df
    this.positional = entry.positional
    this.docStart = entry.docStart
    this.end = entry.docEnd
    this.posStart = entry.posStart
    this.firstCheckpoint = entry.checkpointStart
    this.lastCheckpoint = entry.checkpointEnd
    this.bytes = space.docBytes
    this.posBytes = space.posBytes
    this.checkpoints = space.checkpointTable
    this.at = this.docStart
    this.posAt = this.posStart
  }

  /** Back to before the first posting, as if newly made. */
  rewind(): void {
    this.doc = -1
    this.tfTitle = this.tfBody = 0
    this.at = this.docStart
    this.entry = -1
    this.posAt = this.posStart
    this.posSkip = 0
    this.posRead = false
  }

  /** Moves to the next posting; returns its document or END. */
  next(): number {
    return this.doc === END ? END : this.advance(this.doc + 1)
  }

  /** Moves to the first posting whose document is ≥ target (never backwards); returns it or END. */
  advance(target: number): number {
    if (this.doc >= target) return this.doc
    this.jumpTowards(target)
    // The hottest loop of a search: postings before the target are decoded into locals only, and only
    // the one it stops at is written to the cursor (field writes per posting cost a third of the time).
    const bytes = this.bytes
    const end = this.end
    let at = this.at
    let entry = this.entry
    let doc = this.doc
    // Leaving the current posting: once its positions are read, posSkip already counts them.
    let posSkip = this.posRead ? this.posSkip : this.posSkip + this.tfTitle + this.tfBody
    this.posRead = false
    for (;;) {
      if (at >= end) {
        this.at = at
        this.entry = entry
        this.posSkip = posSkip
        return (this.doc = END)
      }
      // The head is delta × 8 + a code for the counts (see posting-codec.ts); 7 means they follow.
      // Nearly every head is one byte; a head fits 31 bits unless a gap spans 268M documents.
      let head = bytes[at++]!
      if (head >= 0x80) {
        let b = head
        head &= 0x7f
        for (let shift = 128; b >= 0x80; shift *= 128) {
          b = bytes[at++]!
          head += (b & 0x7f) * shift
        }
      }
      const small = head <= 0x7fffffff
      const code = small ? head & 7 : head % 8
      const delta = small ? head >>> 3 : Math.floor(head / 8)
      doc = entry < 0 ? delta : doc + delta
      entry++
      if (code !== SPELLED_OUT) {
        if (doc >= target) {
          this.tfBody = CODE_BODY[code]!
          this.tfTitle = CODE_TITLE[code]!
          break
        }
        posSkip += CODE_SUM[code]!
        continue
      }
      let b = bytes[at++]!
      let tf = b & 0x7f
      for (let shift = 128; b >= 0x80; shift *= 128) {
        b = bytes[at++]!
        tf += (b & 0x7f) * shift
      }
      let tfTitle = tf & 3
      if (tfTitle === 3) {
        b = bytes[at++]!
        tfTitle = b & 0x7f
        for (let shift = 128; b >= 0x80; shift *= 128) {
          b = bytes[at++]!
          tfTitle += (b & 0x7f) * shift
        }
      }
      const tfBody = Math.floor(tf / 4)
      if (doc >= target) {
        this.tfBody = tfBody
        this.tfTitle = tfTitle
        break
      }
      posSkip += tfTitle + tfBody
    }
    this.at = at
    this.entry = entry
    this.posSkip = posSkip
    return (this.doc = doc)
  }

  /** Skips whole blocks whose documents all precede `target`, landing just before the block that may hold it. */
  private jumpTowards(target: number): void {
    const cps = this.checkpoints
    // Checkpoint c opens block (c - first + 1); its previous document closes the block before.
    // A shift, not Math.floor of a division: every advance passes here (3% of the query log's time).
    const currentBlock = this.entry < 0 ? 0 : this.entry >> CHECKPOINT_SHIFT
    let lo = this.firstCheckpoint + currentBlock
    let hi = this.lastCheckpoint - 1
    if (lo > hi || cps[lo * CHECKPOINT_FIELDS + 2]! >= target) return
    // Galloping from the current block (1, 2, 4, … blocks on) before the binary search: targets mostly
    // lie a few blocks ahead, and probes near the current one stay in cache lines already read, where a
    // search over the whole rest of a long list lands its first probes far off.
    for (let step = 1; lo + step <= hi; step *= 2) {
      if (cps[(lo + step) * CHECKPOINT_FIELDS + 2]! >= target) {
        hi = lo + step - 1
        break
      }
      lo += step
    }
    // The last checkpoint whose previous document is < target.
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (cps[mid * CHECKPOINT_FIELDS + 2]! < target) lo = mid
      else hi = mid - 1
    }
    const base = lo * CHECKPOINT_FIELDS
    const block = lo - this.firstCheckpoint + 1
    this.at = this.docStart + cps[base + 1]!
    this.entry = block * CHECKPOINT_EVERY - 1
    this.doc = cps[base + 2]!
    this.tfTitle = 0
    this.tfBody = 0
    this.posAt = this.posStart + cps[base]!
    this.posSkip = 0
    this.posRead = false
  }

  /** The checkpoint that opened the block holding the current posting: -1 in the list's first block, which none opens. */
  get checkpoint(): number {
    const block = this.entry >> CHECKPOINT_SHIFT
    return block === 0 ? -1 : this.firstCheckpoint + block - 1
  }

  /** The last document of the block holding the current posting (END in the list's last block). */
  blockEnd(): number {
    const next = this.firstCheckpoint + (this.entry >> CHECKPOINT_SHIFT)
    return next < this.lastCheckpoint ? this.checkpoints[next * CHECKPOINT_FIELDS + 2]! : END
  }

  /** Whether postings carry positions (lone Han characters do not: the grams around them do). */
  get hasPositions(): boolean {
    return this.positional
  }

  /** Writes the current posting's title then body positions into the buffers (sized by the caller). */
  positions(title: Uint32Array, body: Uint32Array): void {
    if (!this.positional) return
    if (!this.posRead) {
      const bytes = this.posBytes
      let at = this.posAt
      for (let k = this.posSkip; k > 0; k--) {
        while (bytes[at]! >= 0x80) at++
        at++
      }
      this.posAt = at
      this.posSkip = this.tfTitle + this.tfBody
      this.posRead = true
    }
    // posAt stays at this posting's first position, so a second call reads the same again.
    readRun(this.posBytes, readRun(this.posBytes, this.posAt, this.tfTitle, title), this.tfBody, body)
  }
}

/** Reads `count` delta-coded positions starting at byte `at` into `out`; returns the next byte offset. */
function readRun(bytes: Uint8Array, at: number, count: number, out: Uint32Array): number {
  let p = 0
  for (let i = 0; i < count; i++) {
    let b = bytes[at++]!
    let v = b & 0x7f
    for (let shift = 128; b >= 0x80; shift *= 128) {
      b = bytes[at++]!
      v += (b & 0x7f) * shift
    }
    out[i] = p += v
  }
  return at
}
