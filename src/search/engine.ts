import { Analyzer, analysisVersion } from '../analysis/analyzer.js'
import { normalize } from '../analysis/normalize.js'
import { createSegmenter } from '../analysis/segment.js'
import { splitUnits } from '../analysis/units.js'
import { blockMaximaFor } from '../index/block-max.js'
import { denseSetsFor, type StoredDenseSets } from '../index/dense-sets.js'
import { END, PostingCursor } from '../index/posting-cursor.js'
import { openIndex, type IndexReader, type LoadedIndexFiles } from '../index/reader.js'
import { inAllSets, planBlockSkip, type BlockSkip } from './block-skip.js'
import { countFacets } from './facets.js'
import { TermPlan, type TermCursor } from './match.js'
import { analyzeQuery, type AnalyzedQuery } from './query-analysis.js'
import type { QueryTerm } from './query-terms.js'
import { bm25f, bm25fCeiling, ceilingsHold, DEFAULT_RANKING, fieldWeights, idf, minGap, type FieldStats, type FieldWeights, type RankingOptions } from './rank.js'
import { highlightTitle, makeSnippet } from './snippet.js'
import { findMatches } from './highlight.js'
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

/**
 * When fewer documents than this contain every term, documents containing most of the terms follow
 * them (and the response says `relaxed`), with the most common terms given up first (as Meilisearch's "frequency" matching strategy does).
 */
const RELAX_BELOW = 10

/**
 * In a relaxed answer to a few keywords a document's score counts times (clauses it holds / clauses asked for) to this
 * power (Lucene's old coordination factor, squared), instead of the count deciding first: a post holding
 * two of three terms strongly can outrank one holding all three in passing (怎么申请个人养老金: the posts
 * about 个人养老金 over weekly digests that mention 申请, 个人 and 养老金 somewhere).
 */
const COORDINATION = 2

/** From this many terms on, a query reads as a copied passage, and finding it verbatim earns a bonus. */
const PASSAGE_TERMS = 4

/**
 * How many of the best documents get the finer (and costlier) proximity and title scoring: ten pages of
 * ten. 200 cost 8% more time on the bench's log at 100k, for the same nDCG@10 on ../shared/eval and the
 * same first hit on every logged query.
 */
const RERANK_WINDOW = 100

/** Titles of a one-clause query's length looked at for an exact one; beyond, the rerank window is kept (see anyExactTitle). */
const EXACT_TITLE_LOOKS = 64

/** A required part of the query: matched when any alternative matches. */
interface Clause {
  alternatives: ScoredTerm[]
  /**
   * The lone character split off a glued word (路 of 断头路): it narrows the matches but never qualifies
   * a document on its own, so the relaxed fallback never keeps a document for holding it alone.
   */
  filtersOnly: boolean
}

