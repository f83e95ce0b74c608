import { ByteWriter } from './bytes.js'
import type { SectionData } from './container.js'

/** Numbers per checkpoint: positions offset, document-bytes offset, previous document. */
export const CHECKPOINT_FIELDS = 3

/**
 * Lays out one term space's sections term by term, in key order: the key dictionary, the term table,
 * postings and position checkpoints. Both the full build's merge and the incremental merge write
 * through it, so the two produce the same bytes.
 */
export class SpaceWriter {
  readonly docs = new ByteWriter(1 << 20)
  readonly positions = new ByteWriter(1 << 20)
  /** Per checkpoint, three numbers: see {@link SpaceWriter.checkpoint}. */
  readonly checkpoints: number[] = []
  private readonly keyBytes = new ByteWriter(1 << 20)
  private readonly keyOffsets: number[] = [0]
  private readonly positional: number[] = []
  private readonly df: number[] = []
  private readonly docOffset: number[] = []
  private readonly docLength: number[] = []
  private readonly posOffset: number[] = []
  private readonly checkpointStart: number[] = []
  private readonly encoder = new TextEncoder()

  /** Starts a term; its postings follow in `docs` and `positions`, its checkpoints in `checkpoints`. */
  beginTerm(key: string, positional: boolean): void {
    this.keyBytes.append(this.encoder.encode(key))
    this.keyOffsets.push(this.keyBytes.length)
    this.positional.push(positional ? 1 : 0)
    this.docOffset.push(this.docs.length)
    this.posOffset.push(this.positions.length)
    this.checkpointStart.push(this.checkpoints.length / CHECKPOINT_FIELDS)
  }

  /** Byte offsets where the current term's document and position streams began. */
  get termStart(): { docs: number; positions: number } {
    return { docs: this.docOffset[this.docOffset.length - 1]!, positions: this.posOffset[this.posOffset.length - 1]! }
  }

  /**
   * Records where block k (postings 128k, 128k+1, …) of the current term begins: its positions and its
   * document bytes (relative to the term's first) and the document before it, so a reader can jump there.
   */
  checkpoint(positionsFrom: number, docsFrom: number, previousDoc: number): void {
    this.checkpoints.push(positionsFrom, docsFrom, previousDoc)
  }

  endTerm(df: number): void {
    this.df.push(df)
    this.docLength.push(this.docs.length - this.termStart.docs)
  }

  sections(prefix: string): Record<string, SectionData> {
    return {
      [`${prefix}.keys`]: this.keyBytes.finish(),
      [`${prefix}.keyOffsets`]: Float64Array.from(this.keyOffsets),
      [`${prefix}.df`]: Uint32Array.from(this.df),
      [`${prefix}.positional`]: Uint8Array.from(this.positional),
      [`${prefix}.docOffset`]: Float64Array.from(this.docOffset),
      [`${prefix}.docLength`]: Uint32Array.from(this.docLength),
      [`${prefix}.posOffset`]: Float64Array.from(this.posOffset),
      [`${prefix}.docBytes`]: this.docs.finish(),
      [`${prefix}.posBytes`]: this.positions.finish(),
      [`${prefix}.checkpointStart`]: Uint32Array.from([...this.checkpointStart, this.checkpoints.length / CHECKPOINT_FIELDS]),
      [`${prefix}.checkpoints`]: Uint32Array.from(this.checkpoints),
    }
  }
}
