import { normalize } from '../analysis/normalize.js'
import type { DocStore, DocStoreMeta } from '../index/doc-store.js'
import { anyMatches, type TermPlan } from './match.js'
import type { AnalyzedQuery } from './query-analysis.js'
import type { DocScores, MatchedDocs } from './scores.js'

/** The query's and the caller's category, tag and date filters, resolved to ids and day numbers. */
export interface DocFilter {
  /** For each category and tag asked for, the ids it names: a document must hold one of each. */
  categories: number[][]
  tags: number[][]
  /** Categories and tags a document must not have. */
  notCategories: number[]
  notTags: number[]
  from: number
  to: number
}

export const NO_FILTER: DocFilter = { categories: [], tags: [], notCategories: [], notTags: [], from: 0, to: 0 }

/** The caller's filters (the `/search` parameters), beside the query's own. */
export interface GivenFilters {
  category?: string | undefined
  tag?: string | undefined
  from?: string | undefined
  to?: string | undefined
}

/** Category and tag names, as a query or the caller gives them. */
interface FacetNames {
  categories: string[]
  tags: string[]
}

/** A query of category or tag filters and nothing to match (`category:xwlb`, `tag:科技 -足球`): it lists what the filters keep. */
export function listsFilter(query: AnalyzedQuery): boolean {
  return query.clauses.length === 0 && query.categories.length + query.tags.length + query.excludedCategories.length + query.excludedTags.length > 0
}

/** The query's own filters and the caller's, resolved (see resolveFilter). */
export function queryFilter(meta: DocStoreMeta, query: AnalyzedQuery, given: GivenFilters): DocFilter | null {
  return resolveFilter(
    meta,
    { categories: [...query.categories, ...(given.category ? [given.category] : [])], tags: [...query.tags, ...(given.tag ? [given.tag] : [])] },
    { categories: query.excludedCategories, tags: query.excludedTags },
    given.from,
    given.to,
  )
}

/**
 * Category and tag names to ids, dates to day numbers; null when a required category or tag does not
 * exist. An excluded one that does not exist leaves nothing out.
 */
function resolveFilter(meta: DocStoreMeta, wanted: FacetNames, unwanted: FacetNames, from: string | undefined, to: string | undefined): DocFilter | null {
  const categoryIds = wanted.categories.map((name) => namedIds(meta.categoryNames, name))
  const tagIds = wanted.tags.map((name) => namedIds(meta.tagNames, name))
  if (categoryIds.some((ids) => ids.length === 0) || tagIds.some((ids) => ids.length === 0)) return null
  return {
    categories: categoryIds,
    tags: tagIds,
    notCategories: unwanted.categories.flatMap((name) => namedIds(meta.categoryNames, name)),
    notTags: unwanted.tags.flatMap((name) => namedIds(meta.tagNames, name)),
    from: from ? Number(from.replaceAll('-', '')) : 0,
    to: to ? Number(to.replaceAll('-', '')) : 0,
  }
}

/** Whether the filter leaves any document out: a walk checks each candidate only then. */
export function isFiltering(filter: DocFilter): boolean {
  return filter.categories.length + filter.tags.length + filter.notCategories.length + filter.notTags.length > 0 || filter.from !== 0 || filter.to !== 0
}

export function passesFilter(docs: DocStore, doc: number, f: DocFilter): boolean {
  for (let i = 0; i < f.categories.length; i++) if (!docs.hasCategory(doc, f.categories[i]!)) return false
  for (let i = 0; i < f.tags.length; i++) if (!docs.hasTag(doc, f.tags[i]!)) return false
  if (docs.hasCategory(doc, f.notCategories) || docs.hasTag(doc, f.notTags)) return false
  if (f.from || f.to) {
    const day = docs.dateDay[doc]!
    if (day === 0 || (f.from && day < f.from) || (f.to && day > f.to)) return false
  }
  return true
}

/** Every document passing the filter and no exclusion, unscored (see listsFilter). */
export function filterAll(docs: DocStore, scores: DocScores, filter: DocFilter, excluded: TermPlan[]): MatchedDocs {
  const exclusions = excluded.map((plan) => plan.open())
  const { score, found } = scores
  let kept = 0
  for (let doc = 0; doc < docs.count; doc++) {
    if (!passesFilter(docs, doc, filter) || anyMatches(exclusions, doc)) continue
    score[doc] = 0
    found[kept++] = doc
  }
  return found.subarray(0, kept)
}

/**
 * The ids of the facet values a typed name means: the value spelled exactly so, or else every value
 * equal to it but for case, character width, traditional characters and spaces at the ends
 * (`category:XinXiang` finds `xinxiang`, `tag:新聞` finds `新闻`), the way the query's words match the text.
 */
function namedIds(names: readonly string[], name: string): number[] {
  const exact = names.indexOf(name)
  if (exact >= 0) return [exact]
  const folded = foldName(name)
  const ids: number[] = []
  foldedNames(names).forEach((candidate, id) => {
    if (candidate === folded) ids.push(id)
  })
  return ids
}

/** Each index's names folded once: a filter is checked against thousands of tags. */
const foldedNameLists = new WeakMap<readonly string[], string[]>()

function foldedNames(names: readonly string[]): string[] {
  let folded = foldedNameLists.get(names)
  if (folded === undefined) {
    folded = names.map(foldName)
    foldedNameLists.set(names, folded)
  }
  return folded
}

function foldName(name: string): string {
  return normalize(name.trim().normalize('NFKC'))
}