interface ScoredTerm {
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

/** A phrase scored as one term (a glued word, a typed run), its idf estimated from its rarest gram. */
interface PhrasePlan {
  plan: TermPlan
  idf: number
}

/** Where a walk's documents come from: the postings of its lead clauses, or a list already settled (in document order). */
type Candidates = { lead: number[] } | { docs: readonly number[] }

/** Category and tag names, as a query or the caller gives them. */
interface FacetNames {
  categories: string[]
  tags: string[]
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

/** The documents a query matches, in document order: a view of the engine's scratch, valid until its next walk. */
type MatchedDocs = Uint32Array

const NO_DOCS: MatchedDocs = new Uint32Array(0)

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

/** A query of category or tag filters and nothing to match (`category:xwlb`, `tag:科技 -足球`): it lists what the filters keep. */
function listsFilter(query: AnalyzedQuery): boolean {
  return query.clauses.length === 0 && query.categories.length + query.tags.length + query.excludedCategories.length + query.excludedTags.length > 0
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

/** Whether any of the cursors matches the document. An indexed loop: a closure per document is garbage. */
function anyMatches(cursors: readonly TermCursor[], doc: number): boolean {
  for (let i = 0; i < cursors.length; i++) if (cursors[i]!.matchAt(doc)) return true
  return false
}

/**
 * Answers queries over one loaded index. Loading is the only expensive step; searching allocates
 * little and never throws for any query string.
 */
export class SearchEngine {
  readonly documentCount: number
  private readonly ranking: RankingOptions
  private readonly synonyms: Synonyms
  private readonly stats: FieldStats
  private readonly weights: FieldWeights
  // Per-document scratch reused by every query: a walk writes every document it keeps.
  private readonly score: Float64Array
  private readonly clauseHits: Uint16Array
  /** Clauses a document holds as real jieba words, not only as characters that happen to meet. */
  private readonly wordHits: Uint16Array
  /** Glued terms of the current query (断头路): posts holding them as typed rank first within a level. */
  private glued: QueryTerm[] = []
  private gluedPlans: PhrasePlan[] = []
  /**
   * Runs of the current query typed without a space (远程办公): among the best documents (the rerank),
   * those holding one as typed score it as a term.
   */
  private typedPlans: PhrasePlan[] = []
  private readonly gluedHits: Uint16Array
  /** The documents a walk keeps, in order: a walk over a common word keeps most of the archive, and a growing array copies itself on the way. */
  private readonly found: Uint32Array
  /** Whether the current answer is a relaxed one to a few keywords, so ordered by coordinated score (see COORDINATION). */
  private coordinated = false
  /** Clauses of the current query: what a document's share of the terms is counted against. */
  private clauseCount = 0
  /** Created on first use (see `analyzer`). */
  private segmenting: Analyzer | undefined
  /** The documents grouped by title length, made on first use (see anyExactTitle). */
  private titlesByLength: { start: Uint32Array; docs: Uint32Array } | undefined
  private readonly scoreEveryMatch: boolean
  /** The grams' block maxima, when they were computed for this engine's ranking (see BlockMaxima). */
  private readonly blockMaxima: Float32Array | null
  /** The most common grams' documents as bitsets, when the index has them (see DenseSets). */
  private readonly denseSets: StoredDenseSets | null

  private constructor(readonly index: IndexReader, private readonly userDictionary: string, options: EngineOptions) {
    this.documentCount = index.docs.count
    this.ranking = { ...DEFAULT_RANKING, ...options.ranking }
    this.synonyms = parseSynonyms(index.synonyms)
    this.stats = {
      titleUnits: index.docs.titleUnits,
      bodyUnits: index.docs.bodyUnits,
      avgTitle: index.docs.meta.avgTitleUnits,
      avgBody: index.docs.meta.avgBodyUnits,
    }
    this.weights = fieldWeights(this.ranking, this.stats)
    const n = this.documentCount
    this.score = new Float64Array(n)
    this.clauseHits = new Uint16Array(n)
    this.wordHits = new Uint16Array(n)
    this.gluedHits = new Uint16Array(n)
    this.found = new Uint32Array(n)
    this.scoreEveryMatch = options.scoreEveryMatch ?? false
    this.blockMaxima = ceilingsHold(this.ranking) ? blockMaximaFor(index.grams.blockMaxima, this.ranking, this.stats.avgTitle, this.stats.avgBody) : null
    this.denseSets = denseSetsFor(index.grams.denseSets, n)
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
    const byDate = params.sort === 'date' || listsFilter(query)
    // By relevance, only the reranked window and the pages before it need exact scores; by date, every match does (ties).
    const ranked = Math.max(needed, this.rerankWindow(query, params.q))
    const wantFacets = (params.facets?.length ?? 0) > 0
    // Sorting by date and counting facets read every match; a page by relevance needs only their count.
    const { clauses, filtered, total, best, relaxed } = this.match(query, params, byDate || this.scoreEveryMatch ? 0 : ranked, byDate || wantFacets)
    const shownTerms = this.shownTerms(clauses)
    const terms = shownTerms.map((t) => t.text)
    const ordered = byDate ? this.byDate(listed(filtered), needed, relaxed) : this.byRelevance(best ?? topK(listed(filtered), ranked, this.relevanceOrder), clauses, params.q, needed)
    const shown = ordered.slice((page - 1) * size, needed)
    const weights = shownTerms.map((term) => this.termWeight(term, clauses))
    const hits = shown.map((doc) => this.hit(doc, shownTerms, weights))
    const facets = wantFacets ? countFacets(listed(filtered), this.index.docs, params.facets!) : undefined
    return {
      query: params.q,
      terms,
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
   * How many of the best documents the rerank may reorder (see byRelevance). A query of one clause has
   * no proximity to reward, so only a title that is exactly the query could lift a document: when no
   * title is, the page is already in order and the walk need only find it. Common single words, whose
   * blocks a hundredth best score lets through but a tenth best does not, are answered twice as fast.
   */
  private rerankWindow(query: AnalyzedQuery, q: string): number {
    if (query.clauses.length !== 1) return RERANK_WINDOW
    return this.ranking.exactTitle > 0 && this.anyExactTitle(splitUnits(normalize(q)).keys) ? RERANK_WINDOW : 0
  }

  /**
   * Whether some document's title may be exactly these units: only titles of that length are looked at,
   * and when there are more than EXACT_TITLE_LOOKS of them the answer is yes without looking (each look
   * decodes and folds a title, ~1.5 µs: a six-unit phrase has 12,876 titles of its length at 100k).
   */
  private anyExactTitle(queryUnits: string[]): boolean {
    const byLength = (this.titlesByLength ??= docsByLength(this.stats.titleUnits))
    const length = queryUnits.length
    if (length === 0 || length + 1 >= byLength.start.length) return false
    const from = byLength.start[length]!
    const to = byLength.start[length + 1]!
    if (to - from > EXACT_TITLE_LOOKS) return true
    for (let i = from; i < to; i++) if (this.titleBonus(byLength.docs[i]!, queryUnits) > 0) return true
    return false
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
  private match(
    query: AnalyzedQuery,
    given: { category?: string | undefined; tag?: string | undefined; from?: string | undefined; to?: string | undefined },
    best: number,
    listAll: boolean,
  ): { clauses: Clause[]; filtered: MatchedDocs | null; total: number; best: number[] | null; relaxed: boolean } {
    const clauses = this.buildClauses(query)
    this.coordinated = false
    this.clauseCount = clauses.length
    const excluded = query.excluded.map((t) => new TermPlan(this.index, t))
    const filter = this.resolveFilter(
      { categories: [...query.categories, ...(given.category ? [given.category] : [])], tags: [...query.tags, ...(given.tag ? [given.tag] : [])] },
      { categories: query.excludedCategories, tags: query.excludedTags },
      given.from,
      given.to,
    )
    if (!filter) return { clauses, filtered: NO_DOCS, total: 0, best: null, relaxed: false }
    if (listsFilter(query)) {
      const docs = this.filterAll(filter, excluded)
      return { clauses, filtered: docs, total: docs.length, best: null, relaxed: false }
    }
    const { candidates, relaxed } = this.collect(clauses, excluded, filter, best, listAll)
    return { clauses, filtered: candidates.docs, total: candidates.total, best: candidates.best, relaxed }
  }

  private buildClauses(query: AnalyzedQuery): Clause[] {
    this.glued = query.glued
    // The lone character split off a glued term only filters; the glued term itself is scored.
    const filterOnly = new Set(query.glued.map((g) => g.lone!))
    this.gluedPlans = this.glued.map((term) => this.phrasePlan(term))
    // Only a bonus: not worth reading each candidate's text for a lone character beside punctuation (中，国家).
    this.typedPlans = query.typed.map((term) => this.phrasePlan(term)).filter(({ plan }) => !plan.readsText)
    return query.clauses.map((alts) => ({
      alternatives: alts.map((term) => {
        const scored = this.scoreTerm(term, alts.length > 1)
        if (filterOnly.has(term)) {
          scored.idf = 0
          scored.words = []
          scored.matchesAsWord = false
        }
        return scored
      }),
      filtersOnly: alts.every((term) => filterOnly.has(term)),
    }))
  }

  private phrasePlan(term: QueryTerm): PhrasePlan {
    const plan = new TermPlan(this.index, term)
    return { plan, idf: idf(this.documentCount, plan.estimatedDf()) }
  }

  /** `amongAlternatives`: the term is one side of a clause with several (synonyms, OR), see ScoredTerm.matchesAsWord. */
  private scoreTerm(term: QueryTerm, amongAlternatives: boolean): ScoredTerm {
    const plan = new TermPlan(this.index, term)
    const n = this.documentCount
    const words: ScoredTerm['words'] = []
    if (term.field === 'any') {
      // The term itself may be a word in documents even where jieba cut the short query apart (如一 in 始终如一).
      for (const word of new Set([...term.words, term.text])) {
        const id = this.index.words.lookup(word)
        const df = id < 0 ? 0 : this.index.words.df[id]!
        if (df > 0) words.push({ id, idf: idf(n, df), whole: word === term.text })
      }
    }
    const weight = idf(n, plan.estimatedDf())
    const noWord = term.field === 'any' && !words.some((w) => w.whole) && !term.stop
    return { term, plan, idf: weight, words, ownWeight: noWord ? weight * (1 + Math.max(0, this.ranking.wordBonus)) : weight, matchesAsWord: noWord && amongAlternatives }
  }

  /**
   * Category and tag names to ids, dates to day numbers; null when a required category or tag does not
   * exist. An excluded one that does not exist leaves nothing out.
   */
  private resolveFilter(wanted: FacetNames, unwanted: FacetNames, from: string | undefined, to: string | undefined): DocFilter | null {
    const meta = this.index.docs.meta
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

  /** Every document passing the filter and no exclusion, unscored (see listsFilter). */
  private filterAll(filter: DocFilter, excluded: TermPlan[]): MatchedDocs {
    const exclusions = excluded.map((plan) => plan.open())
    let kept = 0
    for (let doc = 0; doc < this.documentCount; doc++) {
      if (!this.passesFilter(doc, filter) || anyMatches(exclusions, doc)) continue
      this.score[doc] = 0
      this.found[kept++] = doc
    }
    return this.found.subarray(0, kept)
  }

  private passesFilter(doc: number, f: DocFilter): boolean {
    const docs = this.index.docs
    for (let i = 0; i < f.categories.length; i++) if (!docs.hasCategory(doc, f.categories[i]!)) return false
    for (let i = 0; i < f.tags.length; i++) if (!docs.hasTag(doc, f.tags[i]!)) return false
    if (docs.hasCategory(doc, f.notCategories) || docs.hasTag(doc, f.notTags)) return false
    if (f.from || f.to) {
      const day = docs.dateDay[doc]!
      if (day === 0 || (f.from && day < f.from) || (f.to && day > f.to)) return false
    }
    return true
  }

  /**
   * The documents matching every clause. When fewer than RELAX_BELOW do, the most common clause is
   * dropped from the requirement, then the next, until RELAX_BELOW documents hold all that remain (the
   * rarer, more telling terms); the response is then marked relaxed, and ranking still puts documents
   * holding more of the query first. Every such document holds the rarest clause, so one walk led by it
   * settles every step. Only when the rarest clause alone is too rare do documents holding any of the
   * rarest few clauses count.
   */
  private collect(clauses: Clause[], excluded: TermPlan[], filter: DocFilter, best: number, listAll: boolean): { candidates: Walked; relaxed: boolean } {
    const n = clauses.length
    const bound = (c: number) => clauses[c]!.alternatives.reduce((sum, alt) => sum + alt.plan.bound, 0)
    // Rarest first; a clause no document can hold is given up at once.
    const order = clauses.map((_, c) => c).filter((c) => bound(c) > 0)
    order.sort((a, b) => bound(a) - bound(b))
    if (order.length === 0) return { candidates: NOTHING, relaxed: false }
    let all = NOTHING
    if (order.length === n) {
      all = this.walk(clauses, { lead: order.slice(0, 1) }, order, excluded, filter, best, listAll)
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
    this.coordinated = keywords
    const fewest = keywords ? 2 : Infinity
    for (let m = telling.length < n ? telling.length : telling.length - 1; m >= fewest; m--) {
      const docs = this.holdingAtLeast(clauses, telling, m, excluded, filter)
      if (docs.length < RELAX_BELOW) continue
      return { candidates: this.walk(clauses, { docs }, [], [], NO_FILTER, best, listAll), relaxed: docs.length > full }
    }
    const led = this.heldPrefixes(clauses, order, excluded, filter)
    // reaching[k]: documents holding at least the k rarest clauses.
    const reaching = new Array<number>(order.length + 1).fill(0)
    for (const held of led.held) reaching[held]!++
    for (let k = order.length - 1; k >= 1; k--) reaching[k]! += reaching[k + 1]!
    for (let keep = Math.min(order.length, n - 1); keep > firstTelling; keep--) {
      if (reaching[keep]! < RELAX_BELOW) continue
      const docs = led.docs.filter((_, i) => led.held[i]! >= keep)
      // Filters and exclusions were applied while counting: the walk only scores.
      return { candidates: this.walk(clauses, { docs }, [], [], NO_FILTER, best, listAll), relaxed: docs.length > full }
    }
    // With the rarest clause telling, the documents holding it alone were counted above.
    for (let k = firstTelling === 0 ? 2 : 1; ; k++) {
      const any = this.walk(clauses, { lead: telling.slice(0, k) }, [], excluded, filter, best, listAll)
      if (any.total >= RELAX_BELOW || k >= telling.length) return { candidates: any, relaxed: any.total > full }
    }
  }

  /**
   * Every document holding at least `m` of the clauses `counted` (rarest first), filters and exclusions
   * applied, in document order. Such a document holds one of the rarest counted.length − m + 1 of them:
   * only those lead.
   */
  private holdingAtLeast(clauses: Clause[], counted: number[], m: number, excluded: TermPlan[], filter: DocFilter): number[] {
    const cursors = counted.map((c) => clauses[c]!.alternatives.map((alt) => alt.plan.open()))
    const docs: number[] = []
    this.forEachLed(cursors.slice(0, counted.length - m + 1).flat(), excluded, filter, (doc) => {
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
  private heldPrefixes(clauses: Clause[], order: number[], excluded: TermPlan[], filter: DocFilter): { docs: number[]; held: number[] } {
    const cursors = order.map((c) => clauses[c]!.alternatives.map((alt) => alt.plan.open()))
    const docs: number[] = []
    const held: number[] = []
    this.forEachLed(cursors[0]!, excluded, filter, (doc) => {
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
  private forEachLed(leaders: TermCursor[], excluded: TermPlan[], filter: DocFilter, visit: (doc: number) => void): void {
    const exclusions = excluded.map((plan) => plan.open())
    const next = leaders.map((cursor) => cursor.candidate(0))
    for (;;) {
      let doc = END
      for (let i = 0; i < next.length; i++) if (next[i]! < doc) doc = next[i]!
      if (doc === END) break
      if (this.passesFilter(doc, filter) && !anyMatches(exclusions, doc)) visit(doc)
      for (let i = 0; i < next.length; i++) if (next[i] === doc) next[i] = leaders[i]!.candidate(doc + 1)
    }
  }

  /**
   * One walk over the postings: candidates come from the lead clauses in document order; each is kept
   * when it holds every required clause (checked first, rarest first) and passes exclusions and filters,
   * and is scored over all clauses: BM25F of each matching term, the real-word bonus, and the glued
   * term as typed. Unless `listAll`, a query of common words steps over whole blocks of its lead's list (see BlockSkip).
   */
  private walk(clauses: Clause[], source: Candidates, required: number[], excluded: TermPlan[], filter: DocFilter, best: number, listAll: boolean): Walked {
    const { score, clauseHits, wordHits, gluedHits, ranking, weights } = this
    const openAll = () => clauses.map((clause) => clause.alternatives.map((alt) => this.openTerm(alt)))
    let open = openAll()
    const exclusions = excluded.map((plan) => plan.open())
    const glued = this.gluedPlans.map((g) => ({ cursor: g.plan.open(), idf: g.idf }))
    const isRequired = new Uint8Array(clauses.length)
    for (const c of required) isRequired[c] = 1
    const evaluation = [...required, ...clauses.map((_, c) => c).filter((c) => !isRequired[c])]
    const found = this.found
    const heap = best > 0 ? new BoundedHeap(best, this.relevanceOrder) : null
    const ceiling = this.scoreCeiling(open, glued)
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
    const filtering = filter.categories.length + filter.tags.length + filter.notCategories.length + filter.notTags.length > 0 || filter.from !== 0 || filter.to !== 0
    const consider = (doc: number): void => {
      if (filtering && !this.passesFilter(doc, filter)) return
      hits = telling = wordable = bound[0] = 0
      for (let i = 0; i < evaluation.length; i++) if (!holds(evaluation[i]!, doc) && isRequired[evaluation[i]!]) return
      // A leader's grams can meet where its term does not (红旗 … 旗区 for 红旗区): such a candidate holding only the lone 路 of 断头路 is no match.
      if (hits === 0 || (required.length === 0 && telling === 0)) return
      for (let i = 0; i < exclusions.length; i++) if (exclusions[i]!.matchAt(doc)) return
      found[kept++] = doc
      // Counted; scored only if, at the most it could score, it could still beat the worst kept.
      if (heap !== null && heap.full && !this.mayOutrank(heap.worst, hits, wordable, ceiling, bound[0]!)) return
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
    const skip = listAll || heap === null ? null : this.blockSkip(open, source, required, exclusions.length > 0 || filtering || glued.length > 0, best)
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
          stepping = skip.seeded.has(c) || (heap.full && !this.mayOutrank(heap.worst, allHits, allWordable, ceiling, skip.bounds[c - skip.first]!))
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
          if (!match || (heap.full && !this.mayOutrank(heap.worst, allHits, allWordable, ceiling, bm25f(ranking, weights, doc, leadCursor.tfTitle, leadCursor.tfBody, skip.leadReach) + skip.followers[c - skip.first]!))) {
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
  private blockSkip(open: OpenTerm[][], source: Candidates, required: number[], constrained: boolean, kept: number): BlockSkip | null {
    const maxima = this.blockMaxima
    if (maxima === null || constrained || !('lead' in source) || source.lead.length !== 1 || required.length !== open.length) return null
    if (open.some((alts) => alts.length !== 1 || alts[0]!.scored.term.field !== 'any')) return null
    const skipTerm = (c: number) => ({ plan: open[c]![0]!.scored.plan, reach: open[c]![0]!.reach })
    const lead = source.lead[0]!
    const followers = open.map((_, c) => c).filter((c) => c !== lead)
    return planBlockSkip(this.index.grams, maxima, this.denseSets, skipTerm(lead), followers.map(skipTerm), kept)
  }

  /**
   * The most a document's other words (sub-words, which may occur outside the term) and glued terms
   * could add to what its terms reach (OpenTerm.reach): the rest of the walk's bound for skipping the
   * scoring of documents that cannot reach the best. Infinite when the ranking options leave BM25F
   * unbounded (see ceilingsHold): nothing is skipped.
   */
  private scoreCeiling(open: OpenTerm[][], glued: { idf: number }[]): { score: number; glued: number } {
    const { ranking } = this
    if (!ceilingsHold(ranking)) return { score: Infinity, glued: Infinity }
    let score = 0
    for (const alts of open) {
      for (const alt of alts) for (const w of alt.words) if (!w.whole) score += Math.max(0, ranking.wordBonus) * bm25fCeiling(ranking, w.idf)
    }
    for (const g of glued) score += bm25fCeiling(ranking, g.idf)
    return { score, glued: glued.length }
  }

  /**
   * Whether a document holding `hits` clauses, `wordable` of them through jieba words, whose terms reach
   * `reached` (see OpenTerm.reach), could rank above `worst` (scored). The counts decide first, as in
   * relevanceOrder; on equal counts, a bound that only equals the worst's score is still scored.
   */
  private mayOutrank(worst: number, hits: number, wordable: number, ceiling: { score: number; glued: number }, reached: number): boolean {
    if (this.coordinated) return (reached + ceiling.score) * (1 + 1e-9) * this.coordination(hits) >= this.coordinatedScore(worst)
    if (hits !== this.clauseHits[worst]) return hits > this.clauseHits[worst]!
    if (ceiling.glued !== this.gluedHits[worst]) return ceiling.glued > this.gluedHits[worst]!
    if (wordable !== this.wordHits[worst]) return wordable > this.wordHits[worst]!
    // The bound's sums are rounded differently from the score's: a margin far above rounding, far below any real gap.
    return (reached + ceiling.score) * (1 + 1e-9) >= this.score[worst]!
  }

  private openTerm(scored: ScoredTerm): OpenTerm {
    const cursor = scored.plan.open()
    // The term's own word may already have a cursor, opened for counting (TermCursor.word): one walk over its postings, not two.
    const wordCursor = (id: number) => (cursor.word && scored.plan.word === id ? cursor.word : new PostingCursor(this.index.words, id))
    const whole = scored.words.find((w) => w.whole)
    return {
      scored,
      cursor,
      words: scored.words.map((w) => ({ cursor: wordCursor(w.id), idf: w.idf, whole: w.whole })),
      reach: scored.ownWeight + (whole ? Math.max(0, this.ranking.wordBonus) * whole.idf : 0),
      whole: whole !== undefined || scored.matchesAsWord,
    }
  }

  /** The terms as the user sees them (断头路, not its pieces), for `terms` and highlighting; a repeated one once. */
  private shownTerms(clauses: Clause[]): QueryTerm[] {
    const out: QueryTerm[] = []
    const add = (term: QueryTerm) => {
      if (!out.some((t) => t.text === term.text && t.field === term.field)) out.push(term)
    }
    for (const clause of clauses) {
      for (const alt of clause.alternatives) {
        const whole = this.glued.find((g) => g.parts?.includes(alt.term))
        if (!whole) add(alt.term)
        else if (whole.parts![0] === alt.term) add(whole)
      }
    }
    return out
  }

  /**
   * The word part of each glued term whose whole occurs in neither the title nor the text (阿尔茨海默
   * of 阿尔茨海默氏病): what such a document matched. Where the whole occurs, the part alone is no match
   * to show (35 of 35岁 in F-35).
   */
  private gluedWords(title: string, text: string): { terms: QueryTerm[]; weights: number[] } {
    const missing = this.glued.map((g, i) => ({ g, i })).filter(({ g }) => findMatches(title, [g]).length === 0 && findMatches(text, [g]).length === 0)
    return { terms: missing.map(({ g }) => g.parts!.find((part) => part !== g.lone)!), weights: missing.map(({ i }) => this.gluedPlans[i]!.idf) }
  }

  /** How much a shown term counts when a snippet's passage is chosen: its idf, so a rare word outweighs a common one. */
  private termWeight(term: QueryTerm, clauses: Clause[]): number {
    const glued = this.glued.indexOf(term)
    if (glued >= 0) return this.gluedPlans[glued]!.idf
    for (const clause of clauses) for (const alt of clause.alternatives) if (alt.term === term) return alt.idf
    return 1
  }

  /**
   * The first `needed` documents, newest first (undated last), ties by relevance. In a relaxed answer the
   * documents holding more of the query still come first, as by relevance: each level is newest first.
   */
  private byDate(docs: MatchedDocs, needed: number, relaxed: boolean): number[] {
    const date = this.index.docs.dateMs
    const key = (d: number) => (Number.isNaN(date[d]!) ? -Infinity : date[d]!)
    const newest = (a: number, b: number) => key(b) - key(a) || this.score[b]! - this.score[a]! || a - b
    return topK(docs, needed, relaxed ? (a, b) => this.clauseHits[b]! - this.clauseHits[a]! || newest(a, b) : newest)
  }

  /**
   * Documents holding more of the query always come first; then those holding its glued terms as typed
   * (断头路, not 断头 … 路); then its words as real words (和服, not 和服务); then by score; then in index order.
   */
  private readonly relevanceOrder = (a: number, b: number): number =>
    this.coordinated
      ? this.coordinatedScore(b) - this.coordinatedScore(a) || a - b
      : this.clauseHits[b]! - this.clauseHits[a]! ||
    this.gluedHits[b]! - this.gluedHits[a]! ||
    this.wordHits[b]! - this.wordHits[a]! ||
    this.score[b]! - this.score[a]! ||
    a - b

  /** The share of a relaxed answer's score a document holding `hits` of the clauses keeps (see COORDINATION). */
  private coordination(hits: number): number {
    return (hits / Math.max(1, this.clauseCount)) ** COORDINATION
  }

  private coordinatedScore(doc: number): number {
    return this.score[doc]! * this.coordination(this.clauseHits[doc]!)
  }

  /** `top`, the best documents in relevance order, reordered after the best RERANK_WINDOW get proximity and title bonuses. */
  private byRelevance(top: number[], clauses: Clause[], query: string, needed: number): number[] {
    const { score } = this
    const order = this.relevanceOrder
    const head = top.slice(0, RERANK_WINDOW)
    const queryUnits = splitUnits(normalize(query)).keys
    // Known first, for the proximity bounds; added after the proximity bonus, so that a score's sum is always made in one order.
    const titles = head.map((doc) => this.titleBonus(doc, queryUnits))
    const base = head.map((doc) => score[doc]!)
    const proximity = this.proximityBonuses(head, base, titles, clauses, Math.min(needed, head.length))
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
  private proximityBonuses(head: number[], base: number[], titles: number[], clauses: Clause[], needed: number): Float64Array {
    const bonus = new Float64Array(head.length).fill(NaN)
    const near = clauses.length >= 2 && this.ranking.proximity !== 0
    if (!near && this.typedPlans.length === 0) return bonus.fill(0)
    const firsts = near ? clauses.map((clause) => clause.alternatives[0]!) : []
    const most = this.scoreEveryMatch ? Infinity : this.mostProximity(firsts) + this.mostTyped()
    const all = head.map((_, i) => i)
    if (!Number.isFinite(most) || needed >= head.length) {
      this.proximityOf(head, all, firsts, bonus)
      return bonus
    }
    const first = all.slice(0, needed)
    this.proximityOf(head, first, firsts, bonus)
    const score = this.score
    for (let i = 0; i < head.length; i++) score[head[i]!] = base[i]! + (Number.isNaN(bonus[i]!) ? most : bonus[i]!) + titles[i]!
    const last = first.map((i) => head[i]!).sort(this.relevanceOrder)[needed - 1]!
    this.proximityOf(head, all.filter((i) => Number.isNaN(bonus[i]!) && this.relevanceOrder(head[i]!, last) < 0), firsts, bonus)
    return bonus
  }

  /**
   * Fills in `bonus` for the documents of `head` at `wanted`: one cursor per clause (its first alternative)
   * and one per typed run, walked once in document order.
   */
  private proximityOf(head: number[], wanted: number[], firsts: ScoredTerm[], bonus: Float64Array): void {
    const { ranking, weights } = this
    const cursors = firsts.map((alt) => alt.plan.open(true))
    const typed = this.typedPlans.map(({ plan, idf }) => ({ cursor: plan.open(), idf }))
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
      let sum = firsts.length > 0 ? this.proximityBonus(starts, counts, firsts) : 0
      for (const t of typed) if (t.cursor.matchAt(doc)) sum += bm25f(ranking, weights, doc, t.cursor.tfTitle, t.cursor.tfBody, t.idf)
      bonus[i] = sum
    }
  }

  /** The most the typed runs can add to a document (see proximityOf); infinite when BM25F is unbounded. */
  private mostTyped(): number {
    if (this.typedPlans.length === 0) return 0
    if (!ceilingsHold(this.ranking)) return Infinity
    return this.typedPlans.reduce((sum, { idf }) => sum + bm25fCeiling(this.ranking, idf), 0)
  }

  /**
   * The largest bonus proximityBonus can give for these clauses: every pair of neighbours at no gap, and
   * the phrase bonus when the query is passage-like. Summed in proximityBonus's order, so never below it.
   */
  private mostProximity(firsts: readonly ScoredTerm[]): number {
    const { proximity, phrase } = this.ranking
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
  private proximityBonus(starts: readonly (Uint32Array | null)[], counts: Int32Array, firsts: readonly ScoredTerm[]): number {
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
        bonus += (this.ranking.proximity * Math.min(firsts[prev]!.idf, idf)) / (1 + gap / 2)
        if (gap > 1) phrase = false
      } else if (prev >= 0) phrase = false
      prev = c
    }
    // Only a passage-like query (several terms) is asking for its words in this order; a few keywords are not.
    return phrase && starts.length >= PASSAGE_TERMS ? bonus + this.ranking.phrase * idfSum : bonus
  }

  /** Known-item search: a title that is exactly the query's text (ignoring punctuation and spaces). */
  private titleBonus(doc: number, queryUnits: string[]): number {
    if (queryUnits.length === 0 || this.stats.titleUnits[doc] !== queryUnits.length) return 0
    const title = splitUnits(normalize(this.index.docs.title(doc))).keys
    return title.every((k, i) => k === queryUnits[i]) ? this.ranking.exactTitle * Math.log(1 + this.documentCount) : 0
  }

  private hit(doc: number, shownTerms: QueryTerm[], shownWeights: number[]): Hit {
    const stored = this.index.docs.display(doc)
    const text = this.index.docs.text(doc)
    const parts = this.glued.length === 0 ? null : this.gluedWords(stored.title, text)
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
      score: Math.round(this.score[doc]! * 1000) / 1000,
      snippet_html: makeSnippet(text, terms, this.typedPlans.map(({ plan }) => plan.term), weights),
    }
  }
}
