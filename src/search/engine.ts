import { analysisVersion, Analyzer } from '../analysis/analyzer.js'
import { normalize } from '../analysis/normalize.js'
import { createSegmenter } from '../analysis/segment.js'
import { splitUnits } from '../analysis/units.js'
import { type IndexReader, type LoadedIndexFiles, openIndex } from '../index/reader.js'
import { collect } from './candidates.js'
import { countFacets } from './facets.js'
import { filterAll, type GivenFilters, listsFilter, queryFilter } from './filters.js'
import { findMatches } from './highlight.js'
import { TermPlan } from './match.js'
import { type AnalyzedQuery, analyzeQuery } from './query-analysis.js'
import { PASSAGE_TERMS, planQuery, type QueryContext, type QueryPlan, type ScoredTerm } from './query-plan.js'
import type { QueryTerm } from './query-terms.js'
import { bm25f, bm25fCeiling, ceilingsHold, minGap, type RankingOptions } from './rank.js'
import { type RankedIndex, rankIndex } from './ranked-index.js'
import { byDate, DocScores, type MatchedDocs, NO_DOCS } from './scores.js'
import { highlightTitle, makeSnippet } from './snippet.js'
import { parseSynonyms, type Synonyms } from './synonyms.js'
import { topK } from './top-k.js'
import type { Hit, SearchParams, SearchResponse } from './types.js'
import { listed } from './walk.js'

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
