import { ByteWriter } from './bytes.js'
import type { BlockMaxima } from './block-max.js'
import type { DenseSets } from './dense-sets.js'
import type { SectionData } from './container.js'
import { CHECKPOINT_FIELDS } from './checkpoints.js'
import { DictionaryWriter } from './dictionary-writer.js'
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
  private readonly dictionary: DictionaryWriter
  private terms = 0
  /** The current term's key and where its streams and checkpoints began. */
  private key = ''
  private isPositional = false
  private docStart = 0
  private posStart = 0
  private checkpointStart = 0

  /**
   * `blocks` and `dense`, when given, are fed every list's length and postings (`listLength`, `posting`),
   * and write their sections with the space's. `expected`: about how many document and position bytes
   * the merge will write (what its inputs hold), so the streams are allocated once, not doubled and
   * copied on the way up to hundreds of megabytes. `dictionaryBlock`: terms per dictionary block (tests
   * choose small ones to cross block boundaries).
   */
  constructor(
    private readonly blocks: BlockMaxima | null = null,
    private readonly dense: DenseSets | null = null,
    expected: { docs: number; positions: number } = { docs: 0, positions: 0 },
    dictionaryBlock?: number,
  ) {
    this.docs = new ByteWriter(Math.max(1 << 20, expected.docs))
    this.positions = new ByteWriter(Math.max(1 << 20, expected.positions))
    this.dictionary = new DictionaryWriter(dictionaryBlock)
  }

  /** Starts a term; its postings follow in `docs` and `positions`, its checkpoints in `checkpoints`. */
  beginTerm(key: string, positional: boolean): void {
    this.key = key
    this.isPositional = positional
    this.docStart = this.docs.length
    this.posStart = this.positions.length
    this.checkpointStart = this.checkpoints.length / CHECKPOINT_FIELDS
  }

  /** Tells the writer the current term's list will hold `df` postings, before they are fed (see `posting`). */
  listLength(df: number): void {
    this.blocks?.begin(this.terms, df, this.isPositional)
    this.dense?.begin(this.terms, df)
  }

  /** The i-th posting of the current term's list, in order, for the block maxima and the dense sets. */
  posting(i: number, doc: number, tfTitle: number, tfBody: number): void {
    this.blocks?.add(i, doc, tfTitle, tfBody)
    this.dense?.add(doc)
  }

  /** Byte offsets where the current term's document and position streams began. */
  get termStart(): { docs: number; positions: number } {
    return { docs: this.docStart, positions: this.posStart }
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
    this.dictionary.add(this.key, {
      df,
      positional: this.isPositional,
      docStart: this.docStart,
      docEnd: this.docs.length,
      posStart: this.posStart,
      posEnd: this.positions.length,
      checkpointStart: this.checkpointStart,
    })
    this.terms++
  }

  /**
   * The space's sections. Offsets are 32-bit (a term space over 4 GiB is refused); a term's checkpoints
   * are counted from its df, so only each dictionary block's first is stored. The writer's last call.
   */
  sections(prefix: string): Record<string, SectionData> {
    const docs = this.docs.finish()
    const positions = this.positions.finish()
    // Offsets only grow: when the ends fit in 32 bits, every offset before them did.
    fitsOffsets(docs.length, 'postings')
    fitsOffsets(positions.length, 'positions')
    const checkpoints = this.checkpoints.length / CHECKPOINT_FIELDS
    return {
      ...this.dictionary.sections(prefix, { docs: docs.length, positions: positions.length, checkpoints }),
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
