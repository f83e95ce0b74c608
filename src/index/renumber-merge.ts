import { BlockMaxima, type FieldLengths } from './block-max.js'
import { DenseSets } from './dense-sets.js'
import type { Cursor } from './bytes.js'
import { readPosting, writePosting, type Posting } from './posting-codec.js'
import { CHECKPOINT_EVERY } from './checkpoints.js'
import { expectedBytes, SpaceWriter } from './space-writer.js'
import type { SectionData } from './container.js'
import type { ShardSpace } from './term-accumulator.js'
import type { TermSpace } from './term-space.js'

/**
 * A sorted run of terms with postings in the on-disk encoding, whose documents are renumbered on the
 * way out: a previous index (minus deleted and changed posts) or a shard of freshly analyzed posts.
 */
export interface PostingSource {
  terms: number
  key(term: number): string
  positional(term: number): boolean
  docBytes: Uint8Array
  docRange(term: number): [number, number]
  posBytes: Uint8Array
  posStart(term: number): number
  /** Source document number → final number, or -1 when the document is dropped. Increasing where defined. */
  docMap: Int32Array
}

export function sourceOfSpace(space: TermSpace, docMap: Int32Array): PostingSource {
  return {
    terms: space.terms,
    key: (t) => space.key(t),
    positional: (t) => space.positional(t),
    docBytes: space.docBytes,
    docRange: (t) => {
      const entry = space.entry(t)
      return [entry.docStart, entry.docEnd]
    },
    posBytes: space.posBytes,
    posStart: (t) => space.entry(t).posStart,
    docMap,
  }
}

export function sourceOfShard(shard: ShardSpace, docMap: Int32Array): PostingSource {
  return {
    terms: shard.keys.length,
    key: (t) => shard.keys[t]!,
    positional: (t) => shard.positional[t] === 1,
    docBytes: shard.docBytes,
    docRange: (t) => [shard.docOffset[t]!, shard.docOffset[t]! + shard.docLength[t]!],
    posBytes: shard.posBytes,
    posStart: (t) => shard.posOffset[t]!,
    docMap,
  }
}

/**
 * One term's surviving postings from every source, decoded into columns reused from term to term
 * (tens of millions of postings at 100,000 posts: one object each kept the collector busy). Each
 * source's postings are one run, already in final order, since document maps are increasing.
 */
class Postings {
  count = 0
  doc = new Int32Array(1024)
  tfTitle = new Int32Array(1024)
  tfBody = new Int32Array(1024)
  posFrom = new Int32Array(1024)
  posTo = new Int32Array(1024)
  /** Per source, where its run starts (runEnd: where it ends). */
  readonly runStart: Int32Array
  readonly runEnd: Int32Array

  constructor(sources: number) {
    this.runStart = new Int32Array(sources)
    this.runEnd = new Int32Array(sources)
  }

  push(doc: number, tfTitle: number, tfBody: number, posFrom: number, posTo: number): void {
    if (this.count === this.doc.length) this.grow()
    const i = this.count++
    this.doc[i] = doc
    this.tfTitle[i] = tfTitle
    this.tfBody[i] = tfBody
    this.posFrom[i] = posFrom
    this.posTo[i] = posTo
  }

  private grow(): void {
    const widen = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2)
      b.set(a)
      return b
    }
    this.doc = widen(this.doc)
    this.tfTitle = widen(this.tfTitle)
    this.tfBody = widen(this.tfBody)
    this.posFrom = widen(this.posFrom)
    this.posTo = widen(this.posTo)
  }
}

/**
 * Merges term spaces whose documents interleave in the final numbering. Writes exactly the bytes a
 * fresh build of the same documents writes, so an incremental build is indistinguishable from a full one.
 */
