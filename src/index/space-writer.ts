import { ByteWriter } from './bytes.js'
import type { BlockMaxima } from './block-max.js'
import type { DenseSets } from './dense-sets.js'
import type { SectionData } from './container.js'
import { CHECKPOINT_EVERY, CHECKPOINT_FIELDS } from './checkpoints.js'
import { u32List } from './number-list.js'

/**
 * Lays out one term space's sections term by term, in key order: the key dictionary, the term table,
 * postings and position checkpoints. Both the full build's merge and the incremental merge write
 * through it, so the two produce the same bytes.
 */
export class SpaceWriter {
  readonly docs: ByteWriter
  readonly positions: ByteWriter
  // Typed lists, not number[]: the grams' checkpoints alone are millions of numbers at 100,000 posts,
  // which as number[] took twice the memory on the heap of the build's busiest moment.
  /** Per checkpoint, three numbers: see {@link SpaceWriter.checkpoint}. */
  private readonly checkpoints = u32List()
  private readonly keyBytes = new ByteWriter(1 << 20)
  private readonly keyOffsets = u32List()
  private readonly positional = u32List()
  private readonly df = u32List()
  private readonly docOffset = u32List()
  private readonly posOffset = u32List()

  /**
   * `blocks` and `dense`, when given, are fed every list's length and postings (`listLength`, `posting`),
   * and write their sections with the space's. `expected`: about how many document and position bytes
   * the merge will write (what its inputs hold), so the streams are allocated once, not doubled and
   * copied on the way up to hundreds of megabytes.
   */
  constructor(
    private readonly blocks: BlockMaxima | null = null,
    private readonly dense: DenseSets | null = null,
    expected: { docs: number; positions: number } = { docs: 0, positions: 0 },
  ) {
    this.docs = new ByteWriter(Math.max(1 << 20, expected.docs))
    this.positions = new ByteWriter(Math.max(1 << 20, expected.positions))
    this.keyOffsets.push(0)
  }

  /** Starts a term; its postings follow in `docs` and `positions`, its checkpoints in `checkpoints`. */
  beginTerm(key: string, positional: boolean): void {
    this.keyBytes.utf8(key)
    this.keyOffsets.push(this.keyBytes.length)
    this.positional.push(positional ? 1 : 0)
    this.docOffset.push(this.docs.length)
    this.posOffset.push(this.positions.length)
  }

  /** Tells the writer the current term's list will hold `df` postings, before they are fed (see `posting`). */
  listLength(df: number): void {
    this.dense?.begin(this.df.length, df)
  }

  /** The i-th posting of the current term's list, in order, for the block maxima and the dense sets. */
  posting(i: number, doc: number, tfTitle: number, tfBody: number): void {
    this.blocks?.add(i, doc, tfTitle, tfBody)
    this.dense?.add(doc)
  }

  /** Byte offsets where the current term's document and position streams began. */
  get termStart(): { docs: number; positions: number } {
    return { docs: this.docOffset.last!, positions: this.posOffset.last! }
  }

  /**
   * Records where block k (postings 32k, 32k + 1, …) of the current term begins: its positions and its
   * document bytes (relative to the term's first) and the document before it, so a reader can jump there.
   */
  checkpoint(positionsFrom: number, docsFrom: number, previousDoc: number): void {
    this.checkpoints.push(positionsFrom)
    this.checkpoints.push(docsFrom)
    this.checkpoints.push(previousDoc)
  }

  endTerm(df: number): void {
    this.df.push(df)
  }

  /**
   * The space's sections. Offsets are 32-bit (a term space over 4 GiB is refused); a term's postings end
   * where the next term's begin, and its checkpoints are counted from its df, so neither is stored.
   * The writer's last call: the offsets get their ends.
   */
  sections(prefix: string): Record<string, SectionData> {
    const docs = this.docs.finish()
    const positions = this.positions.finish()
    // Offsets only grow: when the ends fit in 32 bits, every offset before them did.
    fitsOffsets(this.keyBytes.length, 'keys')
    fitsOffsets(docs.length, 'postings')
    fitsOffsets(positions.length, 'positions')
    this.docOffset.push(docs.length)
    this.posOffset.push(positions.length)
    return {
      [`${prefix}.keys`]: this.keyBytes.finish(),
      [`${prefix}.keyOffsets`]: this.keyOffsets.finish(),
      [`${prefix}.df`]: this.df.finish(),
      [`${prefix}.positional`]: Uint8Array.from(this.positional.finish()),
      [`${prefix}.docOffset`]: this.docOffset.finish(),
      [`${prefix}.posOffset`]: this.posOffset.finish(),
      [`${prefix}.docBytes`]: docs,
      [`${prefix}.posBytes`]: positions,
      [`${prefix}.checkpoints`]: this.checkpoints.finish(),
      ...this.blocks?.sections(prefix),
      ...this.dense?.sections(prefix),
    }
  }
}

/**
 * About how many bytes a merge of these inputs writes (SpaceWriter's `expected`): their own streams,
 * with room for each term's first posting from each input to be coded anew (a head of up to 5 bytes)
 * and for renumbered gaps to grow a little, so a merge seldom outgrows it.
 */
export function expectedBytes(inputs: readonly { docBytes: Uint8Array; posBytes: Uint8Array; terms: number }[]): { docs: number; positions: number } {
  let docs = 0
  let positions = 0
  for (const input of inputs) {
    docs += input.docBytes.length * 1.02 + 5 * input.terms
    positions += input.posBytes.length
  }
  return { docs: Math.ceil(docs), positions }
}

function fitsOffsets(end: number, what: string): void {
  if (end > 0xffffffff) throw new Error(`the ${what} of one term space exceed 4 GiB; split the archive`)
}

/** Checkpoints a list of df postings has: one at each of postings 32, 64, … */
export function checkpointCount(df: number): number {
  return df > CHECKPOINT_EVERY ? Math.floor((df - 1) / CHECKPOINT_EVERY) : 0
}
