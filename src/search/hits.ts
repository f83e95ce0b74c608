import { normalize } from '../analysis/normalize.js'
import { foldedMatches } from './highlight.js'
import type { QueryContext, QueryPlan } from './query-plan.js'
import type { QueryTerm } from './query-terms.js'
import { highlightTitle, makeSnippet, SNIPPET_LENGTH } from './snippet.js'
import type { StoredDocument } from '../index/doc-store.js'
import type { Hit, PostFields } from './types.js'

/** The terms as the user sees them (断头路, not its pieces), for `terms` and highlighting; a repeated one once. */
export function shownTerms(plan: QueryPlan): QueryTerm[] {
  const out: QueryTerm[] = []
  const seen = new Set<string>()
  const add = (term: QueryTerm) => {
    const key = `${term.field}\u0001${term.text}`
    if (seen.has(key)) return
    seen.add(key)
    out.push(term)
  }
  for (const clause of plan.clauses) {
    for (const alt of clause.alternatives) {
      const whole = plan.glued.find((g) => g.parts?.includes(alt.term))
      if (!whole) add(alt.term)
      else if (whole.parts![0] === alt.term) add(whole)
    }
  }
  return out
}

/** The page's documents as hits: display fields, highlighted title, score and a snippet showing `shown` (see shownTerms). */
export function makeHits(context: QueryContext, docs: readonly number[], shown: QueryTerm[]): Hit[] {
  const weights = shownWeights(context.plan, shown)
  return docs.map((doc) => hit(context, doc, shown, weights))
}

function hit({ ranked, scores, plan }: QueryContext, doc: number, shownTerms: QueryTerm[], shownWeights: number[]): Hit {
  const stored = ranked.index.docs.display(doc)
  // Each folded once, for the terms marked, the title and the snippet.
  const { text, folded } = ranked.index.docs.foldedText(doc)
  const foldedTitle = normalize(stored.title)
  const { terms, weights } = markedTerms(plan, shownTerms, shownWeights, foldedTitle, folded)
  const runs = plan.typedPlans.map((typed) => typed.plan.term)
  return {
    ...postFields(stored, highlightTitle(stored.title, terms, foldedTitle)),
    score: Math.round(scores.score[doc]! * 1000) / 1000,
    snippet_html: makeSnippet(text, terms, runs, weights, SNIPPET_LENGTH, folded),
  }
}

/** What a hit and a document read in full show of a post, in the contract's order. */
export function postFields(stored: Omit<StoredDocument, 'text'>, titleHtml: string): PostFields {
  return {
    id: stored.id,
    path: stored.path,
    title: stored.title,
    title_html: titleHtml,
    url: stored.url,
    date: stored.date,
    categories: stored.categories,
    tags: stored.tags,
  }
}

/**
 * The terms to mark in one document: the shown ones, and the word part of each glued term whose whole
 * the document lacks (see gluedWords), with their weights. `title` and `text` folded (normalize).
 */
export function markedTerms(plan: QueryPlan, shown: QueryTerm[], weights: number[], title: string, text: string): { terms: QueryTerm[]; weights: number[] } {
  if (plan.glued.length === 0) return { terms: shown, weights }
  const parts = gluedWords(plan, title, text)
  return { terms: [...shown, ...parts.terms], weights: [...weights, ...parts.weights] }
}

/** How much each shown term counts when a snippet's passage is chosen: its idf, so a rare word outweighs a common one. */
export function shownWeights(plan: QueryPlan, shown: QueryTerm[]): number[] {
  // Looked up, not searched for each term: a synonym group of thousands of members is as many terms.
  const idf = new Map<QueryTerm, number>()
  plan.glued.forEach((term, i) => {
    if (!idf.has(term)) idf.set(term, plan.gluedPlans[i]!.idf)
  })
  for (const clause of plan.clauses) for (const alt of clause.alternatives) if (!idf.has(alt.term)) idf.set(alt.term, alt.idf)
  return shown.map((term) => idf.get(term) ?? 1)
}

/**
 * The word part of each glued term whose whole occurs in neither the title nor the text (阿尔茨海默
 * of 阿尔茨海默氏病): what such a document matched. Where the whole occurs, the part alone is no match
 * to show (35 of 35岁 in F-35).
 */
function gluedWords(plan: QueryPlan, title: string, text: string): { terms: QueryTerm[]; weights: number[] } {
  const missing = plan.glued.map((g, i) => ({ g, i })).filter(({ g }) => foldedMatches(title, [g]).length === 0 && foldedMatches(text, [g]).length === 0)
  return { terms: missing.map(({ g }) => g.parts!.find((part) => part !== g.lone)!), weights: missing.map(({ i }) => plan.gluedPlans[i]!.idf) }
}
