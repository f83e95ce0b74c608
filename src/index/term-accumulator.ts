import { ByteWriter, readVarint, type Cursor } from './bytes.js'
import { rebaseFirstPosting, writePosting } from './posting-codec.js'

/** The two fields every document has; postings keep their frequencies and positions apart for BM25F. */
export const TITLE = 0
export const BODY = 1

/** One term space's postings for a run of documents, ready to move between threads. */
export interface ShardSpace {
  /** Term keys, sorted by UTF-16 code units (the order lookups binary-search in). */
  keys: string[]
  /** 1 when the term's postings carry positions. */
  positional: Uint8Array
  df: Uint32Array
  /** The last document id in each term's list, so a merge can rebase the next shard's first delta. */
  lastDoc: Uint32Array
  docOffset: Float64Array
  docLength: Uint32Array
  posOffset: Float64Array
  posLength: Uint32Array
  /** Per term, per document: a posting as posting-codec.ts writes it. */
  docBytes: Uint8Array
  /** Per term, per document (positional terms only): title positions then body positions, delta-encoded. */
  posBytes: Uint8Array
}

/** The buffers under a shard space's arrays, each once: what moves it between threads without a copy. */
export function shardSpaceBuffers(space: ShardSpace): ArrayBuffer[] {
  const arrays = [space.positional, space.df, space.lastDoc, space.docOffset, space.docLength, space.posOffset, space.posLength, space.docBytes, space.posBytes]
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]
}

/** Occurrences buffered before they are inverted into a partial: 16 MB of buffers, 16 MB more to sort them. */
const FLUSH_OCCURRENCES = 1 << 21

/**
 * Collects term occurrences for one term space in arrival order, then turns them into postings with
 * a counting sort by term. Flat typed arrays instead of an object per term keep a million terms cheap.
 */
export class TermAccumulator {
  private readonly ids = new Map<string, number>()
  readonly keys: string[] = []
  private readonly positional: number[] = []
  private occTerm = new Uint32Array(1 << 16)
  /** position × 2 + field: documents arrive in order and title before body, so sorting by term keeps them ordered. */
  private occCode = new Uint32Array(1 << 16)
  private count = 0
  /**
   * Documents arrive one after another, so an occurrence's document is kept once per run rather than
   * once per occurrence: run r is document runDoc[r], from occurrence runStart[r] on. A third less memory.
   */
  private runDoc = new Uint32Array(1 << 10)
  private runStart = new Uint32Array(1 << 10)
  private runs = 0
  /** The document of the current run (-1 before the first): one comparison per occurrence. */
  private lastDoc = -1
  /** Where each term's occurrences begin once sorted, and the sorted occurrences: kept from one partial to the next. */
  private termStart = new Uint32Array(0)
  private sortedDoc = new Uint32Array(0)
  private sortedCode = new Uint32Array(0)
  /**
   * The postings so far, inverted a few million occurrences at a time. Postings take ~2 bytes an
   * occurrence where the buffers take 8 (and 8 more to sort them): buffering a worker's whole run of
   * posts made its memory grow by 16 to 24 bytes an occurrence, the bulk of a large build's peak.
   */
  private readonly partials: PartialPostings[] = []
  /**
   * The partials' postings and their table, each in one growing buffer: a few large allocations, which
   * the allocator gives back to the system once freed, where a few small ones per partial stayed
   * resident in the worker's heap after it ended.
   */
  private partialDocs = new ByteWriter(1 << 16)
  private partialPositions = new ByteWriter(1 << 16)
  private partialTable = new ByteWriter(1 << 16)
  /** Set by {@link TermAccumulator.seal}. */
  private sealed = false

  /** `flushAt`: buffered occurrences past which the next document starts a new partial. */
  constructor(private readonly flushAt = FLUSH_OCCURRENCES) {}

  /** The id of a term, created on first sight. */
  intern(key: string, positional = true): number {
    let id = this.ids.get(key)
    if (id === undefined) {
      id = this.keys.length
      this.ids.set(key, id)
      this.keys.push(key)
      this.positional.push(positional ? 1 : 0)
    }
    return id
  }

