import { ByteWriter } from './bytes.js'

/** The two fields every document has; postings keep their frequencies and positions apart for BM25F. */
export const TITLE = 0
export const BODY = 1

/** One term space's postings for a run of documents, ready to move between threads. */
export interface ShardSpace {
  /** Term keys, sorted by UTF-16 code units (the order lookups binary-search in). */
  keys: string[]
  df: Uint32Array
  /** The last document id in each term's list, so a merge can rebase the next shard's first delta. */
  lastDoc: Uint32Array
  docOffset: Float64Array
  docLength: Uint32Array
  posOffset: Float64Array
  posLength: Uint32Array
  /** Per term, per document: varint doc delta, title tf, body tf, bytes of positions. */
  docBytes: Uint8Array
  /** Per term, per document: title positions then body positions, each delta-encoded. */
  posBytes: Uint8Array
}

/**
 * Collects term occurrences for one term space in arrival order, then turns them into postings with
 * a counting sort by term. Flat typed arrays instead of an object per term keep a million terms cheap.
 */
export class TermAccumulator {
  private readonly ids = new Map<string, number>()
  private readonly keys: string[] = []
  private occTerm = new Uint32Array(1 << 16)
  private occDoc = new Uint32Array(1 << 16)
  /** position × 2 + field: documents arrive in order and title before body, so sorting by term keeps them ordered. */
  private occCode = new Uint32Array(1 << 16)
  private count = 0

  add(key: string, doc: number, field: number, pos: number): void {
    let id = this.ids.get(key)
    if (id === undefined) {
      id = this.keys.length
      this.ids.set(key, id)
      this.keys.push(key)
    }
    if (this.count === this.occTerm.length) this.grow()
    this.occTerm[this.count] = id
    this.occDoc[this.count] = doc
    this.occCode[this.count] = pos * 2 + field
    this.count++
  }

  get occurrences(): number {
    return this.count
  }

  private grow(): void {
    const size = this.occTerm.length * 2
    const widen = (a: Uint32Array) => {
      const b = new Uint32Array(size)
      b.set(a)
      return b
    }
    this.occTerm = widen(this.occTerm)
    this.occDoc = widen(this.occDoc)
    this.occCode = widen(this.occCode)
  }

  finish(): ShardSpace {
    const terms = this.keys.length
    const n = this.count
    // Counting sort of occurrences by term id, stable, so each term's occurrences stay in document order.
    const start = new Uint32Array(terms + 1)
    for (let i = 0; i < n; i++) start[this.occTerm[i]! + 1]!++
    for (let t = 0; t < terms; t++) start[t + 1]! += start[t]!
    const fill = start.slice(0, terms)
    const sortedDoc = new Uint32Array(n)
    const sortedCode = new Uint32Array(n)
    for (let i = 0; i < n; i++) {
      const at = fill[this.occTerm[i]!]!++
      sortedDoc[at] = this.occDoc[i]!
      sortedCode[at] = this.occCode[i]!
    }
    const order = Array.from({ length: terms }, (_, t) => t).sort((a, b) => {
      const ka = this.keys[a]!
      const kb = this.keys[b]!
      return ka < kb ? -1 : ka > kb ? 1 : 0
    })
    const out: ShardSpace = {
      keys: order.map((t) => this.keys[t]!),
      df: new Uint32Array(terms),
      lastDoc: new Uint32Array(terms),
      docOffset: new Float64Array(terms),
      docLength: new Uint32Array(terms),
      posOffset: new Float64Array(terms),
      posLength: new Uint32Array(terms),
      docBytes: new Uint8Array(0),
      posBytes: new Uint8Array(0),
    }
    const docs = new ByteWriter(Math.max(1024, n))
    const positions = new ByteWriter(Math.max(1024, n * 2))
    for (let rank = 0; rank < terms; rank++) {
      const t = order[rank]!
      out.docOffset[rank] = docs.length
      out.posOffset[rank] = positions.length
      let prevDoc = 0
      let df = 0
      let i = start[t]!
      const end = start[t + 1]!
      while (i < end) {
        const doc = sortedDoc[i]!
        let j = i
        while (j < end && sortedDoc[j] === doc) j++
        // Title positions come first in the run because the field is the low bit and titles are added first.
        let titleTf = 0
        while (i + titleTf < j && (sortedCode[i + titleTf]! & 1) === 0) titleTf++
        const before = positions.length
        let prev = 0
        for (let k = i; k < i + titleTf; k++) {
          const pos = sortedCode[k]! >>> 1
          positions.varint(pos - prev)
          prev = pos
        }
        prev = 0
        for (let k = i + titleTf; k < j; k++) {
          const pos = sortedCode[k]! >>> 1
          positions.varint(pos - prev)
          prev = pos
        }
        docs.varint(df === 0 ? doc : doc - prevDoc)
        docs.varint(titleTf)
        docs.varint(j - i - titleTf)
        docs.varint(positions.length - before)
        prevDoc = doc
        df++
        i = j
      }
      out.df[rank] = df
      out.lastDoc[rank] = prevDoc
      out.docLength[rank] = docs.length - out.docOffset[rank]!
      out.posLength[rank] = positions.length - out.posOffset[rank]!
    }
    out.docBytes = docs.finish()
    out.posBytes = positions.finish()
    return out
  }
}
