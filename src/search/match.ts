import type { IndexReader } from '../index/reader.js'
import { PostingList } from '../index/term-space.js'
import type { QueryTerm } from './query-terms.js'

/**
 * The documents that contain a term, with its frequency per field and where it occurs (as unit
 * positions, for proximity). Built once per term per query.
 */
export interface TermMatch {
  readonly length: number
  readonly docs: Uint32Array
  readonly tfTitle: Uint32Array
  readonly tfBody: Uint32Array
  /** Body positions of entry i (a view, valid until the next call). */
  bodyPositions(i: number): Uint32Array
  /** Title positions of entry i (a view, valid until the next call). */
  titlePositions(i: number): Uint32Array
}

const NO_POSITIONS = new Uint32Array(0)

const EMPTY: TermMatch = {
  length: 0,
  docs: new Uint32Array(0),
  tfTitle: new Uint32Array(0),
  tfBody: new Uint32Array(0),
  bodyPositions: () => new Uint32Array(0),
  titlePositions: () => new Uint32Array(0),
}

/** A term that is one gram, or one word: its posting list is the match. */
class ListMatch implements TermMatch {
  private titleBuf = new Uint32Array(16)
  private bodyBuf = new Uint32Array(64)

  constructor(private readonly list: PostingList) {}

  get length() {
    return this.list.length
  }
  get docs() {
    return this.list.docs
  }
  get tfTitle() {
    return this.list.tfTitle
  }
  get tfBody() {
    return this.list.tfBody
  }

  private decode(i: number): void {
    const tfT = this.list.tfTitle[i]!
    const tfB = this.list.tfBody[i]!
    if (this.titleBuf.length < tfT) this.titleBuf = new Uint32Array(tfT * 2)
    if (this.bodyBuf.length < tfB) this.bodyBuf = new Uint32Array(tfB * 2)
    this.list.positionsOf(i, this.titleBuf, this.bodyBuf)
  }

  bodyPositions(i: number): Uint32Array {
    if (!this.list.positional) return NO_POSITIONS
    this.decode(i)
    return this.bodyBuf.subarray(0, this.list.tfBody[i]!)
  }

  titlePositions(i: number): Uint32Array {
    if (!this.list.positional) return NO_POSITIONS
    this.decode(i)
    return this.titleBuf.subarray(0, this.list.tfTitle[i]!)
  }
}

/** A longer term: documents where its grams line up at consecutive positions, found by positional intersection. */
class PhraseMatch implements TermMatch {
  length = 0
  docs: Uint32Array
  tfTitle: Uint32Array
  tfBody: Uint32Array
  private readonly starts: number[] = []
  /** Per entry: where its title starts begin in `starts`, then where its body starts begin. */
  private readonly offsets: number[] = []

  constructor(capacity: number) {
    this.docs = new Uint32Array(capacity)
    this.tfTitle = new Uint32Array(capacity)
    this.tfBody = new Uint32Array(capacity)
  }

  add(doc: number, title: number[], body: number[]): void {
    const i = this.length++
    this.docs[i] = doc
    this.tfTitle[i] = title.length
    this.tfBody[i] = body.length
    this.offsets.push(this.starts.length)
    for (const p of title) this.starts.push(p)
    for (const p of body) this.starts.push(p)
  }

  bodyPositions(i: number): Uint32Array {
    const from = this.offsets[i]! + this.tfTitle[i]!
    return Uint32Array.from(this.starts.slice(from, from + this.tfBody[i]!))
  }

  titlePositions(i: number): Uint32Array {
    const from = this.offsets[i]!
    return Uint32Array.from(this.starts.slice(from, from + this.tfTitle[i]!))
  }
}

interface GramItem {
  key: string
  offset: number
}

/** The grams whose positions pin a term down: touching units pair into bigrams; a gap leaves unigrams. */
export function gramItems(term: QueryTerm): GramItem[] {
  const { units, joined } = term
  if (units.length === 1) return [{ key: units[0]!, offset: 0 }]
  const items: GramItem[] = []
  const covered = new Uint8Array(units.length)
  for (let i = 0; i + 1 < units.length; i++) {
    if (joined[i + 1] === 1) {
      items.push({ key: units[i]! + units[i + 1]!, offset: i })
      covered[i] = covered[i + 1] = 1
    }
  }
  for (let i = 0; i < units.length; i++) if (!covered[i]) items.push({ key: units[i]!, offset: i })
  return items
}