  /**
   * The id of a term the caller knows is new: it came by a route no other key can take (see
   * GramInterner.bigram), so the key map, the dearest part of interning, is skipped.
   */
  internNew(key: string, positional = true): number {
    this.keys.push(key)
    this.positional.push(positional ? 1 : 0)
    return this.keys.length - 1
  }

  isPositional(term: number): boolean {
    return this.positional[term] === 1
  }

  /** Records one occurrence of a positional term, or for a term without positions, its count in the field. */
  add(term: number, doc: number, field: number, pos: number): void {
    if (doc !== this.lastDoc) this.startRun(doc)
    if (this.count === this.occTerm.length) {
      this.occTerm = doubled(this.occTerm)
      this.occCode = doubled(this.occCode)
    }
    this.occTerm[this.count] = term
    this.occCode[this.count] = pos * 2 + field
    this.count++
  }

  private startRun(doc: number): void {
    if (this.sealed) throw new Error(`document ${doc} added after the postings were sealed`)
    if (doc < this.lastDoc) throw new Error(`document ${doc} added after document ${this.lastDoc}: documents must arrive in order`)
    // Between documents, so that each posting (one document's occurrences of a term) lies in one partial.
    if (this.count >= this.flushAt) this.flush()
    this.lastDoc = doc
    if (this.runs === this.runDoc.length) {
      this.runDoc = doubled(this.runDoc)
      this.runStart = doubled(this.runStart)
    }
    this.runDoc[this.runs] = doc
    this.runStart[this.runs] = this.count
    this.runs++
  }

  /** Inverts the buffered occurrences into a partial and empties the buffers for the next documents. */
  private flush(): void {
    this.partials.push(this.invert())
    this.count = 0
    this.runs = 0
  }

  /**
   * Inverts the last occurrences and lets go of what only adding needed (the key map, the buffers):
   * a caller may then collect it before {@link TermAccumulator.finish} joins the partials, a worker's
   * peak. Nothing can be added afterwards.
   */
  seal(): void {
    if (this.sealed) return
    this.sealed = true
    if (this.count > 0 || this.partials.length === 0) this.flush()
    this.ids.clear()
    this.occTerm = this.occCode = this.runDoc = this.runStart = this.sortedDoc = this.sortedCode = this.termStart = new Uint32Array(0)
  }

