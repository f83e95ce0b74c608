import { PostingCursor } from '../index/posting-cursor.js'
import type { PhrasePlan } from './query-plan.js'
import type { RankedIndex } from './ranked-index.js'
import { bm25f } from './rank.js'
import type { ScoreCeiling } from './scores.js'

/**
 * A walk's ceiling (see ScoreCeiling) narrowed to one document by its glued terms' rarest grams: a
 * glued term (7月, 3万, 断头路) occurs only where its rarest gram does, and no more often, so a document
 * without that gram cannot hold it as typed, and one with it can score at most the gram's counts. The
 * walk's ceiling counted every glued term as held everywhere, at its highest score: documents holding
 * more glued terms rank first, so a query of a date or an amount (7 月 4 日, 3 万 人), whose matches all
 * hold every clause, scored each of its thousands of matches.
 */
export class GluedCeiling {
  /** Per glued term, a cursor over its rarest gram (null for a term no document holds). */
  private readonly grams: (PostingCursor | null)[]
  private readonly narrowed: ScoreCeiling = { score: 0, glued: 0 }

  /**
   * `base`: the walk's ceiling's score without the glued terms' part. Documents must be asked for in
   * increasing order: a walk that starts again from the first document makes a new one.
   */
  constructor(
    private readonly ranked: RankedIndex,
    private readonly glued: readonly PhrasePlan[],
    private readonly base: number,
  ) {
    this.grams = glued.map((g) => (g.plan.grams.length === 0 ? null : new PostingCursor(ranked.index.grams, g.plan.grams[0]!)))
  }

  /**
   * `ceiling` (the walk's, counting every glued term) for document `doc`: the glued terms it cannot
   * hold left out of the count and, `withScores`, each other's score bounded by its gram's counts (a
   * skipping walk's ceiling leaves the glued scores to its block bounds). Valid until the next call.
   */
  at(doc: number, ceiling: ScoreCeiling, withScores: boolean): ScoreCeiling {
    const { grams, glued } = this
    if (grams.length === 0 || !Number.isFinite(ceiling.score)) return ceiling
    const { ranking, weights } = this.ranked
    let held = 0
    let score = withScores ? this.base : ceiling.score
    for (let g = 0; g < grams.length; g++) {
      const gram = grams[g]!
      if (gram === null || gram.advance(doc) !== doc) continue
      held++
      const plan = glued[g]!
      if (withScores) score += bm25f(ranking, weights, doc, gram.tfTitle, plan.plan.term.field === 'title' ? 0 : gram.tfBody, plan.idf)
    }
    this.narrowed.glued = held
    this.narrowed.score = score
    return this.narrowed
  }
}
