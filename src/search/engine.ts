import { analysisVersion, Analyzer } from '../analysis/analyzer.js'
import { normalize } from '../analysis/normalize.js'
import { createSegmenter } from '../analysis/segment.js'
import { splitUnits } from '../analysis/units.js'
import type { DocStore, DocStoreMeta } from '../index/doc-store.js'
import { END, PostingCursor } from '../index/posting-cursor.js'
import { type IndexReader, type LoadedIndexFiles, openIndex } from '../index/reader.js'
import { type BlockSkip, inAllSets, planBlockSkip } from './block-skip.js'
import { countFacets } from './facets.js'
import { findMatches } from './highlight.js'
import { type TermCursor, TermPlan } from './match.js'
import { type AnalyzedQuery, analyzeQuery } from './query-analysis.js'
import { PASSAGE_TERMS, planQuery, type QueryContext, type QueryPlan, type ScoredTerm } from './query-plan.js'
import type { QueryTerm } from './query-terms.js'
import { bm25f, bm25fCeiling, ceilingsHold, minGap, type RankingOptions } from './rank.js'
import { type RankedIndex, rankIndex } from './ranked-index.js'
import { byDate, DocScores, type MatchedDocs, NO_DOCS, type ScoreCeiling } from './scores.js'
import { highlightTitle, makeSnippet } from './snippet.js'
import { parseSynonyms, type Synonyms } from './synonyms.js'
import { BoundedHeap, topK } from './top-k.js'
import type { Hit, SearchParams, SearchResponse } from './types.js'

export interface EngineOptions {
  ranking?: Partial<RankingOptions>
  /** Jieba user dictionary lines; must be the ones the index was built with. */
  userDictionary?: string
  /** The index's files already read into shared memory (`loadIndexFiles(indexDir)`): viewed instead of read again. */
  files?: LoadedIndexFiles
  /**
   * Score every match, not only those that could still reach the page: the same answers, slower. The
   * reference the tests hold the skipping to.
   */
  scoreEveryMatch?: boolean
}

/** What match() found for one query: its context for ranking and hits, and the documents it matched. */
interface Matched {
  context: QueryContext
  /** Every match, after filters and exclusions; null when not asked for and the walk did without listing them. */
  filtered: MatchedDocs | null
  total: number
  /** The best by relevance, when match() was asked for them. */
  best: number[] | null
  relaxed: boolean
}

/** The query's and the caller's category, tag and date filters, resolved to ids and day numbers. */
interface DocFilter {
  /** For each category and tag asked for, the ids it names: a document must hold one of each. */
  categories: number[][]
  tags: number[][]
  /** Categories and tags a document must not have. */
  notCategories: number[]
  notTags: number[]
  from: number
  to: number
}

const NO_FILTER: DocFilter = { categories: [], tags: [], notCategories: [], notTags: [], from: 0, to: 0 }

