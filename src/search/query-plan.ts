import { completionsOf } from './completions.js'
import { TermPlan } from './match.js'
import type { AnalyzedQuery } from './query-analysis.js'
import type { QueryTerm } from './query-terms.js'
import type { RankedIndex } from './ranked-index.js'
import { idf } from './rank.js'
import type { DocScores } from './scores.js'

/** From this many terms on, a query reads as a copied passage, and finding it verbatim earns a bonus. */
export const PASSAGE_TERMS = 4

/** A required part of the query: matched when any alternative matches. */
export interface Clause {
  alternatives: ScoredTerm[]
  /**
   * The lone character split off a glued word (路 of 断头路): it narrows the matches but never qualifies
   * a document on its own, so the relaxed fallback never keeps a document for holding it alone.
   */
  filtersOnly: boolean
}

export interface ScoredTerm {
  term: QueryTerm
  plan: TermPlan
  idf: number
  /** Word-space term numbers of the jieba words inside the term (and the term itself, when a word). */
  words: { id: number; idf: number; whole: boolean }[]
  /**
   * The weight of the term's own BM25F: its idf, and for a term that is a jieba word in no document
   * (APEC, Rust, 5G, 王毅, 撤侨) its real-word share too, since no match of it can earn the real-word
   * bonus. A letter or digit run always matches whole; a name jieba does not know has no word to match
   * as. Without it such a term weighs up to 1 + wordBonus times less than a dictionary word of the same
   * idf beside it (王毅 against 会谈).
   */
  ownWeight: number
  /**
   * Whether a document holding the term counts it as a real word: a term no document holds as a jieba
   * word (新能源汽车, AI), among alternatives of a clause (synonyms, the sides of OR) that may be words.
   * It has no real-word match to make, so without this every document holding only it would rank below
   * every one holding another alternative as a word, whatever their scores (the posts on AI below all
   * those mentioning 人工智能 once).
   */
  matchesAsWord: boolean
}

/** A phrase scored as one term (a glued word, a typed run), its idf estimated from its rarest gram. */
export interface PhrasePlan {
  plan: TermPlan
  idf: number
}

/** A query's terms planned against one index: what its walks match and score, its rerank rewards and its hits show. */
export interface QueryPlan {
  clauses: Clause[]
  /** Glued terms of the query (断头路): posts holding them as typed rank first within a level. */
  glued: QueryTerm[]
  gluedPlans: PhrasePlan[]
  /**
   * Runs of the query typed without a space (远程办公): among the best documents (the rerank),
   * those holding one as typed score it as a term.
   */
  typedPlans: PhrasePlan[]
}

/** One query's search: the index as ranked, the engine's scratch it writes, and the query's plan. */
export interface QueryContext {
  readonly ranked: RankedIndex
  readonly scores: DocScores
  readonly plan: QueryPlan
}

export function planQuery(ranked: RankedIndex, query: AnalyzedQuery): QueryPlan {
  const glued = query.glued
  // The lone character split off a glued term only filters; the glued term itself is scored.
  const filterOnly = new Set(query.glued.map((g) => g.lone!))
  const gluedPlans = glued.map((term) => phrasePlan(ranked, term))
  // Only a bonus: not worth reading each candidate's text for a lone character beside punctuation (中，国家).
  const typedPlans = query.typed.map((term) => phrasePlan(ranked, term)).filter(({ plan }) => !plan.readsText)
  const clauses = query.clauses.map((typed) => {
    const completions = typed.length === 1 && typed[0] === query.unfinished ? completionsOf(ranked.index.grams, typed[0]) : []
    const alts = completions.length > 0 ? completions : typed
    const alternatives = alts.map((term) => {
      const scored = scoreTerm(ranked, term, alts.length > 1)
      if (filterOnly.has(term)) {
        scored.idf = 0
        scored.words = []
        scored.matchesAsWord = false
      }
      return scored
    })
    if (completions.length > 0) weighAsOne(alternatives, ranked.documentCount)
    return { alternatives, filtersOnly: alts.every((term) => filterOnly.has(term)) }
  })
  return { clauses, glued, gluedPlans, typedPlans }
}

/**
 * Gives the completions of one unfinished word one idf, that of the word they stand for together, as
 * if it were typed whole: each its own would rank a post naming a rare one (rustscan) above the posts
 * on the common one (rust), which the typing is likelier on its way to.
 */
function weighAsOne(completions: ScoredTerm[], documents: number): void {
  const df = completions.reduce((sum, alt) => sum + alt.plan.estimatedDf(), 0)
  const shared = idf(documents, Math.min(documents, df))
  for (const alt of completions) {
    const scale = alt.idf > 0 ? shared / alt.idf : 0
    alt.idf = shared
    alt.ownWeight *= scale
  }
}

function phrasePlan(ranked: RankedIndex, term: QueryTerm): PhrasePlan {
  const plan = new TermPlan(ranked.index, term)
  return { plan, idf: idf(ranked.documentCount, plan.estimatedDf()) }
}

/** `amongAlternatives`: the term is one side of a clause with several (synonyms, OR), see ScoredTerm.matchesAsWord. */
function scoreTerm(ranked: RankedIndex, term: QueryTerm, amongAlternatives: boolean): ScoredTerm {
  const { index } = ranked
  const plan = new TermPlan(index, term)
  const n = ranked.documentCount
  const words: ScoredTerm['words'] = []
  if (term.field === 'any') {
    // The term itself may be a word in documents even where jieba cut the short query apart (如一 in 始终如一).
    for (const word of new Set([...term.words, term.text])) {
      const id = index.words.lookup(word)
      const df = id < 0 ? 0 : index.words.df(id)
      if (df > 0) words.push({ id, idf: idf(n, df), whole: word === term.text })
    }
  }
  const weight = idf(n, plan.estimatedDf())
  const noWord = term.field === 'any' && !words.some((w) => w.whole) && !term.stop
  return { term, plan, idf: weight, words, ownWeight: noWord ? weight * (1 + Math.max(0, ranked.ranking.wordBonus)) : weight, matchesAsWord: noWord && amongAlternatives }
}
