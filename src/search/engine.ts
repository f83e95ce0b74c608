import { analysisVersion, sharedAnalyzer, type Analyzer } from '../analysis/analyzer.js'
import { openIndex, type IndexReader, type LoadedIndexFiles } from '../index/reader.js'
import { homophonesOf } from '../suggest/homophones.js'
import { collect, countHoldingAll } from './candidates.js'
import { correctedQuery } from './correction.js'
import { ExactTitles } from './exact-titles.js'
import { countFacets } from './facets.js'
import { filterAll, listsFilter, queryFilter, type DocFilter, type GivenFilters } from './filters.js'
import { makeHits, shownTerms } from './hits.js'
import { TermPlan } from './match.js'
import { analyzeQuery, type AnalyzedQuery } from './query-analysis.js'
import { planQuery, type QueryContext } from './query-plan.js'
import { rankIndex, type RankedIndex } from './ranked-index.js'
import { documentView, type DocumentView } from './reading.js'
import type { RankingOptions } from './rank.js'
import { byRelevance, rerankWindow } from './rerank.js'
import { byDate, DocScores, NO_DOCS, type MatchedDocs } from './scores.js'
import { parseSynonyms, withRegionalWords, type Synonyms } from './synonyms.js'
import { topK } from './top-k.js'
import type { SearchParams, SearchResponse } from './types.js'
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

/**
 * Answers queries over one loaded index. Loading is the only expensive step; searching allocates
 * little and throws for no query string but one whose work it refuses (QueryTooCostlyError, a 400
 * with its reason: more phrases settled against each post's text than a query may hold).
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
   * The analysis chain queries are cut with, loaded on first use (a search thread that is always
   * handed analyzed queries never loads jieba) and shared with the process's other engines.
   */
  get analyzer(): Analyzer {
    return (this.segmenting ??= sharedAnalyzer(this.userDictionary))
  }

  /** Whether a query can be cut without loading jieba first (see warmUp). */
  get analyzerLoaded(): boolean {
    return this.segmenting !== undefined
  }

  /**
   * Loads what cutting a query needs (jieba's dictionary, the fold and regional-word tables, the
   * homophones a correction reads) now rather than during the first search: a server calls it before
   * it listens, and before a reloaded generation takes over.
   */
  warmUp(): void {
    this.analyzeQuery('检索 search')
    // 0.3–0.8 s at 100,000 posts: paid by the first mistyped query otherwise, and every request behind it.
    homophonesOf(this.index)
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
    // Last: it walks again, over the scratch the hits and facets were read from.
    const didYouMean = total === 0 || relaxed ? this.betterCorrection(query, params) : null
    return {
      query: params.q,
      terms: shown.map((t) => t.text),
      total,
      page,
      size,
      took_ms: Math.round((performance.now() - started) * 100) / 100,
      relaxed,
      ...(didYouMean !== null && { did_you_mean: didYouMean }),
      hits,
      ...(facets && { facets }),
    }
  }

  /** The query's correction, when more posts hold every one of its terms than hold every term of the query (with the same filters): else null. */
  private betterCorrection(query: AnalyzedQuery, params: SearchParams): string | null {
    if (!query.correction) return null
    // The query's own count is small (none, or under ten in a relaxed answer); the correction's is counted one past it at most.
    const held = this.holdingAll(query, params, Infinity)
    return this.holdingAll(query.correction.query, params, held + 1) > held ? query.correction.q : null
  }

  /** How many documents hold every clause of `query`, after its exclusions and filters and the caller's, up to `atMost`. */
  private holdingAll(query: AnalyzedQuery, given: GivenFilters, atMost: number): number {
    const { context, excluded, filter } = this.prepare(query, given)
    if (!filter || listsFilter(query)) return 0
    return countHoldingAll(context, excluded, filter, atMost)
  }

  /** A query planned against this index, the engine's scratch begun for it, its exclusions opened and its filters (null: none can pass). */
  private prepare(query: AnalyzedQuery, given: GivenFilters): { context: QueryContext; excluded: TermPlan[]; filter: DocFilter | null } {
    const context: QueryContext = { ranked: this.ranked, scores: this.scores, plan: planQuery(this.ranked, query) }
    this.scores.begin(context.plan.clauses.length)
    return { context, excluded: query.excluded.map((t) => new TermPlan(this.index, t)), filter: queryFilter(this.index.docs.meta, query, given) }
  }

  /**
   * Document `id` in full, with the terms of `q` (when given) marked as its hit marks them; null when
   * no document has that id.
   */
  read(id: string, q?: string): DocumentView | null {
    const doc = this.index.docs.find(id)
    if (doc < 0) return null
    return documentView(this.index.docs, doc, q === undefined ? null : planQuery(this.ranked, this.analyzed(q)))
  }

  /**
   * Ids of every document the query matches, unranked: what `total` counts. For exports, tests and
   * recall measurements; the page of results comes from search().
   */
  matchingIds(q: string): string[] {
    return Array.from(listed(this.match(this.analyzed(q), {}, 0, true).filtered), (doc) => this.index.docs.display(doc).id)
  }

  /**
   * `q` parsed and cut into terms, as search() would do it. A caller on another thread (the server's
   * main thread) makes this and passes it to search(), so the searching thread needs no segmenter.
   */
  analyzeQuery(q: string): AnalyzedQuery {
    const query = this.analyzed(q)
    // Read on first need: a term no post holds.
    const corrected = correctedQuery(q, query, this.index, () => homophonesOf(this.index))
    if (corrected !== null) query.correction = { q: corrected, query: this.analyzed(corrected) }
    return query
  }

  /** `q` parsed and cut, without looking for a correction. */
  private analyzed(q: string): AnalyzedQuery {
    const synonyms = withRegionalWords(q, this.synonyms, (word) => this.index.words.lookup(word) >= 0)
    return analyzeQuery(q, this.analyzer, synonyms)
  }

  /**
   * Every document the query matches after exclusions and filters (the query's own and the caller's;
   * listed unless `listAll` is false and the walk could do without), how many, and, when `best` > 0, the
   * best `best` of them by relevance (see walk).
   */
  private match(query: AnalyzedQuery, given: GivenFilters, best: number, listAll: boolean): Matched {
    const { context, excluded, filter } = this.prepare(query, given)
    if (!filter) return { context, filtered: NO_DOCS, total: 0, best: null, relaxed: false }
    if (listsFilter(query)) {
      const docs = filterAll(this.index.docs, this.scores, filter, excluded)
      return { context, filtered: docs, total: docs.length, best: null, relaxed: false }
    }
    const { candidates, relaxed } = collect(context, excluded, filter, best, listAll)
    return { context, filtered: candidates.docs, total: candidates.total, best: candidates.best, relaxed }
  }
}