/** The caller's filters (the `/search` parameters), beside the query's own. */
interface GivenFilters {
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
function listsFilter(query: AnalyzedQuery): boolean {
  return query.clauses.length === 0 && query.categories.length + query.tags.length + query.excludedCategories.length + query.excludedTags.length > 0
}

/** The query's own filters and the caller's, resolved (see resolveFilter). */
function queryFilter(meta: DocStoreMeta, query: AnalyzedQuery, given: GivenFilters): DocFilter | null {
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
function isFiltering(filter: DocFilter): boolean {
  return filter.categories.length + filter.tags.length + filter.notCategories.length + filter.notTags.length > 0 || filter.from !== 0 || filter.to !== 0
}

function passesFilter(docs: DocStore, doc: number, f: DocFilter): boolean {
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
function filterAll(docs: DocStore, scores: DocScores, filter: DocFilter, excluded: TermPlan[]): MatchedDocs {
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

/** A scored term with cursors open for one walk over the postings. */
interface OpenTerm {
  scored: ScoredTerm
  cursor: TermCursor
  words: { cursor: PostingCursor; idf: number; whole: boolean }[]
  /**
   * The weight that, given the term's counts in a document, bounds its BM25F and its whole word's bonus
   * together: every occurrence of the whole word is one of the term, in the same field, so the word is
   * never more frequent than the term (the idea TermCursor.settled rests on too).
   */
  reach: number
  /** Whether the term is itself a jieba word, so a document holding it may count it as a real word. */
  whole: boolean
}

/** Where a walk's documents come from: the postings of its lead clauses, or a list already settled (in document order). */
type Candidates = { lead: number[] } | { docs: readonly number[] }

/**
 * What a walk found: every matching document (null when the caller did not ask for them listed and the
 * walk stepped over some), how many there are (`total`), and, when a relevance walk asked for them, the
 * best `k` by the walk's order, the only documents it was obliged to score exactly.
 */
interface Walked {
  docs: MatchedDocs | null
  total: number
  best: number[] | null
}

const NOTHING: Walked = { docs: NO_DOCS, total: 0, best: null }

/** The walk's documents, which a caller that needs them asked to be listed (`listAll`). */
function listed(docs: MatchedDocs | null): MatchedDocs {
  if (docs === null) throw new Error('the walk was not asked to list its documents')
  return docs
}

/**
 * One walk over the postings: candidates come from the lead clauses in document order; each is kept
 * when it holds every required clause (checked first, rarest first) and passes exclusions and filters,
 * and is scored over all clauses: BM25F of each matching term, the real-word bonus, and the glued
 * term as typed. Unless `listAll`, a query of common words steps over whole blocks of its lead's list (see BlockSkip).
 */
function walk(context: QueryContext, source: Candidates, required: number[], excluded: TermPlan[], filter: DocFilter, best: number, listAll: boolean): Walked {
  const { ranked, scores } = context
  const { clauses } = context.plan
  const { score, clauseHits, wordHits, gluedHits, found } = scores
  const { ranking, weights } = ranked
  const store = ranked.index.docs
  const openAll = () => clauses.map((clause) => clause.alternatives.map((alt) => openTerm(ranked, alt)))
  let open = openAll()
  const exclusions = excluded.map((plan) => plan.open())
  const glued = context.plan.gluedPlans.map((g) => ({ cursor: g.plan.open(), idf: g.idf }))
  const isRequired = new Uint8Array(clauses.length)
  for (const c of required) isRequired[c] = 1
  const evaluation = [...required, ...clauses.map((_, c) => c).filter((c) => !isRequired[c])]
  const heap = best > 0 ? new BoundedHeap(best, scores.relevanceOrder) : null
  const ceiling = scoreCeiling(ranked, open, glued)
  let kept = 0
  let hits = 0
  /** Held clauses that tell (not a lone character split off a glued word): a walk requiring none keeps a document only for one. */
  let telling = 0
  let words = 0
  /** Clauses the document holds through a term that is a jieba word: at most so many can count as real words. */
  let wordable = 0
  // The document's score so far, and the most it could score. Typed slots, not `let`s: a number captured
  // by these closures would be boxed anew on every addition (hundreds of MB of garbage per thousand searches).
  const sum = new Float64Array(1)
  const bound = new Float64Array(1)
  /**
   * Whether the document holds clause c; counts it, and adds to `bound` the most its terms and their whole
   * words can score. Indexed loops: an iterator per call is garbage too.
   */
  const holds = (c: number, doc: number): boolean => {
    let matched = false
    let whole = false
    const alts = open[c]!
    for (let a = 0; a < alts.length; a++) {
      const alt = alts[a]!
      if (!alt.cursor.matchAt(doc)) continue
      matched = true
      whole ||= alt.whole
      if (alt.reach > 0) bound[0]! += bm25f(ranking, weights, doc, alt.cursor.tfTitle, alt.cursor.tfBody, alt.reach)
    }
    if (matched) {
      hits++
      if (!clauses[c]!.filtersOnly) telling++
    }
    if (whole) wordable++
    return matched
  }
  /**
   * Clause c's whole score at a document it was checked at: each alternative's BM25F, then its real
   * words' bonus, always added in this order, so that a score never depends on what was skipped.
   */
  const scoreClause = (c: number, doc: number): void => {
    let wordCounted = false
    const alts = open[c]!
    for (let a = 0; a < alts.length; a++) {
      const alt = alts[a]!
      const matched = alt.cursor.matchAt(doc)
      if (matched && alt.scored.idf > 0) sum[0]! += bm25f(ranking, weights, doc, alt.cursor.tfTitle, alt.cursor.tfBody, alt.scored.ownWeight)
      if (matched && alt.scored.matchesAsWord && !wordCounted) {
        wordCounted = true
        words++
      }
      for (let k = 0; k < alt.words.length; k++) {
        const w = alt.words[k]!
        if (w.cursor.advance(doc) !== doc) continue
        sum[0]! += ranking.wordBonus * bm25f(ranking, weights, doc, w.cursor.tfTitle, w.cursor.tfBody, w.idf)
        if (w.whole && !wordCounted) {
          wordCounted = true
          words++
        }
      }
    }
  }
  const filtering = isFiltering(filter)
  const consider = (doc: number): void => {
    if (filtering && !passesFilter(store, doc, filter)) return
    hits = telling = wordable = bound[0] = 0
    for (let i = 0; i < evaluation.length; i++) if (!holds(evaluation[i]!, doc) && isRequired[evaluation[i]!]) return
    // A leader's grams can meet where its term does not (红旗 … 旗区 for 红旗区): such a candidate holding only the lone 路 of 断头路 is no match.
    if (hits === 0 || (required.length === 0 && telling === 0)) return
    for (let i = 0; i < exclusions.length; i++) if (exclusions[i]!.matchAt(doc)) return
    found[kept++] = doc
    // Counted; scored only if, at the most it could score, it could still beat the worst kept.
    if (heap !== null && heap.full && !scores.mayOutrank(heap.worst, hits, wordable, ceiling, bound[0]!)) return
    words = sum[0] = 0
    for (let i = 0; i < evaluation.length; i++) scoreClause(evaluation[i]!, doc)
    let gluedCount = 0
    for (let i = 0; i < glued.length; i++) {
      const g = glued[i]!
      if (!g.cursor.matchAt(doc)) continue
      gluedCount++
      sum[0]! += bm25f(ranking, weights, doc, g.cursor.tfTitle, g.cursor.tfBody, g.idf)
    }
    score[doc] = sum[0]!
    clauseHits[doc] = hits
    wordHits[doc] = words
    gluedHits[doc] = gluedCount
    heap?.offer(doc)
  }
  const skip = listAll || heap === null ? null : blockSkip(ranked, open, source, required, exclusions.length > 0 || filtering || glued.length > 0, best)
  // Matches a skipping walk counted without considering them (see BlockSkip.total).
  let passed = 0
  const walked = (): Walked =>
    skip ? { docs: null, total: skip.total ?? kept + passed, best: heap && heap.sorted() } : { docs: found.subarray(0, kept), total: kept, best: heap && heap.sorted() }
  // Every match holds every clause, as a jieba word at best: the most any document can count (see mayOutrank).
  const allHits = clauses.length
  const allWordable = open.reduce((sum, alts) => sum + (alts.some((alt) => alt.whole) ? 1 : 0), 0)
  if ('docs' in source) {
    for (const doc of source.docs) consider(doc)
    return walked()
  }
  if (skip !== null) {
    const cursor = open[source.lead[0]!]![0]!.cursor
    const { space, first, last } = skip
    for (const c of skip.seeds) {
      const closing = c < 0 ? first : c + 1
      const end = closing < last ? space.checkpointDoc(closing) : END
      for (let doc = cursor.candidate(c < 0 ? 0 : space.checkpointDoc(c) + 1); doc <= end && doc !== END; doc = cursor.candidate(doc + 1)) {
        if (inAllSets(skip, doc)) consider(doc)
      }
    }
    // Cursors only move forward: the walk in document order starts afresh.
    open = openAll()
  }
  const lead = source.lead
  const leaders = lead.flatMap((c) => open[c]!)
  const next = leaders.map((t) => t.cursor.candidate(0))
  // The lead's cursor, and its rarest gram's, whose blocks a skipping walk steps over.
  const leadCursor = skip === null ? null : leaders[0]!.cursor
  const leadGram = leadCursor === null ? null : leadCursor.rarestGram!
  // Required clauses other than the leaders': the leaders' own grams already meet at each offered document.
  const followers = required.filter((c) => !lead.includes(c))
  // The lead block the walk is in, and whether it steps over it: decided once per block.
  let block = -2
  let stepping = false
  for (;;) {
    let doc = END
    for (let i = 0; i < next.length; i++) if (next[i]! < doc) doc = next[i]!
    if (doc === END) break
    // A block already scored, or where no document, scored at the most, could outrank the worst kept,
    // is stepped over.
    if (skip !== null && leadCursor !== null && leadGram !== null && heap !== null) {
      const c = leadGram.checkpoint
      if (c !== block) {
        block = c
        stepping = skip.seeded.has(c) || (heap.full && !scores.mayOutrank(heap.worst, allHits, allWordable, ceiling, skip.bounds[c - skip.first]!))
      }
      if (stepping) {
        const end = leadGram.blockEnd()
        // Without a count from the sets, the block's matches are counted here, unscored (a seeded block's were, when scored).
        if (skip.total === null && !skip.seeded.has(c)) {
          for (let d = doc; d <= end && d !== END; d = leadCursor.candidate(d + 1)) if (inAllSets(skip, d) && leadCursor.matchAt(d)) passed++
        }
        if (end === END) break
        next[0] = leadCursor.candidate(end + 1)
        continue
      }
      // Inside a block: a document that is no match (the lead's grams do not line up there, or a
      // follower's set lacks it), or that the lead's own count with the followers' block maxima could
      // not raise above the worst kept, is passed by without reading the followers' postings (counted,
      // when a match, unless the sets gave the total).
      if (skip.sets.length > 0 || skip.total === null) {
        const match = inAllSets(skip, doc) && leadCursor.matchAt(doc)
        if (!match || (heap.full && !scores.mayOutrank(heap.worst, allHits, allWordable, ceiling, bm25f(ranking, weights, doc, leadCursor.tfTitle, leadCursor.tfBody, skip.leadReach) + skip.followers[c - skip.first]!))) {
          if (match && skip.total === null) passed++
          next[0] = leadCursor.candidate(doc + 1)
          continue
        }
      }
    }
    // Leapfrog: where a required clause's grams next meet after this document, no document before
    // that can match, so the leaders skip there (by checkpoints) instead of offering each in turn.
    let resume = doc + 1
    for (let f = 0; f < followers.length; f++) {
      const alts = open[followers[f]!]!
      let earliest = END
      for (let a = 0; a < alts.length; a++) earliest = Math.min(earliest, alts[a]!.cursor.candidate(doc))
      if (earliest !== doc) {
        resume = earliest
        break
      }
    }
    if (resume === doc + 1) consider(doc)
    if (resume === END) break
    // Only now move the leaders on: checking the document read their cursors at it.
    for (let i = 0; i < next.length; i++) if (next[i]! < resume) next[i] = leaders[i]!.cursor.candidate(resume)
  }
  return walked()
}

/**
 * How a walk may step over blocks (see BlockSkip): only when every clause is required and is one term
 * in any field, nothing else is to be checked (`constrained` says exclusions, filters or glued terms
 * are), and the grams carry block maxima for this engine's ranking; planBlockSkip decides the rest.
 */
function blockSkip(ranked: RankedIndex, open: OpenTerm[][], source: Candidates, required: number[], constrained: boolean, kept: number): BlockSkip | null {
  const maxima = ranked.blockMaxima
  if (maxima === null || constrained || !('lead' in source) || source.lead.length !== 1 || required.length !== open.length) return null
  if (open.some((alts) => alts.length !== 1 || alts[0]!.scored.term.field !== 'any')) return null
  const skipTerm = (c: number) => ({ plan: open[c]![0]!.scored.plan, reach: open[c]![0]!.reach })
  const lead = source.lead[0]!
  const followers = open.map((_, c) => c).filter((c) => c !== lead)
  return planBlockSkip(ranked.index.grams, maxima, ranked.denseSets, skipTerm(lead), followers.map(skipTerm), kept)
}

/**
 * The most a document's other words (sub-words, which may occur outside the term) and glued terms
 * could add to what its terms reach (OpenTerm.reach): the rest of the walk's bound for skipping the
 * scoring of documents that cannot reach the best. Infinite when the ranking options leave BM25F
 * unbounded (see ceilingsHold): nothing is skipped.
 */
function scoreCeiling(ranked: RankedIndex, open: OpenTerm[][], glued: { idf: number }[]): ScoreCeiling {
  const { ranking } = ranked
  if (!ceilingsHold(ranking)) return { score: Infinity, glued: Infinity }
  let score = 0
  for (const alts of open) {
    for (const alt of alts) for (const w of alt.words) if (!w.whole) score += Math.max(0, ranking.wordBonus) * bm25fCeiling(ranking, w.idf)
  }
  for (const g of glued) score += bm25fCeiling(ranking, g.idf)
  return { score, glued: glued.length }
}

function openTerm(ranked: RankedIndex, scored: ScoredTerm): OpenTerm {
  const cursor = scored.plan.open()
  // The term's own word may already have a cursor, opened for counting (TermCursor.word): one walk over its postings, not two.
  const wordCursor = (id: number) => (cursor.word && scored.plan.word === id ? cursor.word : new PostingCursor(ranked.index.words, id))
  const whole = scored.words.find((w) => w.whole)
  return {
    scored,
    cursor,
    words: scored.words.map((w) => ({ cursor: wordCursor(w.id), idf: w.idf, whole: w.whole })),
    reach: scored.ownWeight + (whole ? Math.max(0, ranked.ranking.wordBonus) * whole.idf : 0),
    whole: whole !== undefined || scored.matchesAsWord,
  }
}

/**
 * When fewer documents than this contain every term, documents containing most of the terms follow
 * them (and the response says `relaxed`), with the most common terms given up first (as Meilisearch's "frequency" matching strategy does).
 */
const RELAX_BELOW = 10

/**
 * The documents matching every clause. When fewer than RELAX_BELOW do, the most common clause is
 * dropped from the requirement, then the next, until RELAX_BELOW documents hold all that remain (the
 * rarer, more telling terms); the response is then marked relaxed, and ranking still puts documents
 * holding more of the query first. Every such document holds the rarest clause, so one walk led by it
 * settles every step. Only when the rarest clause alone is too rare do documents holding any of the
 * rarest few clauses count.
 */
function collect(context: QueryContext, excluded: TermPlan[], filter: DocFilter, best: number, listAll: boolean): { candidates: Walked; relaxed: boolean } {
  const { clauses } = context.plan
  const n = clauses.length
  const bound = (c: number) => clauses[c]!.alternatives.reduce((sum, alt) => sum + alt.plan.bound, 0)
  // Rarest first; a clause no document can hold is given up at once.
  const order = clauses.map((_, c) => c).filter((c) => bound(c) > 0)
  order.sort((a, b) => bound(a) - bound(b))
  if (order.length === 0) return { candidates: NOTHING, relaxed: false }
  let all = NOTHING
  if (order.length === n) {
    all = walk(context, { lead: order.slice(0, 1) }, order, excluded, filter, best, listAll)
    if (n === 1 || all.total >= RELAX_BELOW) return { candidates: all, relaxed: false }
  }
  const full = all.total
  // A document is never kept for a lone character split off a glued word: it must hold a clause that tells.
  const firstTelling = order.findIndex((c) => !clauses[c]!.filtersOnly)
  if (firstTelling < 0) return { candidates: all, relaxed: false }
  // A query of a few keywords: documents holding all but one of its telling clauses, whichever it is
  // (王毅 拉夫罗夫 会谈: the posts on 王毅 and 拉夫罗夫 without 会谈 as well as those on 拉夫罗夫 and 会谈),
  // ordered by coordinated score. A passage-like query keeps giving up its most common terms first, as
  // below (a walk per count would cost a pasted title several walks over its clauses), and keeps the
  // post holding every term first: a pasted sentence is after the post it comes from.
  const telling = order.filter((c) => !clauses[c]!.filtersOnly)
  const keywords = telling.length < PASSAGE_TERMS
  context.scores.coordinated = keywords
  const fewest = keywords ? 2 : Infinity
  for (let m = telling.length < n ? telling.length : telling.length - 1; m >= fewest; m--) {
    const docs = holdingAtLeast(context, telling, m, excluded, filter)
    if (docs.length < RELAX_BELOW) continue
    return { candidates: walk(context, { docs }, [], [], NO_FILTER, best, listAll), relaxed: docs.length > full }
  }
  const led = heldPrefixes(context, order, excluded, filter)
  // reaching[k]: documents holding at least the k rarest clauses.
  const reaching = new Array<number>(order.length + 1).fill(0)
  for (const held of led.held) reaching[held]!++
  for (let k = order.length - 1; k >= 1; k--) reaching[k]! += reaching[k + 1]!
  for (let keep = Math.min(order.length, n - 1); keep > firstTelling; keep--) {
    if (reaching[keep]! < RELAX_BELOW) continue
    const docs = led.docs.filter((_, i) => led.held[i]! >= keep)
    // Filters and exclusions were applied while counting: the walk only scores.
    return { candidates: walk(context, { docs }, [], [], NO_FILTER, best, listAll), relaxed: docs.length > full }
  }
  // With the rarest clause telling, the documents holding it alone were counted above.
  for (let k = firstTelling === 0 ? 2 : 1; ; k++) {
    const any = walk(context, { lead: telling.slice(0, k) }, [], excluded, filter, best, listAll)
    if (any.total >= RELAX_BELOW || k >= telling.length) return { candidates: any, relaxed: any.total > full }
  }
}

/**
 * Every document holding at least `m` of the clauses `counted` (rarest first), filters and exclusions
 * applied, in document order. Such a document holds one of the rarest counted.length − m + 1 of them:
 * only those lead.
 */
function holdingAtLeast({ ranked, plan: { clauses } }: QueryContext, counted: number[], m: number, excluded: TermPlan[], filter: DocFilter): number[] {
  const cursors = counted.map((c) => clauses[c]!.alternatives.map((alt) => alt.plan.open()))
  const docs: number[] = []
  forEachLed(ranked.index.docs, cursors.slice(0, counted.length - m + 1).flat(), excluded, filter, (doc) => {
    let held = 0
    for (let k = 0; k < cursors.length && held + cursors.length - k >= m; k++) if (anyMatches(cursors[k]!, doc)) held++
    if (held >= m) docs.push(doc)
  })
  return docs
}

/**
 * Every document holding the rarest clause (filters and exclusions applied), with how many of the
 * clauses in `order` it holds before the first it lacks. Checking stops at that gap, so the cursors
 * of common clauses only visit documents that hold every rarer one, and skip by checkpoints between.
 */
function heldPrefixes({ ranked, plan: { clauses } }: QueryContext, order: number[], excluded: TermPlan[], filter: DocFilter): { docs: number[]; held: number[] } {
  const cursors = order.map((c) => clauses[c]!.alternatives.map((alt) => alt.plan.open()))
  const docs: number[] = []
  const held: number[] = []
  forEachLed(ranked.index.docs, cursors[0]!, excluded, filter, (doc) => {
    let prefix = 0
    while (prefix < cursors.length && anyMatches(cursors[prefix]!, doc)) prefix++
    if (prefix > 0) {
      docs.push(doc)
      held.push(prefix)
    }
  })
  return { docs, held }
}

/** Calls `visit` for each document any of the `leaders` offers, in order, that passes the filter and no exclusion. */
function forEachLed(store: DocStore, leaders: TermCursor[], excluded: TermPlan[], filter: DocFilter, visit: (doc: number) => void): void {
  const exclusions = excluded.map((plan) => plan.open())
  const next = leaders.map((cursor) => cursor.candidate(0))
  for (;;) {
    let doc = END
    for (let i = 0; i < next.length; i++) if (next[i]! < doc) doc = next[i]!
    if (doc === END) break
    if (passesFilter(store, doc, filter) && !anyMatches(exclusions, doc)) visit(doc)
    for (let i = 0; i < next.length; i++) if (next[i] === doc) next[i] = leaders[i]!.candidate(doc + 1)
  }
}

/** Whether any of the cursors matches the document. An indexed loop: a closure per document is garbage. */
function anyMatches(cursors: readonly TermCursor[], doc: number): boolean {
  for (let i = 0; i < cursors.length; i++) if (cursors[i]!.matchAt(doc)) return true
  return false
}

/** Titles of a one-clause query's length looked at for an exact one; beyond, the rerank window is kept (see ExactTitles.anyExact). */
const EXACT_TITLE_LOOKS = 64

/** Known-item search: titles that are exactly the query's text (ignoring punctuation and spaces). */
class ExactTitles {
  /** The documents grouped by title length, made on first use (see anyExact). */
  private byLength: { start: Uint32Array; docs: Uint32Array } | undefined

  constructor(private readonly ranked: RankedIndex) {}

  /** The bonus for a title that is exactly the query's units. */
  bonus(doc: number, queryUnits: string[]): number {
    if (queryUnits.length === 0 || this.ranked.stats.titleUnits[doc] !== queryUnits.length) return 0
    const title = splitUnits(normalize(this.ranked.index.docs.title(doc))).keys
    return title.every((k, i) => k === queryUnits[i]) ? this.ranked.ranking.exactTitle * Math.log(1 + this.ranked.documentCount) : 0
  }

  /**
   * Whether some document's title may be exactly these units: only titles of that length are looked at,
   * and when there are more than EXACT_TITLE_LOOKS of them the answer is yes without looking (each look
   * decodes and folds a title, ~1.5 µs: a six-unit phrase has 12,876 titles of its length at 100k).
   */
  anyExact(queryUnits: string[]): boolean {
    const byLength = (this.byLength ??= docsByLength(this.ranked.stats.titleUnits))
    const length = queryUnits.length
    if (length === 0 || length + 1 >= byLength.start.length) return false
    const from = byLength.start[length]!
    const to = byLength.start[length + 1]!
    if (to - from > EXACT_TITLE_LOOKS) return true
    for (let i = from; i < to; i++) if (this.bonus(byLength.docs[i]!, queryUnits) > 0) return true
    return false
  }
}

/** Documents in order of their length (a counting sort): those of length L are docs[start[L], start[L + 1]). */
function docsByLength(lengths: Uint32Array): { start: Uint32Array; docs: Uint32Array } {
  let longest = 0
  for (let d = 0; d < lengths.length; d++) longest = Math.max(longest, lengths[d]!)
  const start = new Uint32Array(longest + 2)
  for (let d = 0; d < lengths.length; d++) start[lengths[d]! + 1]!++
  for (let l = 1; l < start.length; l++) start[l]! += start[l - 1]!
  const fill = start.slice()
  const docs = new Uint32Array(lengths.length)
  for (let d = 0; d < lengths.length; d++) docs[fill[lengths[d]!]!++] = d
  return { start, docs }
}

/**
 * How many of the best documents get the finer (and costlier) proximity and title scoring: ten pages of
 * ten. 200 cost 8% more time on the bench's log at 100k, for the same nDCG@10 on ../shared/eval and the
 * same first hit on every logged query.
 */
const RERANK_WINDOW = 100

/**
 * How many of the best documents the rerank may reorder (see byRelevance). A query of one clause has
 * no proximity to reward, so only a title that is exactly the query could lift a document: when no
 * title is, the page is already in order and the walk need only find it. Common single words, whose
 * blocks a hundredth best score lets through but a tenth best does not, are answered twice as fast.
 */
function rerankWindow(ranked: RankedIndex, titles: ExactTitles, query: AnalyzedQuery, q: string): number {
  if (query.clauses.length !== 1) return RERANK_WINDOW
  return ranked.ranking.exactTitle > 0 && titles.anyExact(splitUnits(normalize(q)).keys) ? RERANK_WINDOW : 0
}

/** `top`, the best documents in relevance order, reordered after the best RERANK_WINDOW get proximity and title bonuses. */
function byRelevance(context: QueryContext, exactTitles: ExactTitles, top: number[], query: string, needed: number): number[] {
  const { score } = context.scores
  const order = context.scores.relevanceOrder
  const head = top.slice(0, RERANK_WINDOW)
  const queryUnits = splitUnits(normalize(query)).keys
  // Known first, for the proximity bounds; added after the proximity bonus, so that a score's sum is always made in one order.
  const titles = head.map((doc) => exactTitles.bonus(doc, queryUnits))
  const base = head.map((doc) => score[doc]!)
  const proximity = proximityBonuses(context, head, base, titles, Math.min(needed, head.length))
  head.forEach((doc, i) => (score[doc] = (Number.isNaN(proximity[i]!) ? base[i]! : base[i]! + proximity[i]!) + titles[i]!))
  head.sort(order)
  return head.concat(top.slice(RERANK_WINDOW))
}

/**
 * The bonus of each of `head`'s documents for consecutive query terms that occur near each other in
 * the body and for the runs typed without a space that it holds as typed, or NaN for a document that
 * cannot be among the first `needed` once reranked. The first `needed` get it; then every other
 * document that, given the largest bonus the query allows, would rank above the last of those first
 * `needed` as they now stand (no other can). Uses `score` as scratch.
 */
function proximityBonuses(context: QueryContext, head: number[], base: number[], titles: number[], needed: number): Float64Array {
  const { ranked, scores } = context
  const { clauses, typedPlans } = context.plan
  const bonus = new Float64Array(head.length).fill(NaN)
  const near = clauses.length >= 2 && ranked.ranking.proximity !== 0
  if (!near && typedPlans.length === 0) return bonus.fill(0)
  const firsts = near ? clauses.map((clause) => clause.alternatives[0]!) : []
  const most = ranked.scoreEveryMatch ? Infinity : mostProximity(ranked, firsts) + mostTyped(context)
  const all = head.map((_, i) => i)
  if (!Number.isFinite(most) || needed >= head.length) {
    proximityOf(context, head, all, firsts, bonus)
    return bonus
  }
  const first = all.slice(0, needed)
  proximityOf(context, head, first, firsts, bonus)
  const score = scores.score
  for (let i = 0; i < head.length; i++) score[head[i]!] = base[i]! + (Number.isNaN(bonus[i]!) ? most : bonus[i]!) + titles[i]!
  const last = first.map((i) => head[i]!).sort(scores.relevanceOrder)[needed - 1]!
  proximityOf(context, head, all.filter((i) => Number.isNaN(bonus[i]!) && scores.relevanceOrder(head[i]!, last) < 0), firsts, bonus)
  return bonus
}

/**
 * Fills in `bonus` for the documents of `head` at `wanted`: one cursor per clause (its first alternative)
 * and one per typed run, walked once in document order.
 */
function proximityOf(context: QueryContext, head: number[], wanted: number[], firsts: ScoredTerm[], bonus: Float64Array): void {
  const { ranking, weights } = context.ranked
  const cursors = firsts.map((alt) => alt.plan.open(true))
  const typed = context.plan.typedPlans.map(({ plan, idf }) => ({ cursor: plan.open(), idf }))
  // Where each clause starts in the current document's body (null: absent): the cursors' own buffers,
  // valid while this document is scored (each cursor matches once per document), and how many.
  const starts = new Array<Uint32Array | null>(firsts.length).fill(null)
  const counts = new Int32Array(firsts.length)
  for (const i of [...wanted].sort((a, b) => head[a]! - head[b]!)) {
    const doc = head[i]!
    for (let c = 0; c < cursors.length; c++) {
      const cursor = cursors[c]!
      const present = cursor.matchAt(doc)
      starts[c] = present ? cursor.bodyStartBuffer : null
      counts[c] = present ? cursor.bodyStartCount : 0
    }
    let sum = firsts.length > 0 ? proximityBonus(ranking, starts, counts, firsts) : 0
    for (const t of typed) if (t.cursor.matchAt(doc)) sum += bm25f(ranking, weights, doc, t.cursor.tfTitle, t.cursor.tfBody, t.idf)
    bonus[i] = sum
  }
}

/** The most the typed runs can add to a document (see proximityOf); infinite when BM25F is unbounded. */
function mostTyped({ ranked: { ranking }, plan: { typedPlans } }: QueryContext): number {
  if (typedPlans.length === 0) return 0
  if (!ceilingsHold(ranking)) return Infinity
  return typedPlans.reduce((sum, { idf }) => sum + bm25fCeiling(ranking, idf), 0)
}

/**
 * The largest bonus proximityBonus can give for these clauses: every pair of neighbours at no gap, and
 * the phrase bonus when the query is passage-like. Summed in proximityBonus's order, so never below it.
 */
function mostProximity(ranked: RankedIndex, firsts: readonly ScoredTerm[]): number {
  const { proximity, phrase } = ranked.ranking
  if (proximity < 0 || phrase < 0) return Infinity
  let most = 0
  let idfSum = 0
  for (let c = 0; c < firsts.length; c++) {
    idfSum += firsts[c]!.idf
    if (c > 0) most += proximity * Math.min(firsts[c - 1]!.idf, firsts[c]!.idf)
  }
  return firsts.length >= PASSAGE_TERMS ? most + phrase * idfSum : most
}

/** The bonus for one document, given where each clause's first alternative (`firsts`) starts in its body. */
function proximityBonus(ranking: RankingOptions, starts: readonly (Uint32Array | null)[], counts: Int32Array, firsts: readonly ScoredTerm[]): number {
  let bonus = 0
  let idfSum = 0
  // Whether every term follows the previous one at once (a function word between allowed): the query as a phrase.
  let phrase = true
  let prev = -1
  for (let c = 0; c < starts.length; c++) {
    const current = starts[c]
    if (!current) {
      prev = -1
      phrase = false
      continue
    }
    const idf = firsts[c]!.idf
    idfSum += idf
    if (prev >= 0 && counts[prev]! > 0 && counts[c]! > 0) {
      const gap = minGap(starts[prev]!, counts[prev]!, firsts[prev]!.term.units.length, current, counts[c]!, firsts[c]!.term.units.length)
      bonus += (ranking.proximity * Math.min(firsts[prev]!.idf, idf)) / (1 + gap / 2)
      if (gap > 1) phrase = false
    } else if (prev >= 0) phrase = false
    prev = c
  }
  // Only a passage-like query (several terms) is asking for its words in this order; a few keywords are not.
  return phrase && starts.length >= PASSAGE_TERMS ? bonus + ranking.phrase * idfSum : bonus
}

/** The terms as the user sees them (断头路, not its pieces), for `terms` and highlighting; a repeated one once. */
function shownTerms(plan: QueryPlan): QueryTerm[] {
  const out: QueryTerm[] = []
  const add = (term: QueryTerm) => {
    if (!out.some((t) => t.text === term.text && t.field === term.field)) out.push(term)
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
function makeHits(context: QueryContext, docs: readonly number[], shown: QueryTerm[]): Hit[] {
  const weights = shown.map((term) => termWeight(context.plan, term))
  return docs.map((doc) => hit(context, doc, shown, weights))
}

function hit({ ranked, scores, plan }: QueryContext, doc: number, shownTerms: QueryTerm[], shownWeights: number[]): Hit {
  const stored = ranked.index.docs.display(doc)
  const text = ranked.index.docs.text(doc)
  const parts = plan.glued.length === 0 ? null : gluedWords(plan, stored.title, text)
  const terms = parts ? [...shownTerms, ...parts.terms] : shownTerms
  const weights = parts ? [...shownWeights, ...parts.weights] : shownWeights
  return {
    id: stored.id,
    path: stored.path,
    title: stored.title,
    title_html: highlightTitle(stored.title, terms),
    url: stored.url,
    date: stored.date,
    categories: stored.categories,
    tags: stored.tags,
    score: Math.round(scores.score[doc]! * 1000) / 1000,
    snippet_html: makeSnippet(text, terms, plan.typedPlans.map((typed) => typed.plan.term), weights),
  }
}

/** How much a shown term counts when a snippet's passage is chosen: its idf, so a rare word outweighs a common one. */
function termWeight(plan: QueryPlan, term: QueryTerm): number {
  const glued = plan.glued.indexOf(term)
  if (glued >= 0) return plan.gluedPlans[glued]!.idf
  for (const clause of plan.clauses) for (const alt of clause.alternatives) if (alt.term === term) return alt.idf
  return 1
}

/**
 * The word part of each glued term whose whole occurs in neither the title nor the text (阿尔茨海默
 * of 阿尔茨海默氏病): what such a document matched. Where the whole occurs, the part alone is no match
 * to show (35 of 35岁 in F-35).
 */
function gluedWords(plan: QueryPlan, title: string, text: string): { terms: QueryTerm[]; weights: number[] } {
  const missing = plan.glued.map((g, i) => ({ g, i })).filter(({ g }) => findMatches(title, [g]).length === 0 && findMatches(text, [g]).length === 0)
  return { terms: missing.map(({ g }) => g.parts!.find((part) => part !== g.lone)!), weights: missing.map(({ i }) => plan.gluedPlans[i]!.idf) }
}

/**
 * Answers queries over one loaded index. Loading is the only expensive step; searching allocates
 * little and never throws for any query string.
 */
export class SearchEngine {
  readonly documentCount: number
  private readonly ranked: RankedIndex
  private readonly synonyms: Synonyms
  /** Per-document scratch reused by every query: one search at a time owns it. */
  private readonly scores: DocScores
  private readonly titles: ExactTitles
  /** Created on first use (see `analyzer`). */
  private segmenting: Analyzer | undefined

  private constructor(readonly index: IndexReader, private readonly userDictionary: string, options: EngineOptions) {
    this.documentCount = index.docs.count
    this.ranked = rankIndex(index, options.ranking, options.scoreEveryMatch ?? false)
    this.synonyms = parseSynonyms(index.synonyms)
    this.scores = new DocScores(this.documentCount)
    this.titles = new ExactTitles(this.ranked)
  }

  static open(indexDir: string, options: EngineOptions = {}): SearchEngine {
    const index = openIndex(indexDir, options.files)
    // The index carries the dictionary its documents were cut with; queries must be cut with the same.
    const userDictionary = options.userDictionary ?? index.dictionary
    const version = analysisVersion(userDictionary)
    if (index.manifest.analysis && index.manifest.analysis !== version) {
      // "From this jiansuo" would send the user looking for another version when only the dictionary named differs.
      if (options.userDictionary !== undefined && analysisVersion(index.dictionary) === index.manifest.analysis) {
        throw new Error(`the index in ${indexDir} was built with another user dictionary than the one given: leave it out (the index keeps its own) or rebuild the index with it`)
      }
      throw new Error(`the index in ${indexDir} was analyzed differently (${index.manifest.analysis}) from this jiansuo (${version}): rebuild it`)
    }
    return new SearchEngine(index, userDictionary, options)
  }

  /** Closes the index's files: when a newer generation has replaced this one and no search is using it. */
  close(): void {
    this.index.close()
  }

  /**
   * The analysis chain queries are cut with, created on first use: a search thread that is always
   * handed analyzed queries never loads jieba.
   */
  get analyzer(): Analyzer {
    return (this.segmenting ??= new Analyzer(createSegmenter(this.userDictionary)))
  }

  /** Answers `params`; `analyzed`, when given, must be this engine's analyzeQuery(params.q), made elsewhere. */
  search(params: SearchParams, analyzed?: AnalyzedQuery): SearchResponse {
    const started = performance.now()
    const page = Math.max(1, Math.floor(params.page) || 1)
    const size = Math.min(100, Math.max(1, Math.floor(params.size) || 10))
    const needed = page * size
    const query = analyzed ?? this.analyzeQuery(params.q)
    // A query of filters alone (category:xwlb) lists what they keep, newest first: there is nothing to rank by.
    const newestFirst = params.sort === 'date' || listsFilter(query)
    // By relevance, only the reranked window and the pages before it need exact scores; by date, every match does (ties).
    const ranked = Math.max(needed, rerankWindow(this.ranked, this.titles, query, params.q))
    const wantFacets = (params.facets?.length ?? 0) > 0
    // Sorting by date and counting facets read every match; a page by relevance needs only their count.
    const { context, filtered, total, best, relaxed } = this.match(query, params, newestFirst || this.ranked.scoreEveryMatch ? 0 : ranked, newestFirst || wantFacets)
    const shown = shownTerms(context.plan)
    const ordered = newestFirst
      ? byDate(this.scores, this.index.docs.dateMs, listed(filtered), needed, relaxed)
      : byRelevance(context, this.titles, best ?? topK(listed(filtered), ranked, this.scores.relevanceOrder), params.q, needed)
    const hits = makeHits(context, ordered.slice((page - 1) * size, needed), shown)
    const facets = wantFacets ? countFacets(listed(filtered), this.index.docs, params.facets!) : undefined
    return {
      query: params.q,
      terms: shown.map((t) => t.text),
      total,
      page,
      size,
      took_ms: Math.round((performance.now() - started) * 100) / 100,
      relaxed,
      hits,
      ...(facets && { facets }),
    }
  }

  /**
   * Ids of every document the query matches, unranked: what `total` counts. For exports, tests and
   * recall measurements; the page of results comes from search().
   */
  matchingIds(q: string): string[] {
    return Array.from(listed(this.match(this.analyzeQuery(q), {}, 0, true).filtered), (doc) => this.index.docs.display(doc).id)
  }

  /**
   * `q` parsed and cut into terms, as search() would do it. A caller on another thread (the server's
   * main thread) makes this and passes it to search(), so the searching thread needs no segmenter.
   */
  analyzeQuery(q: string): AnalyzedQuery {
    return analyzeQuery(q, this.analyzer, this.synonyms)
  }

  /**
   * Every document the query matches after exclusions and filters (the query's own and the caller's;
   * listed unless `listAll` is false and the walk could do without), how many, and, when `best` > 0, the
   * best `best` of them by relevance (see walk).
   */
  private match(query: AnalyzedQuery, given: GivenFilters, best: number, listAll: boolean): Matched {
    const context: QueryContext = { ranked: this.ranked, scores: this.scores, plan: planQuery(this.ranked, query) }
    this.scores.begin(context.plan.clauses.length)
    const excluded = query.excluded.map((t) => new TermPlan(this.index, t))
    const filter = queryFilter(this.index.docs.meta, query, given)
    if (!filter) return { context, filtered: NO_DOCS, total: 0, best: null, relaxed: false }
    if (listsFilter(query)) {
      const docs = filterAll(this.index.docs, this.scores, filter, excluded)
      return { context, filtered: docs, total: docs.length, best: null, relaxed: false }
    }
    const { candidates, relaxed } = collect(context, excluded, filter, best, listAll)
    return { context, filtered: candidates.docs, total: candidates.total, best: candidates.best, relaxed }
  }
}
