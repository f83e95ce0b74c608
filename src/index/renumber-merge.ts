import type { Cursor } from './bytes.js'
import { readPosting, writePosting, type Posting } from './posting-codec.js'
import { CHECKPOINT_EVERY, SpaceWriter } from './space-writer.js'
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
    positional: (t) => space.positional[t] === 1,
    docBytes: space.docBytes,
    docRange: (t) => [space.docOffset[t]!, space.docOffset[t + 1]!],
    posBytes: space.posBytes,
    posStart: (t) => space.posOffset[t]!,
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

interface Entry {
  doc: number
  tfTitle: number
  tfBody: number
  source: number
  posFrom: number
  posTo: number
}

/**
 * Merges term spaces whose documents interleave in the final numbering. Writes exactly the bytes a
 * fresh build of the same documents writes, so an incremental build is indistinguishable from a full one.
 */
export function mergeRenumbered(prefix: string, sources: PostingSource[]): Record<string, SectionData> {
  const out = new SpaceWriter()
  const cursors = sources.map(() => 0)
  const heads = sources.map((s) => (s.terms > 0 ? s.key(0) : undefined))
  for (;;) {
    let next: string | undefined
    for (const k of heads) if (k !== undefined && (next === undefined || k < next)) next = k
    if (next === undefined) break
    const entries: Entry[] = []
    let isPositional = true
    sources.forEach((source, s) => {
      if (heads[s] !== next) return
      const term = cursors[s]!
      isPositional = source.positional(term)
      collect(source, s, term, isPositional, entries)
      cursors[s] = term + 1
      heads[s] = term + 1 < source.terms ? source.key(term + 1) : undefined
    })
    if (entries.length === 0) continue // the term lived only in dropped documents
    if (sources.length > 1) entries.sort((a, b) => a.doc - b.doc)
    out.beginTerm(next, isPositional)
    const termPosStart = out.positions.length
    const termDocStart = out.docs.length
    let prev = 0
    entries.forEach((e, i) => {
      if (entries.length > CHECKPOINT_EVERY && i > 0 && i % CHECKPOINT_EVERY === 0) {
        out.checkpoint(out.positions.length - termPosStart, out.docs.length - termDocStart, prev)
      }
      writePosting(out.docs, i === 0 ? e.doc : e.doc - prev, e.tfTitle, e.tfBody)
      if (isPositional) out.positions.append(sources[e.source]!.posBytes.subarray(e.posFrom, e.posTo))
      prev = e.doc
    })
    out.endTerm(entries.length)
  }
  return out.sections(prefix)
}

/** Decodes one term's postings from a source, keeping the documents that survive, renumbered. */
function collect(source: PostingSource, s: number, term: number, isPositional: boolean, out: Entry[]): void {
  const [from, to] = source.docRange(term)
  const cursor: Cursor = { at: from }
  const bytes = source.posBytes
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
    const mapped = source.docMap[doc]!
    if (mapped >= 0) out.push({ doc: mapped, tfTitle, tfBody, source: s, posFrom, posTo: at })
  }
}
