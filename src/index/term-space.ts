import { BlockMaxima, storedBlockMaxima, type FieldLengths, type StoredBlockMaxima } from './block-max.js'
import type { Cursor } from './bytes.js'
import { DenseSets, storedDenseSets, type StoredDenseSets } from './dense-sets.js'
import { readPosting, rebaseFirstPosting, type Posting } from './posting-codec.js'
import { CHECKPOINT_EVERY, CHECKPOINT_FIELDS } from './checkpoints.js'
import { DictionaryReader, dictionarySectionNames, type TermEntry } from './dictionary-reader.js'
import { expectedBytes, SpaceWriter } from './space-writer.js'
import type { Container, SectionData } from './container.js'
import type { ShardSpace } from './term-accumulator.js'

/**
 * The section of the words space that counts, per term, the documents holding it as a word of its own
 * (see DocumentMarks): its df also counts the documents holding it only inside a longer word.
 */
export const STANDALONE_DF = 'standaloneDf'

/**
 * One term space on disk (grams or words): a sorted key dictionary searched in place (see
 * DictionaryReader: blocks of front-coded rows, so loading builds no map and no table), and the postings.
 */
export class TermSpace {
  readonly terms: number
  private readonly dictionary: DictionaryReader
  readonly docBytes: Uint8Array
  readonly posBytes: Uint8Array
  /** Three numbers per checkpoint (see SpaceWriter.checkpoint); term t's are its entry's checkpointStart up to checkpointEnd. */
  readonly checkpointTable: Uint32Array
  /** Per checkpoint, the best its block can score (see BlockMaxima); null in a space written without them. */
  readonly blockMaxima: StoredBlockMaxima | null
  /** The documents of the space's most common terms as bitsets (see DenseSets); null in a space written without them. */
  readonly denseSets: StoredDenseSets | null
  /** Words only: per term, the documents holding it as a word of its own (see DocumentMarks); null in a space written without. */
  readonly standaloneDf: Uint32Array | null

  constructor(container: Container, prefix: string) {
    const [shape, anchors, rows] = dictionarySectionNames(prefix)
    this.dictionary = new DictionaryReader({ shape: container.u32(shape!), anchors: container.u32(anchors!), rows: container.u8(rows!) })
    this.docBytes = container.u8(`${prefix}.docBytes`)
    this.posBytes = container.u8(`${prefix}.posBytes`)
    this.checkpointTable = container.u32(`${prefix}.checkpoints`)
    this.blockMaxima = storedBlockMaxima(container, prefix)
    this.denseSets = storedDenseSets(container, prefix)
    this.standaloneDf = container.has(`${prefix}.${STANDALONE_DF}`) ? container.u32(`${prefix}.${STANDALONE_DF}`) : null
    this.terms = this.dictionary.terms
  }

  /**
   * Term `term`'s row: its df, whether it has positions, where its postings and checkpoints lie. Valid
   * until the space is asked about another term: read what you need from it at once.
   */
  entry(term: number): TermEntry {
    return this.dictionary.entry(term)
  }

  df(term: number): number {
    return this.dictionary.entry(term).df
  }

  /** Whether a term's postings carry positions (all but lone Han characters). */
  positional(term: number): boolean {
    return this.dictionary.entry(term).positional
  }

  /** Number of the first checkpoint of `term` (of the end, for terms). */
  checkpointRange(term: number): number {
    return this.dictionary.checkpointRange(term)
  }

  /** The document before the block checkpoint `c` opens: the block's documents come after it. */
  checkpointDoc(c: number): number {
    return this.checkpointTable[c * CHECKPOINT_FIELDS + 2]!
  }

  key(term: number): string {
    return this.dictionary.key(term)
  }

  /** The term number of `key`, or -1. Keys are ordered by UTF-16 code units, as JavaScript compares strings. */
  lookup(key: string): number {
    return this.dictionary.lookup(key)
  }

  /** First index ≥ the first key that starts with `prefix` (for prefix scans such as suggestions). */
  lowerBound(prefix: string): number {
    return this.dictionary.lowerBound(prefix)
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