  /** The postings of every document added, each term's lists joined across the partials. */
  finish(): ShardSpace {
    this.seal()
    const partials = this.partials.splice(0)
    const stored = { docs: this.partialDocs.bytes, positions: this.partialPositions.bytes, table: this.partialTable.bytes }
    this.partialDocs = this.partialPositions = this.partialTable = new ByteWriter(0)
    const terms = this.keys.length
    const order = termsInKeyOrder(this.keys)
    const out: ShardSpace = {
      keys: Array.from(order, (t) => this.keys[t]!),
      positional: new Uint8Array(terms),
      df: new Uint32Array(terms),
      lastDoc: new Uint32Array(terms),
      docOffset: new Float64Array(terms),
      docLength: new Uint32Array(terms),
      posOffset: new Float64Array(terms),
      posLength: new Uint32Array(terms),
      docBytes: new Uint8Array(0),
      posBytes: new Uint8Array(0),
    }
    // A joined list's first posting in a later partial counts from that partial's 0, and is rebased onto
    // the list's last document so far: the delta can only shrink, so the partials' bytes are room enough.
    const last = partials.at(-1)!
    const docs = new ByteWriter(Math.max(1024, last.docEnd))
    const positions = new ByteWriter(Math.max(1024, last.posEnd))
    // Each partial's next row in the table: the term it names (-1 past its last) and where the rest of
    // it is read; and where its next term's lists begin.
    const row: Cursor = { at: 0 }
    const rowTerm = new Float64Array(partials.length)
    const rowAt = new Float64Array(partials.length)
    const nextRow = (k: number, at: number) => {
      row.at = at
      rowTerm[k] = at < partials[k]!.tableEnd ? readVarint(stored.table, row) : -1
      rowAt[k] = row.at
    }
    partials.forEach((p, k) => nextRow(k, p.tableStart))
    const docAt = Float64Array.from(partials, (p) => p.docStart)
    const posAt = Float64Array.from(partials, (p) => p.posStart)
    for (let rank = 0; rank < terms; rank++) {
      const t = order[rank]!
      out.positional[rank] = this.positional[t]!
      out.docOffset[rank] = docs.length
      out.posOffset[rank] = positions.length
      let df = 0
      let lastDoc = 0
      // Each partial lists its terms in key order too, so a term is at each partial's next row or not in it.
      for (let k = 0; k < partials.length; k++) {
        if (rowTerm[k] !== t) continue
        const partial = partials[k]!
        row.at = rowAt[k]!
        const termDf = readVarint(stored.table, row)
        const termLastDoc = partial.firstDoc + readVarint(stored.table, row)
        const docEnd = docAt[k]! + readVarint(stored.table, row)
        const posEnd = posAt[k]! + readVarint(stored.table, row)
        nextRow(k, row.at)
        const list = stored.docs.subarray(docAt[k]!, docEnd)
        if (df === 0) docs.append(list)
        else rebaseFirstPosting(list, docs, -lastDoc)
        positions.append(stored.positions.subarray(posAt[k]!, posEnd))
        docAt[k] = docEnd
        posAt[k] = posEnd
        df += termDf
        lastDoc = termLastDoc
      }
      out.df[rank] = df
      out.lastDoc[rank] = lastDoc
      out.docLength[rank] = docs.length - out.docOffset[rank]!
      out.posLength[rank] = positions.length - out.posOffset[rank]!
    }
    out.docBytes = docs.finish()
    out.posBytes = positions.finish()
    return out
  }

  /** The buffered occurrences' postings, for the terms they hold, in key order. */
  private invert(): PartialPostings {
    const terms = this.keys.length
    const n = this.count
    const { occTerm, occCode, runDoc, runStart, runs } = this
    // Counting sort of occurrences by term id, stable, so each term's occurrences stay in document order.
    // Its buffers are kept from one partial to the next rather than allocated anew.
    if (this.termStart.length < terms + 1) this.termStart = new Uint32Array(2 * terms + 1)
    if (this.sortedDoc.length < n) {
      this.sortedDoc = new Uint32Array(n)
      this.sortedCode = new Uint32Array(n)
    }
    const { termStart: start, sortedDoc, sortedCode } = this
    start.fill(0, 0, terms + 1)
    for (let i = 0; i < n; i++) start[occTerm[i]! + 1]!++
    // Only the terms these documents hold: a partial is a few documents of a large vocabulary.
    let held = 0
    for (let t = 0; t < terms; t++) if (start[t + 1]! > 0) held++
    const heldTerms = new Uint32Array(held)
    for (let t = 0, h = 0; t < terms; t++) if (start[t + 1]! > 0) heldTerms[h++] = t
    for (let t = 0; t < terms; t++) start[t + 1]! += start[t]!
    // Each term's next free slot: its start, moved along as its occurrences are placed (restored below).
    for (let r = 0; r < runs; r++) {
      const doc = runDoc[r]!
      const end = r + 1 < runs ? runStart[r + 1]! : n
      for (let i = runStart[r]!; i < end; i++) {
        const at = start[occTerm[i]!]!++
        sortedDoc[at] = doc
        sortedCode[at] = occCode[i]!
      }
    }
    // Every slot moved to the next term's start: shifted back by one term, they are the starts again.
    start.copyWithin(1, 0, terms)
    start[0] = 0
    const order = termsInKeyOrder(Array.from(heldTerms, (t) => this.keys[t]!)).map((h) => heldTerms[h]!)
    const docs = this.partialDocs
    const positions = this.partialPositions
    const table = this.partialTable
    const firstDoc = runDoc[0]!
    const partial: PartialPostings = { firstDoc, tableStart: table.length, tableEnd: 0, docStart: docs.length, posStart: positions.length, docEnd: 0, posEnd: 0 }
    for (let rank = 0; rank < held; rank++) {
      const t = order[rank]!
      const positional = this.positional[t] === 1
      const termDocs = docs.length
      const termPositions = positions.length
      let prevDoc = 0
      let df = 0
      let i = start[t]!
      const end = start[t + 1]!
      while (i < end) {
        const doc = sortedDoc[i]!
        let j = i
        while (j < end && sortedDoc[j] === doc) j++
        // Title records come first in the run because the field is the low bit and titles are added first.
        let titleRecords = 0
        while (i + titleRecords < j && (sortedCode[i + titleRecords]! & 1) === 0) titleRecords++
        let titleTf = titleRecords
        let bodyTf = j - i - titleRecords
        if (positional) {
          let prev = 0
          for (let k = i; k < j; k++) {
            if (k === i + titleRecords) prev = 0
            const pos = sortedCode[k]! >>> 1
            positions.varint(pos - prev)
            prev = pos
          }
        } else {
          // Records of a term without positions carry its count in the field instead.
          titleTf = bodyTf = 0
          for (let k = i; k < j; k++) {
            if (k < i + titleRecords) titleTf += sortedCode[k]! >>> 1
            else bodyTf += sortedCode[k]! >>> 1
          }
        }
        writePosting(docs, df === 0 ? doc : doc - prevDoc, titleTf, bodyTf)
        prevDoc = doc
        df++
        i = j
      }
      table.varint(t)
      table.varint(df)
      table.varint(prevDoc - firstDoc)
      table.varint(docs.length - termDocs)
      table.varint(positions.length - termPositions)
    }
    partial.tableEnd = table.length
    partial.docEnd = docs.length
    partial.posEnd = positions.length
    return partial
  }
}

