import { normalize } from '../analysis/normalize.js'
import { splitUnits } from '../analysis/units.js'
import { END, PostingCursor } from '../index/posting-cursor.js'
import type { IndexReader } from '../index/reader.js'
import { termRanges, termStarts } from './highlight.js'
import type { QueryTerm } from './query-terms.js'

/** The buffers a cursor starts with: empty, never written (see TermCursor). */
const NO_POSITIONS = new Uint32Array(0)
const NO_POINTERS = new Int32Array(0)

interface GramItem {
  key: string
  offset: number
}

/** The grams whose positions pin a term down: touching units pair into bigrams; a gap leaves unigrams. */
function gramItems(term: QueryTerm): GramItem[] {
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

/**
 * A query term resolved against the gram dictionary once per query: which grams, at which offsets.
 * Cursors over it are cheap and can be opened as often as a query needs to walk the postings again.
 */
export class TermPlan {
  /** Gram term numbers, rarest first, with each gram's offset inside the term. */
  readonly grams: number[]
  readonly offsets: number[]
  /** Documents holding the term's rarest gram: an upper bound of the term's own document count. */
  readonly bound: number
  /** The term as a jieba word in the word space, when it is one and spans several grams; else -1. */
  readonly word: number
  /**
   * A term of several units where some gram keeps no positions: a lone Han character beside punctuation
   * in a phrase (the 令 of "禁渔，令", the 一 and 二 of "一、二、三等奖"). Positions cannot pin it to its
   * place, so the document's own text settles each candidate the grams leave.
   */
  readonly readsText: boolean

  constructor(
    readonly index: IndexReader,
    readonly term: QueryTerm,
  ) {
    // Each gram's row is read once, right after its lookup: the dictionary decodes a row on demand.
    const items = gramItems(term).map((item) => {
      const id = index.grams.lookup(item.key)
      const entry = id < 0 ? null : index.grams.entry(id)
      return { ...item, id, df: entry?.df ?? 0, positional: entry?.positional ?? false }
    })
    const missing = items.some((item) => item.id < 0)
    const sorted = missing ? [] : items.sort((a, b) => a.df - b.df)
    this.grams = sorted.map((item) => item.id)
    this.offsets = sorted.map((item) => item.offset)
    this.bound = missing ? 0 : (sorted[0]?.df ?? 0)
    this.word = this.grams.length > 1 ? index.words.lookup(term.text) : -1
    this.readsText = term.units.length > 1 && sorted.some((item) => !item.positional)
  }

  /**
   * How many documents hold the term, for its idf, without walking its postings: exact for a single
   * gram; for a longer term the count of documents holding it as a jieba word when it is one (nearly
   * every substring occurrence of a real word is the word), else its rarest gram's.
   */
  estimatedDf(): number {
    const word = this.word
    return word >= 0 ? Math.min(this.bound, Math.max(1, this.index.words.df(word))) : this.bound
  }

  /**
   * A cursor over the term's documents; `withStarts` when the caller wants the body starts (proximity).
   * `settle: false` never lets the word settle a document and always lines positions up: the reference
   * the shortcut is tested against.
   */
  open(withStarts = false, settle = true): TermCursor {
    return new TermCursor(this, withStarts, settle)
  }
}

/**
 * The folded title and (once read) body of the last document a cursor read the text of: the cursors of
 * a query walk in document order, so the next cursor to read one (another alternative of an OR, an
 * exclusion) asks for the same document, and reading and folding it again cost as much as the first time.
 */
let lastText: { docs: object; doc: number; title: string; body: string | null } | null = null

function foldedText(index: IndexReader, doc: number): { title: string; body: string | null } {
  if (lastText === null || lastText.docs !== index.docs || lastText.doc !== doc) {
    lastText = { docs: index.docs, doc, title: normalize(index.docs.title(doc)), body: null }
  }
  return lastText
}

/**
 * Walks the documents holding one query term. `candidate` finds documents holding all its grams (cheap,
 * skipping by checkpoints); `matchAt` checks that the grams line up into the term there and counts its
 * occurrences per field. Both only move forward.
 */
export class TermCursor {
  tfTitle = 0
  tfBody = 0
  /**
   * The term's own postings as a jieba word (see TermPlan.word), when counting may use them: the engine
   * reads the word bonus from this same cursor instead of opening another.
   */
  readonly word: PostingCursor | null
  private readonly grams: PostingCursor[]
  private readonly offsets: number[]
  private readonly field: 'any' | 'title'
  private lastDoc = -1
  private lastMatch = false
  // Position buffers start empty and grow on first use: most cursors never read positions (a one-gram
  // term, a word that settles its documents), and a query opens dozens of cursors.
  private titleBufs: Uint32Array[]
  private bodyBufs: Uint32Array[]
  private starts: Uint32Array = NO_POSITIONS
  private startCount = 0
  /** Per gram, how far aligned() has looked in its positions. */
  private ptr = NO_POINTERS
  /** The first gram with positions, which aligned() walks; -1 when none has (lone Han characters only). */
  private readonly anchor: number
  /** See TermPlan.readsText. */
  private readonly verbatim: boolean

  constructor(
    readonly plan: TermPlan,
    private readonly withStarts: boolean,
    settle: boolean,
  ) {
    this.grams = plan.grams.map((t) => new PostingCursor(plan.index.grams, t))
    this.offsets = plan.offsets
    this.field = plan.term.field
    this.titleBufs = this.grams.map(() => NO_POSITIONS)
    this.bodyBufs = this.grams.map(() => NO_POSITIONS)
    this.anchor = this.grams.findIndex((g) => g.hasPositions)
    this.verbatim = plan.readsText
    // Starts come from the rarest gram's positions when the word settles a document, so that gram must have them.
    this.word = settle && !this.verbatim && plan.word >= 0 && (!withStarts || this.grams[0]!.hasPositions) ? new PostingCursor(plan.index.words, plan.word) : null
  }

  /**
   * The first document ≥ from holding every gram of the term (not yet checked to line up), or END. A
   * document the term's word settles (see settled) is offered on its rarest gram alone: the other grams
   * are not moved there at all.
   */
  candidate(from: number): number {
    const grams = this.grams
    if (grams.length === 0) return END
    let target = from
    for (let k = 0; k < grams.length; ) {
      const doc = grams[k]!.advance(target)
      if (doc === END) return END
      if (k === 0) {
        target = doc
        if (this.word !== null && this.settled(doc)) {
          // Settled here, so matchAt(doc) need not look again: a walk asks it of nearly every candidate.
          this.remember(doc, this.takeWord())
          return doc
        }
        k = 1
      } else if (doc !== target) {
        target = doc
        k = 0
      } else k++
    }
    if (grams.length === 1 && target !== this.lastDoc) this.remember(target, this.single(grams[0]!))
    return target
  }

  /**
   * Back to before the first document, as if newly opened but keeping the position buffers it grew: for
   * a caller that walks the same term again from the start.
   */
  rewind(): void {
    for (let k = 0; k < this.grams.length; k++) this.grams[k]!.rewind()
    this.word?.rewind()
    this.lastDoc = -1
    this.lastMatch = false
    this.tfTitle = this.tfBody = this.startCount = 0
  }

  /** Whether the document holds the term; sets tfTitle and tfBody (occurrences, in the title only for title: terms). */
  matchAt(doc: number): boolean {
    if (doc === this.lastDoc) return this.lastMatch
    return this.remember(doc, this.check(doc))
  }

  private remember(doc: number, match: boolean): boolean {
    this.lastDoc = doc
    this.lastMatch = match
    if (!match) this.tfTitle = this.tfBody = this.startCount = 0
    return match
  }

  /** The postings of the term's rarest gram, where candidate() left them: all of the term's, for a one-gram term. */
  get rarestGram(): PostingCursor | undefined {
    return this.grams[0]
  }

  /**
   * Body positions where the term starts, in the document last matched: the first `bodyStartCount` of
   * this buffer, valid until the next match (no view is made: proximity asks for hundreds per query).
   */
  get bodyStartBuffer(): Uint32Array {
    return this.starts
  }

  get bodyStartCount(): number {
    return this.startCount
  }

  private check(doc: number): boolean {
    const grams = this.grams
    if (grams.length === 0) return false
    if (grams[0]!.advance(doc) !== doc) return false
    if (grams.length === 1) return this.single(grams[0]!)
    if (this.word !== null && this.settled(doc)) return this.takeWord()
    for (let k = 1; k < grams.length; k++) if (grams[k]!.advance(doc) !== doc) return false
    for (let k = 0; k < grams.length; k++) {
      const gram = grams[k]!
      if (!gram.hasPositions) continue
      this.titleBufs[k] = room(this.titleBufs[k]!, gram.tfTitle, 8)
      this.bodyBufs[k] = room(this.bodyBufs[k]!, gram.tfBody, 32)
      gram.positions(this.titleBufs[k]!, this.bodyBufs[k]!)
    }
    this.tfTitle = this.aligned(this.titleBufs, 'title')
    this.tfBody = this.field === 'title' ? 0 : this.aligned(this.bodyBufs, 'body')
    if (this.field === 'title') this.startCount = 0
    // The grams that keep positions lined up: at most that many occurrences, which the text settles.
    if (this.verbatim && this.tfTitle + this.tfBody > 0) this.countInText(doc)
    return this.field === 'title' ? this.tfTitle > 0 : this.tfTitle + this.tfBody > 0
  }

  /**
   * Counts the term in the document's title and body as the highlighter finds it (see verbatim). Only
   * a cursor that reports where the term starts cuts the whole body into units; counting looks at the
   * places its first unit occurs.
   */
  private countInText(doc: number): void {
    const { index, term } = this.plan
    const text = foldedText(index, doc)
    this.tfTitle = termRanges(text.title, term, 0, { units: null }).length
    this.tfBody = this.startCount = 0
    if (this.field === 'title') return
    // Candidates come in document order: their texts are read many at a time.
    const body = (text.body ??= index.docs.foldedInOrder(doc))
    if (!this.withStarts) {
      this.tfBody = termRanges(body, term, 0, { units: null }).length
      return
    }
    const starts = termStarts(splitUnits(body), term)
    this.tfBody = starts.length
    this.starts = room(this.starts, starts.length, 16)
    this.starts.set(starts)
    this.startCount = starts.length
  }

  /**
   * Whether the term's jieba word settles its counts in the document, so no positions need reading:
   * every word occurrence is an occurrence of the term, and the term occurs no more often than its
   * rarest gram (where the cursors stand), so when word and gram are equally frequent (per field) the
   * term is exactly that frequent. Nearly always so for real words (习近平, 高质量): their grams seldom
   * occur elsewhere.
   */
  private settled(doc: number): boolean {
    const word = this.word!
    if (word.advance(doc) !== doc) return false
    const gram = this.grams[0]!
    return word.tfTitle === gram.tfTitle && (this.field === 'title' || word.tfBody === gram.tfBody)
  }

  /** Counts a document the word settled (see settled) by the word's postings. */
  private takeWord(): boolean {
    const word = this.word!
    this.tfTitle = word.tfTitle
    this.tfBody = this.field === 'title' ? 0 : word.tfBody
    this.startCount = 0
    if (this.field === 'title') return this.tfTitle > 0
    // Every occurrence of the rarest gram lies inside one of the term's: its positions give the starts.
    if (this.withStarts && this.tfBody > 0) this.readStarts(this.grams[0]!, this.offsets[0]!)
    return true
  }

  /** A one-gram term: the gram's own counts and positions. */
  private single(gram: PostingCursor): boolean {
    this.tfTitle = gram.tfTitle
    this.tfBody = this.field === 'title' ? 0 : gram.tfBody
    this.startCount = 0
    if (this.field === 'title') return this.tfTitle > 0
    if (this.withStarts && gram.hasPositions && this.tfBody > 0) this.readStarts(gram, 0)
    return true
  }

  /** The body starts of a term whose every occurrence holds `gram` at `offset` (a lone gram, or a settled word's rarest). */
  private readStarts(gram: PostingCursor, offset: number): void {
    this.titleBufs[0] = room(this.titleBufs[0]!, gram.tfTitle, 8)
    this.starts = room(this.starts, gram.tfBody, 16)
    gram.positions(this.titleBufs[0]!, this.starts)
    for (let i = 0; i < gram.tfBody; i++) this.starts[i]! -= offset
    this.startCount = gram.tfBody
  }

  /**
   * Counts start positions p where every positional gram k occurs at p + offset k (lone Han characters
   * carry no positions and only constrain which documents match); keeps the body's. Called per
   * candidate document, so it takes the field by name rather than an accessor closure made per call.
   */
  private aligned(bufs: Uint32Array[], field: 'title' | 'body'): number {
    const grams = this.grams
    const offsets = this.offsets
    const keep = field === 'body'
    const anchor = this.anchor
    if (keep) this.startCount = 0
    if (anchor < 0) return occurrences(grams[0]!, keep) > 0 ? 1 : 0
    const first = bufs[anchor]!
    const n0 = occurrences(grams[anchor]!, keep)
    let count = 0
    const ptr = this.ptr.length >= grams.length ? this.ptr.fill(0) : (this.ptr = new Int32Array(grams.length))
    for (let a = 0; a < n0; a++) {
      const p = first[a]! - offsets[anchor]!
      if (p < 0) continue
      let ok = true
      for (let k = 0; k < grams.length && ok; k++) {
        const gram = grams[k]!
        if (k === anchor || !gram.hasPositions) continue
        const want = p + offsets[k]!
        const buf = bufs[k]!
        const n = occurrences(gram, keep)
        let c = ptr[k]!
        while (c < n && buf[c]! < want) c++
        ptr[k] = c
        ok = c < n && buf[c] === want
      }
      if (!ok) continue
      if (keep) {
        if (this.starts.length <= count) {
          const grown = new Uint32Array(Math.max(16, this.starts.length * 2))
          grown.set(this.starts)
          this.starts = grown
        }
        this.starts[count] = p
        this.startCount = count + 1
      }
      count++
    }
    return count
  }
}

/** Whether any of the cursors matches the document. An indexed loop: a closure per document is garbage. */
export function anyMatches(cursors: readonly TermCursor[], doc: number): boolean {
  for (let i = 0; i < cursors.length; i++) if (cursors[i]!.matchAt(doc)) return true
  return false
}

/** `buffer` when it holds `needed` positions, else a new one with room for twice as many (at least `least`); contents not kept. */
function room(buffer: Uint32Array, needed: number, least: number): Uint32Array {
  return buffer.length >= needed ? buffer : new Uint32Array(Math.max(least, needed * 2))
}

/** A gram's occurrences in the current document's body, or else its title. */
function occurrences(gram: PostingCursor, body: boolean): number {
  return body ? gram.tfBody : gram.tfTitle
}