export function mergeRenumbered(prefix: string, sources: PostingSource[], lengths?: FieldLengths): Record<string, SectionData> {
  const out = new SpaceWriter(lengths ? new BlockMaxima(lengths) : null, lengths ? new DenseSets(lengths.titleUnits.length) : null, expectedBytes(sources))
  const cursors = sources.map(() => 0)
  const heads = sources.map((s) => (s.terms > 0 ? s.key(0) : undefined))
  const postings = new Postings(sources.length)
  /** Per source, its next posting not yet written. */
  const at = new Int32Array(sources.length)
  for (;;) {
    let next: string | undefined
    for (const k of heads) if (k !== undefined && (next === undefined || k < next)) next = k
    if (next === undefined) break
    postings.count = 0
    let isPositional = true
    sources.forEach((source, s) => {
      postings.runStart[s] = postings.runEnd[s] = postings.count
      if (heads[s] !== next) return
      const term = cursors[s]!
      isPositional = source.positional(term)
      collect(source, term, isPositional, postings)
      postings.runEnd[s] = postings.count
      cursors[s] = term + 1
      heads[s] = term + 1 < source.terms ? source.key(term + 1) : undefined
    })
    const total = postings.count
    if (total === 0) continue // the term lived only in dropped documents
    out.beginTerm(next, isPositional)
    out.listLength(total)
    const termPosStart = out.positions.length
    const termDocStart = out.docs.length
    at.set(postings.runStart)
    let prev = 0
    // Positions are copied in stretches: a source's kept postings mostly sit back to back.
    let copySource = -1
    let copyFrom = 0
    let copyTo = 0
    const copyPending = () => {
      if (copySource >= 0) out.positions.append(sources[copySource]!.posBytes.subarray(copyFrom, copyTo))
      copySource = -1
    }
    for (let i = 0; i < total; i++) {
      // The run whose next document comes first (a handful of runs: a linear pick beats a heap).
      let pick = -1
      for (let s = 0; s < sources.length; s++) {
        if (at[s]! < postings.runEnd[s]! && (pick < 0 || postings.doc[at[s]!]! < postings.doc[at[pick]!]!)) pick = s
      }
      const e = at[pick]!++
      const doc = postings.doc[e]!
      if (total > CHECKPOINT_EVERY && i > 0 && i % CHECKPOINT_EVERY === 0) {
        // A checkpoint names where the block's positions begin: what is pending is written first.
        copyPending()
        out.checkpoint(out.positions.length - termPosStart, out.docs.length - termDocStart, prev)
      }
      writePosting(out.docs, i === 0 ? doc : doc - prev, postings.tfTitle[e]!, postings.tfBody[e]!)
      out.posting(i, doc, postings.tfTitle[e]!, postings.tfBody[e]!)
      if (isPositional) {
        if (pick !== copySource || postings.posFrom[e] !== copyTo) {
          copyPending()
          copySource = pick
          copyFrom = postings.posFrom[e]!
        }
        copyTo = postings.posTo[e]!
      }
      prev = doc
    }
    copyPending()
    out.endTerm(total)
  }
  return out.sections(prefix)
}

/** Decodes one term's postings from a source, keeping the documents that survive, renumbered. */
function collect(source: PostingSource, term: number, isPositional: boolean, out: Postings): void {
  const [from, to] = source.docRange(term)
  const cursor: Cursor = { at: from }
  const bytes = source.posBytes
  const docMap = source.docMap
  let at = source.posStart(term)
  let doc = 0
  let first = true
  const posting: Posting = { delta: 0, tfTitle: 0, tfBody: 0 }
  while (cursor.at < to) {
    readPosting(source.docBytes, cursor, posting)
    const { tfTitle, tfBody } = posting
    doc = first ? posting.delta : doc + posting.delta
    first = false
    const posFrom = at
    if (isPositional) {
      for (let k = tfTitle + tfBody; k > 0; k--) {
        while (bytes[at]! >= 0x80) at++
        at++
      }
    }
    const mapped = docMap[doc]!
    if (mapped >= 0) out.push(mapped, tfTitle, tfBody, posFrom, at)
  }
}