/** Every document containing the term, as a substring of touching units (in the title only, if asked). */
export function matchTerm(index: IndexReader, term: QueryTerm): TermMatch {
  const items = gramItems(term)
  const terms = items.map((item) => index.grams.lookup(item.key))
  if (terms.some((t) => t < 0)) return EMPTY
  if (items.length === 1) {
    const list = index.grams.read(terms[0]!, new PostingList())
    return term.field === 'title' ? titleOnly(new ListMatch(list)) : new ListMatch(list)
  }
  const lists = terms.map((t) => index.grams.read(t, new PostingList()))
  const result = intersectPhrase(lists, items.map((i) => i.offset))
  return term.field === 'title' ? titleOnly(result) : result
}

/** Posting list of a dictionary word, or null when no document holds it as a word. */
export function matchWord(index: IndexReader, word: string): TermMatch | null {
  const t = index.words.lookup(word)
  if (t < 0) return null
  return new ListMatch(index.words.read(t, new PostingList()))
}

function intersectPhrase(lists: PostingList[], offsets: number[]): TermMatch {
  // Drive by the shortest list; advance a cursor in each of the others.
  const order = lists.map((_, i) => i).sort((a, b) => lists[a]!.length - lists[b]!.length)
  const lead = lists[order[0]!]!
  const cursors = new Int32Array(lists.length)
  const out = new PhraseMatch(lead.length)
  const titleBufs = lists.map(() => new Uint32Array(16))
  const bodyBufs = lists.map(() => new Uint32Array(64))
  const entry = new Int32Array(lists.length)
  outer: for (let e = 0; e < lead.length; e++) {
    const doc = lead.docs[e]!
    for (let k = 0; k < lists.length; k++) {
      const list = lists[k]!
      if (list === lead) {
        entry[k] = e
        continue
      }
      let c = cursors[k]!
      while (c < list.length && list.docs[c]! < doc) c++
      cursors[k] = c
      if (c >= list.length) break outer
      if (list.docs[c] !== doc) continue outer
      entry[k] = c
    }
    for (let k = 0; k < lists.length; k++) {
      const list = lists[k]!
      const i = entry[k]!
      const tfT = list.tfTitle[i]!
      const tfB = list.tfBody[i]!
      if (titleBufs[k]!.length < tfT) titleBufs[k] = new Uint32Array(tfT * 2)
      if (bodyBufs[k]!.length < tfB) bodyBufs[k] = new Uint32Array(tfB * 2)
      list.positionsOf(i, titleBufs[k]!, bodyBufs[k]!)
    }
    const title = alignedStarts(lists, entry, titleBufs, offsets, (l, i) => l.tfTitle[i]!)
    const body = alignedStarts(lists, entry, bodyBufs, offsets, (l, i) => l.tfBody[i]!)
    if (title.length + body.length > 0) out.add(doc, title, body)
  }
  return out
}

/**
 * Start positions p such that every gram k occurs at p + offsets[k]. Lists without positions (lone
 * Han characters) constrain only which documents match.
 */
function alignedStarts(
  lists: PostingList[],
  entry: Int32Array,
  bufs: Uint32Array[],
  offsets: number[],
  tf: (l: PostingList, i: number) => number,
): number[] {
  const starts: number[] = []
  const anchor = lists.findIndex((l) => l.positional)
  if (anchor < 0) return tf(lists[0]!, entry[0]!) > 0 ? [0] : starts
  const first = bufs[anchor]!
  const n0 = tf(lists[anchor]!, entry[anchor]!)
  const ptr = new Int32Array(lists.length)
  for (let a = 0; a < n0; a++) {
    const p = first[a]! - offsets[anchor]!
    if (p < 0) continue
    let ok = true
    for (let k = 0; k < lists.length && ok; k++) {
      if (k === anchor || !lists[k]!.positional) continue
      const want = p + offsets[k]!
      const buf = bufs[k]!
      const n = tf(lists[k]!, entry[k]!)
      let c = ptr[k]!
      while (c < n && buf[c]! < want) c++
      ptr[k] = c
      ok = c < n && buf[c] === want
    }
    if (ok) starts.push(p)
  }
  return starts
}

/** Restricts a match to documents whose title contains the term, counting only title occurrences. */
function titleOnly(match: TermMatch): TermMatch {
  const keep: number[] = []
  for (let i = 0; i < match.length; i++) if (match.tfTitle[i]! > 0) keep.push(i)
  return {
    length: keep.length,
    docs: Uint32Array.from(keep, (i) => match.docs[i]!),
    tfTitle: Uint32Array.from(keep, (i) => match.tfTitle[i]!),
    tfBody: new Uint32Array(keep.length),
    bodyPositions: () => new Uint32Array(0),
    titlePositions: (i) => match.titlePositions(keep[i]!),
  }
}