/**
 * The postings of a run of documents (see TermAccumulator's partials): rows of the partials' table,
 * one per term the run holds, in key order, and the stretches of the partials' streams they fill.
 * A row is five varints: the term's id, its df, its last document (less the run's first), and how many
 * document and position bytes its lists take. As 32-bit numbers, the rows took ~65 MB a worker at
 * 100,000 posts, at a worker's peak; as varints, well under half.
 */
interface PartialPostings {
  /** The run's first document. */
  firstDoc: number
  /** Where its rows begin and end in the table's bytes. */
  tableStart: number
  tableEnd: number
  docStart: number
  posStart: number
  docEnd: number
  posEnd: number
}

/** Term ids below this fit beside a 32-bit key prefix in a float64's 53-bit integer range. */
const MAX_PACKED_TERMS = 2 ** 21

/**
 * Term ids ordered by key, as `keys.slice().sort()` orders the keys (by UTF-16 code units), but
 * sorting numbers: each id is packed under its key's first two code units, and only runs sharing
 * those (longer words) are compared as strings. Nearly all grams are one or two code units long.
 */
export function termsInKeyOrder(keys: readonly string[]): Uint32Array {
  const n = keys.length
  if (n >= MAX_PACKED_TERMS) {
    return Uint32Array.from(keys.map((_, t) => t).sort((a, b) => compareKeys(keys[a]!, keys[b]!)))
  }
  const packed = new Float64Array(n)
  for (let t = 0; t < n; t++) {
    const key = keys[t]!
    // A missing second unit is 0, which sorts a one-unit key before its two-unit extensions.
    const prefix = key.length === 0 ? 0 : key.charCodeAt(0) * 0x10000 + (key.length > 1 ? key.charCodeAt(1) : 0)
    packed[t] = prefix * MAX_PACKED_TERMS + t
  }
  packed.sort()
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = packed[i]! % MAX_PACKED_TERMS
  // Keys of three or more units share a prefix group with others; order each such group by the whole key.
  let i = 0
  while (i < n) {
    const group = Math.floor(packed[i]! / MAX_PACKED_TERMS)
    let j = i + 1
    while (j < n && Math.floor(packed[j]! / MAX_PACKED_TERMS) === group) j++
    if (j - i > 1) order.subarray(i, j).set(Array.from(order.subarray(i, j)).sort((a, b) => compareKeys(keys[a]!, keys[b]!)))
    i = j
  }
  return order
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * An open-addressing hash table from a pair of 32-bit integers to a non-negative integer. A slot's
 * two keys and value sit side by side, so a lookup touches one cache line, not three arrays: the
 * table is looked up for every bigram of the archive and outgrows the caches.
 */
export class PairTable {
  /** Slot s: key a at 3s, key b at 3s + 1, value (−1: empty) at 3s + 2. */
  private slots = PairTable.empty(1 << 16)
  private mask = (1 << 16) - 1
  private size = 0

  private static empty(slots: number): Int32Array {
    const table = new Int32Array(3 * slots)
    for (let s = 2; s < table.length; s += 3) table[s] = -1
    return table
  }

  private static hash(a: number, b: number): number {
    return Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const { slots, mask } = this
    for (let s = PairTable.hash(a, b) & mask; ; s = (s + 1) & mask) {
      const at = 3 * s
      const value = slots[at + 2]!
      if (value < 0 || (slots[at] === a && slots[at + 1] === b)) return value
    }
  }

  set(a: number, b: number, value: number): void {
    const { slots, mask } = this
    let s = PairTable.hash(a, b) & mask
    while (slots[3 * s + 2]! >= 0 && !(slots[3 * s] === a && slots[3 * s + 1] === b)) s = (s + 1) & mask
    const at = 3 * s
    if (slots[at + 2]! < 0) this.size++
    slots[at] = a
    slots[at + 1] = b
    slots[at + 2] = value
    if (this.size * 2 > mask + 1) this.grow()
  }

  private grow(): void {
    const old = this.slots
    this.slots = PairTable.empty(2 * (this.mask + 1))
    this.mask = 2 * (this.mask + 1) - 1
    this.size = 0
    for (let at = 0; at < old.length; at += 3) if (old[at + 2]! >= 0) this.set(old[at]!, old[at + 1]!, old[at + 2]!)
  }
}

/**
 * Fast ids for character grams: a unit is named by its code unit when it is one character (nearly
 * every Han unit), and a pair by a table of unit ids, so the hot loop of indexing hashes integers
 * instead of building a string for every bigram.
 */
export class GramInterner {
  private unigramTerms = new Int32Array(1 << 17).fill(-1)
  private readonly longUnits = new Map<string, number>()
  private readonly longUnitText: string[] = []
  private readonly pairs = new PairTable()

  constructor(private readonly space: TermAccumulator, private readonly isIdeograph: (code: number) => boolean) {}

  /** The id of the unit `text[start, end)`. */
  unit(text: string, start: number, end: number): number {
    if (end - start === 1) return text.charCodeAt(start)
    const key = text.slice(start, end)
    let id = this.longUnits.get(key)
    if (id === undefined) {
      id = 0x10000 + this.longUnitText.length
      this.longUnits.set(key, id)
      this.longUnitText.push(key)
    }
    return id
  }

  private text(unit: number): string {
    return unit < 0x10000 ? String.fromCharCode(unit) : this.longUnitText[unit - 0x10000]!
  }

  unigram(unit: number): number {
    if (unit >= this.unigramTerms.length) {
      const grown = new Int32Array(Math.max(unit + 1, this.unigramTerms.length * 2)).fill(-1)
      grown.set(this.unigramTerms)
      this.unigramTerms = grown
    }
    let term = this.unigramTerms[unit]!
    if (term < 0) {
      // A lone Han character is found by its grams' documents alone; its positions are never needed.
      term = this.space.intern(this.text(unit), !(unit < 0x10000 && this.isIdeograph(unit)))
      this.unigramTerms[unit] = term
    }
    return term
  }

  bigram(a: number, b: number): number {
    let term = this.pairs.get(a, b)
    if (term < 0) {
      // Two ideographs of one code unit each spell a key that no unit (one code unit, or a run of
      // another script, or a surrogate pair) and no other pair can: the pairs table alone names it.
      const han = a < 0x10000 && b < 0x10000 && this.isIdeograph(a) && this.isIdeograph(b)
      term = han ? this.space.internNew(String.fromCharCode(a, b)) : this.space.intern(this.text(a) + this.text(b))
      this.pairs.set(a, b, term)
    }
    return term
  }
}

/**
 * Fast ids for jieba's words: words of up to four characters (nearly all) are keyed by their code
 * units packed into two integers, so a word is found without hashing a freshly made string.
 */
export class WordInterner {
  private readonly short = new PairTable()
  /** By word id: its sub-words' ids, once its first occurrence asked for them. */
  private readonly subwordIds: (number[] | undefined)[] = []

  constructor(private readonly space: TermAccumulator) {}

  /** Words carry no positions: ranking asks only whether and how often a document holds one as a word. */
  id(word: string): number {
    const n = word.length
    if (n < 2 || n > 4) return this.space.intern(word, false)
    const a = (word.charCodeAt(0) << 16) | word.charCodeAt(1)
    // 0xffff is a noncharacter, so it marks a three-character word without colliding with a real fourth.
    const b = n === 2 ? 1 : (word.charCodeAt(2) << 16) | (n === 3 ? 0xffff : word.charCodeAt(3))
    let term = this.short.get(a, b)
    if (term < 0) {
      term = this.space.intern(word, false)
      this.short.set(a, b, term)
    }
    return term
  }

  /** The ids of the sub-words `subwordsOf` gives for word `term` (whose key is `word`), cut once per shard. */
  subwords(term: number, word: string, of: { subwordsOf(word: string): string[] }): number[] {
    return (this.subwordIds[term] ??= of.subwordsOf(word).map((sub) => this.id(sub)))
  }
}

/** Counts occurrences of position-less terms within one field, to record each once with its count. */
export class FieldCounter {
  private counts = new Uint32Array(1 << 16)
  private readonly touched: number[] = []

  bump(term: number): void {
    if (term >= this.counts.length) {
      const grown = new Uint32Array(Math.max(term + 1, this.counts.length * 2))
      grown.set(this.counts)
      this.counts = grown
    }
    if (this.counts[term]!++ === 0) this.touched.push(term)
  }

  /** Adds every counted term to the space for this document and field, and starts over. */
  flush(space: TermAccumulator, doc: number, field: number): void {
    for (const term of this.touched) {
      space.add(term, doc, field, this.counts[term]!)
      this.counts[term] = 0
    }
    this.touched.length = 0
  }
}

/**
 * Counts, per term, the documents that mark it, each document once: for the words space, the documents
 * where jieba cut a word by itself, not only inside a longer word (视网 is in every 央视网, a word of its
 * own in almost none). Suggestions rank words by it.
 */
export class DocumentMarks {
  private counts = new Uint32Array(1 << 12)
  /** Per term, the document that marked it last (+1, so that 0 means none yet). */
  private lastDoc = new Uint32Array(1 << 12)

  mark(term: number, doc: number): void {
    if (term >= this.counts.length) {
      const size = Math.max(term + 1, this.counts.length * 2)
      this.counts = grownTo(this.counts, size)
      this.lastDoc = grownTo(this.lastDoc, size)
    }
    if (this.lastDoc[term] === doc + 1) return
    this.lastDoc[term] = doc + 1
    this.counts[term]!++
  }

  /** The counts in the order of a finished space's `keys`, for the terms `accumulator` numbered. */
  inKeyOrder(accumulator: TermAccumulator, keys: readonly string[]): Uint32Array<ArrayBuffer> {
    const byKey = new Map<string, number>()
    const n = Math.min(this.counts.length, accumulator.keys.length)
    for (let t = 0; t < n; t++) if (this.counts[t]! > 0) byKey.set(accumulator.keys[t]!, this.counts[t]!)
    return Uint32Array.from(keys, (key) => byKey.get(key) ?? 0)
  }
}

/** A copy of `a` in an array of `size` numbers. */
function grownTo(a: Uint32Array, size: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(size)
  b.set(a)
  return b
}

/** A copy of `a` in an array twice its length. */
function doubled(a: Uint32Array): Uint32Array<ArrayBuffer> {
  return grownTo(a, a.length * 2)
}
