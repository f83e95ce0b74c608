import { topK } from './top-k.js'

/**
 * In a relaxed answer to a few keywords, or one widened to the posts holding all but one term (see
 * candidates.ts), a document's score counts times (clauses it holds / clauses asked for) to this power
 * (Lucene's old coordination factor), instead of the count deciding first: a post holding two of three
 * terms strongly can outrank one holding all three in passing (怎么申请个人养老金: the posts about
 * 个人养老金 over weekly digests that mention 申请, 个人 and 养老金 somewhere). Squared, a post lacking
 * one of three terms kept under half its score and never rose above those holding them all in passing.
 */
const COORDINATION = 1

/** The documents a query matches, in document order: a view of the engine's scratch, valid until its next walk. */
export type MatchedDocs = Uint32Array

export const NO_DOCS: MatchedDocs = new Uint32Array(0)

/**
 * Beside what a walk's document holds, the most the rest of its score could reach (see scoreCeiling),
 * and how many glued terms it could hold as typed.
 */
export interface ScoreCeiling {
  score: number
  glued: number
}

/**
 * Per-document scratch reused by every query (a walk writes every document it keeps), with the
 * current query's order over it. One per engine: a search owns it from its walk to its hits.
 */
export class DocScores {
  readonly score: Float64Array
  readonly clauseHits: Uint16Array
  /** Clauses a document holds as real jieba words, not only as characters that happen to meet. */
  readonly wordHits: Uint16Array
  /** Glued terms of the current query (断头路) a document holds as typed: such posts rank first within a level. */
  readonly gluedHits: Uint16Array
  /** The documents a walk keeps, in order: a walk over a common word keeps most of the archive, and a growing array copies itself on the way. */
  readonly found: Uint32Array
  /** Whether the current answer is a relaxed one to a few keywords or a widened one, so ordered by coordinated score (see COORDINATION). */
  coordinated = false
  /** Clauses of the current query: what a document's share of the terms is counted against. */
  private clauseCount = 0

  constructor(documentCount: number) {
    this.score = new Float64Array(documentCount)
    this.clauseHits = new Uint16Array(documentCount)
    this.wordHits = new Uint16Array(documentCount)
    this.gluedHits = new Uint16Array(documentCount)
    this.found = new Uint32Array(documentCount)
  }

  /** Starts a query of `clauses` clauses, ordered by the counts first until its walks say otherwise. */
  begin(clauses: number): void {
    this.coordinated = false
    this.clauseCount = clauses
  }

  /**
   * Documents holding more of the query always come first; then those holding its glued terms as typed
   * (断头路, not 断头 … 路); then its words as real words (和服, not 和服务); then by score; then in index order.
   */
  readonly relevanceOrder = (a: number, b: number): number =>
    this.coordinated
      ? higherFirst(this.coordinatedScore(a), this.coordinatedScore(b)) || a - b
      : this.clauseHits[b]! - this.clauseHits[a]! ||
    this.gluedHits[b]! - this.gluedHits[a]! ||
    this.wordHits[b]! - this.wordHits[a]! ||
    higherFirst(this.score[a]!, this.score[b]!) ||
    a - b

  /**
   * Whether a document holding `hits` clauses, `wordable` of them through jieba words, whose terms reach
   * `reached` (see OpenTerm.reach), could rank above `worst` (scored). The counts decide first, as in
   * relevanceOrder; on equal counts, a bound that only equals the worst's score is still scored.
   */
  mayOutrank(worst: number, hits: number, wordable: number, ceiling: ScoreCeiling, reached: number): boolean {
    if (this.coordinated) return (reached + ceiling.score) * (1 + 1e-9) * this.coordination(hits) >= this.coordinatedScore(worst)
    if (hits !== this.clauseHits[worst]) return hits > this.clauseHits[worst]!
    if (ceiling.glued !== this.gluedHits[worst]) return ceiling.glued > this.gluedHits[worst]!
    if (wordable !== this.wordHits[worst]) return wordable > this.wordHits[worst]!
    // The bound's sums are rounded differently from the score's: a margin far above rounding, far below any real gap.
    return (reached + ceiling.score) * (1 + 1e-9) >= this.score[worst]!
  }

  /** The share of a relaxed answer's score a document holding `hits` of the clauses keeps (see COORDINATION). */
  private coordination(hits: number): number {
    return (hits / Math.max(1, this.clauseCount)) ** COORDINATION
  }

  private coordinatedScore(doc: number): number {
    return this.score[doc]! * this.coordination(this.clauseHits[doc]!)
  }
}

/**
 * -1 when score x ranks before y, 1 after, 0 when neither is higher (equal, or NaN): the sign of y − x.
 * A small integer, not the difference: a comparator's fractional result is a new heap number on every
 * call from sort or the walk's heap (~19 KB of a search's ~330 KB of garbage at 100,000 posts).
 */
function higherFirst(x: number, y: number): number {
  return x > y ? -1 : x < y ? 1 : 0
}

/**
 * The first `needed` documents, newest first (undated last), ties by relevance. In a relaxed answer the
 * documents holding more of the query still come first, as by relevance: each level is newest first.
 */
export function byDate(scores: DocScores, dates: Float64Array, docs: MatchedDocs, needed: number, relaxed: boolean): number[] {
  const key = (d: number) => (Number.isNaN(dates[d]!) ? -Infinity : dates[d]!)
  const newest = (a: number, b: number) => higherFirst(key(a), key(b)) || higherFirst(scores.score[a]!, scores.score[b]!) || a - b
  return topK(docs, needed, relaxed ? (a, b) => scores.clauseHits[b]! - scores.clauseHits[a]! || newest(a, b) : newest)
}
