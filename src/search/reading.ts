import { normalize } from '../analysis/normalize.js'
import type { DocStore } from '../index/doc-store.js'
import { findMatches, markRanges, type MatchRange } from './highlight.js'
import { markedTerms, postFields, shownTerms, shownWeights } from './hits.js'
import type { QueryPlan } from './query-plan.js'
import { highlightTitle } from './snippet.js'
import type { PostFields } from './types.js'

/** One document in full, for reading it (the body of `GET /doc`). */
export interface DocumentView extends PostFields {
  /** The publication the post names as its source (新乡日报), or null. */
  source: string | null
  /** The query's terms as shown, when a query was given. */
  terms: string[]
  /** The body's paragraphs, HTML-escaped, with the query's terms in `<mark>` as in the document's hit. */
  paragraphs_html: string[]
}

/**
 * Document `doc` as stored (the text it was indexed with, paragraph by paragraph), with the terms of
 * `plan` marked by the same rule as its snippet: a post without a source link, or whose link has died,
 * can still be read where the search found it.
 */
export function documentView(docs: DocStore, doc: number, plan: QueryPlan | null): DocumentView {
  const stored = docs.display(doc)
  // Each folded once, for the terms marked, the title and the paragraphs.
  const { text, folded } = docs.foldedText(doc)
  const foldedTitle = normalize(stored.title)
  const shown = plan === null ? [] : shownTerms(plan)
  const terms = plan === null ? [] : markedTerms(plan, shown, shownWeights(plan, shown), foldedTitle, folded).terms
  return {
    ...postFields(stored, highlightTitle(stored.title, terms, foldedTitle)),
    source: stored.source,
    terms: shown.map((t) => t.text),
    paragraphs_html: markedParagraphs(text, findMatches(text, terms, folded)),
  }
}

/**
 * The text's non-blank lines (its paragraphs), escaped, with the ranges marked. One pass over the
 * sorted ranges, not all of them for every paragraph: a long post full of matches stays linear.
 */
function markedParagraphs(text: string, ranges: MatchRange[]): string[] {
  const out: string[] = []
  let first = 0
  for (let from = 0; from <= text.length; ) {
    const newline = text.indexOf('\n', from)
    const to = newline < 0 ? text.length : newline
    while (first < ranges.length && ranges[first]!.end <= from) first++
    let last = first
    while (last < ranges.length && ranges[last]!.start < to) last++
    if (text.slice(from, to).trim() !== '') out.push(markRanges(text, ranges.slice(first, last), from, to))
    from = to + 1
  }
  return out
}
