import { Analyzer } from '../analysis/analyzer.js'
import { normalize } from '../analysis/normalize.js'
import { createSegmenter } from '../analysis/segment.js'
import { splitUnits } from '../analysis/units.js'
import { openIndex, type IndexReader } from '../index/reader.js'
import { countFacets } from './facets.js'
import { matchTerm, matchWord, type TermMatch } from './match.js'
import { parseQuery, type Alternative } from './query-parser.js'
import { phraseOf, termsOf, type QueryTerm } from './query-terms.js'
import { bm25f, DEFAULT_RANKING, idf, minGap, type FieldStats, type RankingOptions } from './rank.js'
import { highlightTitle, makeSnippet } from './snippet.js'
import { parseSynonyms, type Synonyms } from './synonyms.js'
import { topK } from './top-k.js'
import type { Hit, SearchParams, SearchResponse } from './types.js'

export interface EngineOptions {
  ranking?: Partial<RankingOptions>
  /** Jieba user dictionary lines; must be the ones the index was built with. */
  userDictionary?: string
}

/**
 * When fewer documents than this contain every term, documents containing most of the terms follow
 * them (and the response says `relaxed`), as Meilisearch's default matching strategy does.
 */
const RELAX_BELOW = 10

/** From this many terms on, a query reads as a copied passage, and finding it verbatim earns a bonus. */
const PASSAGE_TERMS = 4

/** Clauses a query may have; the rest of a pasted essay adds work, not precision. */
const MAX_CLAUSES = 32
/** Alternatives of one OR, and excluded terms, a query may have. */
const MAX_ALTERNATIVES = 16
/** Characters of a query the engine reads: the HTTP layer allows far fewer; this bounds direct callers. */
const MAX_QUERY_CHARS = 1000

/** The query cut to MAX_QUERY_CHARS, never inside a surrogate pair. */
function boundedQuery(q: string): string {
  if (q.length <= MAX_QUERY_CHARS) return q
  const end = MAX_QUERY_CHARS - (/[\ud800-\udbff]/.test(q[MAX_QUERY_CHARS - 1]!) ? 1 : 0)
  return q.slice(0, end)
}

/** How many of the best documents get the finer (and costlier) proximity and title scoring. */
const RERANK_WINDOW = 200

/** A required part of the query: matched when any alternative matches. */
interface Clause {
  alternatives: ScoredTerm[]
}

interface ScoredTerm {
  term: QueryTerm
  match: TermMatch
  idf: number
  words: { match: TermMatch; idf: number; whole: boolean }[]
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
  // Per-document scratch reused by every query, stamped instead of cleared.
  private readonly score: Float64Array
  private readonly clauseHits: Uint16Array
  private readonly lastClause: Int32Array
  /** Clauses a document holds as real jieba words, not only as characters that happen to meet. */
  private readonly wordHits: Uint16Array
  private readonly wordClause: Int32Array
  /** Glued terms of the current query (断头路): posts holding them as typed rank first within a level. */
  private glued: QueryTerm[] = []
  private readonly filterOnly = new Set<QueryTerm>()
  private readonly gluedHits: Uint16Array
  private readonly stamp: Uint32Array
  private generation = 0

  private constructor(readonly index: IndexReader, readonly analyzer: Analyzer, options: EngineOptions) {
    this.documentCount = index.docs.count
    this.ranking = { ...DEFAULT_RANKING, ...options.ranking }
    this.synonyms = parseSynonyms(index.synonyms)
    this.stats = {
      titleUnits: index.docs.titleUnits,
      bodyUnits: index.docs.bodyUnits,
      avgTitle: index.docs.meta.avgTitleUnits,
      avgBody: index.docs.meta.avgBodyUnits,
    }
    const n = this.documentCount
    this.score = new Float64Array(n)
    this.clauseHits = new Uint16Array(n)
    this.lastClause = new Int32Array(n)
    this.wordHits = new Uint16Array(n)
    this.wordClause = new Int32Array(n)
    this.gluedHits = new Uint16Array(n)
    this.stamp = new Uint32Array(n)
  }

  static open(indexDir: string, options: EngineOptions = {}): SearchEngine {
    const index = openIndex(indexDir)
    // The index carries the dictionary its documents were cut with; queries must be cut with the same.
    const analyzer = new Analyzer(createSegmenter(options.userDictionary ?? index.dictionary))
    if (index.manifest.analysis && index.manifest.analysis !== analyzer.version) {
      throw new Error(
        `the index in ${indexDir} was analyzed differently (${index.manifest.analysis}) from this jiansuo (${analyzer.version}): rebuild it`,
      )
    }
    return new SearchEngine(index, analyzer, options)
  }

  search(params: SearchParams): SearchResponse {
    const started = performance.now()
    const page = Math.max(1, Math.floor(params.page) || 1)
    const size = Math.min(100, Math.max(1, Math.floor(params.size) || 10))
    const { clauses, filtered, relaxed } = this.match(params.q, params)
    this.countGlued()
    const shownTerms = this.shownTerms(clauses)
    const terms = shownTerms.map((t) => t.text)
    const needed = page * size
    const ordered = params.sort === 'date' ? this.byDate(filtered, needed) : this.byRelevance(filtered, needed, clauses, params.q)
    const shown = ordered.slice((page - 1) * size, needed)
    const hits = shown.map((doc) => this.hit(doc, [...shownTerms, ...this.gluedWords()]))
    const facets = params.facets?.length ? countFacets(filtered, this.index.docs, params.facets) : undefined
    return {
      query: params.q,
      terms,
      total: filtered.length,
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
    return this.match(q, {}).filtered.map((doc) => this.index.docs.display(doc).id)
  }

  /** Every document the query matches after exclusions and filters (the query's own and the caller's). */
  private match(
    q: string,
    given: { category?: string | undefined; tag?: string | undefined; from?: string | undefined; to?: string | undefined },
  ): { clauses: Clause[]; filtered: number[]; relaxed: boolean } {
    const parsed = parseQuery(boundedQuery(q))
    const clauses = this.buildClauses(parsed.clauses)
    const excluded = parsed.excluded.slice(0, MAX_ALTERNATIVES).flatMap((alt) => this.alternativeTerms(alt)).map((t) => matchTerm(this.index, t))
    const { candidates, relaxed } = this.collect(clauses)
    const filtered = this.filter(candidates, excluded, {
      categories: [...parsed.categories, ...(given.category ? [given.category] : [])],
      tags: [...parsed.tags, ...(given.tag ? [given.tag] : [])],
      from: given.from,
      to: given.to,
    })
    return { clauses, filtered, relaxed }
  }


  /** Query terms of one alternative: a phrase is one term, free text is cut into words. */
  private alternativeTerms(alt: Alternative): QueryTerm[] {
    if (alt.phrase) {
      const t = phraseOf(alt.text, this.analyzer, alt.field)
      return t ? [t] : []
    }
    return termsOf(alt.text, this.analyzer, alt.field)
  }

  private buildClauses(parsed: Alternative[][]): Clause[] {
    const raw: QueryTerm[][] = []
    this.glued = []
    this.filterOnly.clear()
    for (const all of parsed.slice(0, MAX_CLAUSES)) {
      const alternatives = all.slice(0, MAX_ALTERNATIVES)
      if (alternatives.length === 1) {
        const alt = alternatives[0]!
        const group = alt.phrase ? undefined : this.synonyms.get(normalize(alt.text).trim())
        // A whole synonym (新能源汽车) is one clause of its group, before jieba would cut it apart.
        if (group) raw.push(this.synonymTerms(group, alt.field))
        else
          for (const term of this.alternativeTerms(alt)) {
            if (term.parts && !alt.phrase && !this.synonyms.has(term.text)) {
              // 阿尔茨海默 + 病 must both occur, and posts where they meet as typed rank first.
              for (const part of term.parts) raw.push(this.withSynonyms(part))
              this.filterOnly.add(term.parts[1]!)
              this.glued.push(term)
            } else raw.push(alt.phrase ? [term] : this.withSynonyms(term))
          }
      } else {
        const terms = alternatives.flatMap((a) => this.alternativeTerms(a))
        if (terms.length) raw.push(terms)
      }
    }
    // Function words only count when the query has nothing else.
    const meaningful = raw.filter((alts) => alts.some((t) => !t.stop))
    const chosen = (meaningful.length > 0 ? meaningful : raw).slice(0, MAX_CLAUSES)
    return chosen.map((alts) => ({
      alternatives: alts.map((term) => {
        const scored = this.scoreTerm(term)
        // The lone character split off a glued term only filters; the glued term itself is scored.
        if (this.filterOnly.has(term)) {
          scored.idf = 0
          scored.words = []
        }
        return scored
      }),
    }))
  }

  /** A term and, when it belongs to a synonym group, the other members as alternatives. */
  private withSynonyms(term: QueryTerm): QueryTerm[] {
    const group = this.synonyms.get(term.text)
    return group ? [term, ...this.synonymTerms(group.filter((m) => m !== term.text), term.field)] : [term]
  }

  private synonymTerms(group: readonly string[], field: 'any' | 'title'): QueryTerm[] {
    return group.map((m) => phraseOf(m, this.analyzer, field)).filter((t): t is QueryTerm => t !== null)
  }

  private scoreTerm(term: QueryTerm): ScoredTerm {
    const match = matchTerm(this.index, term)
    const n = this.documentCount
    const words: ScoredTerm['words'] = []
    if (term.field === 'any') {
      // The term itself may be a word in documents even where jieba cut the short query apart (如一 in 始终如一).
      for (const word of new Set([...term.words, term.text])) {
        const wm = matchWord(this.index, word)
        if (wm && wm.length > 0) words.push({ match: wm, idf: idf(n, wm.length), whole: word === term.text })
      }
    }
    return { term, match, idf: idf(n, match.length), words }
  }

  /**
   * Finds the documents matching every clause, then scores them term by term. Only when fewer than
   * RELAX_BELOW match everything are partial matches scored too (and the result is marked relaxed).
   */
  private collect(clauses: Clause[]): { candidates: number[]; relaxed: boolean } {
    if (clauses.length === 0) return { candidates: [], relaxed: false }
    this.nextGeneration()
    const { score, clauseHits, lastClause, stamp, wordHits, wordClause, gluedHits } = this
    const gen = this.generation
    // Count which clauses each document satisfies; a clause counts once however many alternatives match.
    clauses.forEach((clause, c) => {
      for (const alt of clause.alternatives) {
        const docs = alt.match.docs
        for (let i = 0, n = alt.match.length; i < n; i++) {
          const doc = docs[i]!
          if (stamp[doc] !== gen) {
            stamp[doc] = gen
            score[doc] = 0
            clauseHits[doc] = 0
            lastClause[doc] = -1
            wordHits[doc] = 0
            wordClause[doc] = -1
            gluedHits[doc] = 0
          }
          if (lastClause[doc] !== c) {
            lastClause[doc] = c
            clauseHits[doc]!++
          }
        }
      }
    })
    const all: number[] = []
    const full: number[] = []
    for (const clause of clauses) {
      for (const alt of clause.alternatives) {
        const docs = alt.match.docs
        for (let i = 0, n = alt.match.length; i < n; i++) {
          const doc = docs[i]!
          if (lastClause[doc] === -2) continue // already collected
          lastClause[doc] = -2
          all.push(doc)
          if (clauseHits[doc] === clauses.length) full.push(doc)
        }
      }
    }
    const relaxed = full.length < RELAX_BELOW && clauses.length > 1 && all.length > full.length
    if (!relaxed) {
      this.addScores(clauses, clauses.length)
      return { candidates: full, relaxed }
    }
    // Keep the documents missing the fewest clauses that make up RELAX_BELOW results.
    const atLeast = new Array<number>(clauses.length + 2).fill(0)
    for (const doc of all) atLeast[clauseHits[doc]!]!++
    let minHits = clauses.length
    let count = atLeast[minHits]!
    while (minHits > 1 && count < RELAX_BELOW) count += atLeast[--minHits]!
    this.addScores(clauses, minHits)
    return { candidates: all.filter((doc) => clauseHits[doc]! >= minHits), relaxed }
  }

  /** BM25F of every clause's substring and word matches, for documents satisfying at least `minClauses`. */
  private addScores(clauses: Clause[], minClauses: number): void {
    const { score, clauseHits, stamp, ranking, stats, wordHits, wordClause } = this
    const gen = this.generation
    clauses.forEach((clause, c) => {
      for (const alt of clause.alternatives) {
        const { docs, tfTitle, tfBody } = alt.match
        for (let i = 0, n = alt.match.length; i < n; i++) {
          const doc = docs[i]!
          if (clauseHits[doc]! < minClauses) continue
          score[doc]! += bm25f(ranking, stats, doc, tfTitle[i]!, tfBody[i]!, alt.idf)
        }
        for (const w of alt.words) {
          const { docs: wdocs, tfTitle: wt, tfBody: wb } = w.match
          for (let i = 0, n = w.match.length; i < n; i++) {
            const doc = wdocs[i]!
            if (stamp[doc] === gen && clauseHits[doc]! >= minClauses) {
              score[doc]! += ranking.wordBonus * bm25f(ranking, stats, doc, wt[i]!, wb[i]!, w.idf)
              if (w.whole && wordClause[doc] !== c) {
                wordClause[doc] = c
                wordHits[doc]!++
              }
            }
          }
        }
      }
    })
  }

  /** The terms as the user sees them (断头路, not its pieces), for `terms` and highlighting. */
  private shownTerms(clauses: Clause[]): QueryTerm[] {
    const out: QueryTerm[] = []
    for (const clause of clauses) {
      for (const alt of clause.alternatives) {
        const whole = this.glued.find((g) => g.parts?.includes(alt.term))
        if (!whole) out.push(alt.term)
        else if (whole.parts![0] === alt.term) out.push(whole)
      }
    }
    return out
  }

  /** The word part of each glued term, highlighted where the whole does not occur (阿尔茨海默 in 阿尔茨海默氏病). */
  private gluedWords(): QueryTerm[] {
    return this.glued.map((g) => g.parts![0]!)
  }

  /** Marks the matched posts that hold each glued term exactly as typed. */
  private countGlued(): void {
    const { stamp, gluedHits, score, ranking, stats } = this
    const gen = this.generation
    for (const term of this.glued) {
      const exact = matchTerm(this.index, term)
      const weight = idf(this.documentCount, exact.length)
      for (let i = 0; i < exact.length; i++) {
        const doc = exact.docs[i]!
        if (stamp[doc] !== gen) continue
        gluedHits[doc]!++
        score[doc]! += bm25f(ranking, stats, doc, exact.tfTitle[i]!, exact.tfBody[i]!, weight)
      }
    }
  }

  private nextGeneration(): void {
    this.generation = (this.generation + 1) >>> 0
    if (this.generation === 0) {
      this.stamp.fill(0)
      this.generation = 1
    }
  }

  private filter(
    candidates: number[],
    excluded: TermMatch[],
    f: { categories: string[]; tags: string[]; from?: string | undefined; to?: string | undefined },
  ): number[] {
    const docs = this.index.docs
    const categoryIds = f.categories.map((name) => docs.meta.categoryNames.indexOf(name))
    const tagIds = f.tags.map((name) => docs.meta.tagNames.indexOf(name))
    if (categoryIds.includes(-1) || tagIds.includes(-1)) return []
    const from = f.from ? Number(f.from.replaceAll('-', '')) : 0
    const to = f.to ? Number(f.to.replaceAll('-', '')) : 0
    const banned = new Set<number>()
    for (const m of excluded) for (let i = 0; i < m.length; i++) banned.add(m.docs[i]!)
    return candidates.filter((doc) => {
      if (banned.has(doc)) return false
      for (const id of categoryIds) if (!docs.hasCategory(doc, id)) return false
      for (const id of tagIds) if (!docs.hasTag(doc, id)) return false
      const day = docs.dateDay[doc]!
      if ((from || to) && day === 0) return false
      if (from && day < from) return false
      if (to && day > to) return false
      return true
    })
  }

  /** The first `needed` documents, newest first (undated last), ties by relevance. */
  private byDate(docs: number[], needed: number): number[] {
    const date = this.index.docs.dateMs
    const key = (d: number) => (Number.isNaN(date[d]!) ? -Infinity : date[d]!)
    return topK(docs, needed, (a, b) => key(b) - key(a) || this.score[b]! - this.score[a]! || a - b)
  }

  /** The first `needed` documents by relevance; the best RERANK_WINDOW get proximity and title bonuses first. */
  private byRelevance(docs: number[], needed: number, clauses: Clause[], query: string): number[] {
    const { score, clauseHits, wordHits, gluedHits } = this
    // Documents holding more of the query always come first; then those holding its glued terms as
    // typed (断头路, not 断头 … 路); then its words as real words (和服, not 和服务); then by score.
    const order = (a: number, b: number) =>
      clauseHits[b]! - clauseHits[a]! ||
      gluedHits[b]! - gluedHits[a]! ||
      wordHits[b]! - wordHits[a]! ||
      score[b]! - score[a]! ||
      a - b
    const top = topK(docs, Math.max(needed, RERANK_WINDOW), order)
    const head = top.slice(0, RERANK_WINDOW)
    const queryUnits = splitUnits(normalize(query)).keys
    for (const doc of head) score[doc]! += this.proximityBonus(doc, clauses) + this.titleBonus(doc, queryUnits)
    head.sort(order)
    return head.concat(top.slice(RERANK_WINDOW))
  }

  /** Rewards consecutive query terms that occur near each other in the body. */
  private proximityBonus(doc: number, clauses: Clause[]): number {
    if (clauses.length < 2 || this.ranking.proximity === 0) return 0
    let bonus = 0
    let idfSum = 0
    // Whether every term follows the previous one at once (a function word between allowed): the query as a phrase.
    let phrase = true
    let prev: { positions: Uint32Array; len: number; idf: number } | null = null
    for (const clause of clauses) {
      const alt = clause.alternatives[0]!
      const i = entryOf(alt.match, doc)
      if (i < 0) {
        prev = null
        phrase = false
        continue
      }
      const current = { positions: alt.match.bodyPositions(i).slice(), len: alt.term.units.length, idf: alt.idf }
      idfSum += alt.idf
      if (prev && prev.positions.length && current.positions.length) {
        const gap = minGap(prev.positions, prev.len, current.positions, current.len)
        bonus += (this.ranking.proximity * Math.min(prev.idf, current.idf)) / (1 + gap / 2)
        if (gap > 1) phrase = false
      } else if (prev) phrase = false
      prev = current
    }
    // Only a passage-like query (several terms) is asking for its words in this order; a few keywords are not.
    return phrase && clauses.length >= PASSAGE_TERMS ? bonus + this.ranking.phrase * idfSum : bonus
  }

  /** Known-item search: a title that is exactly the query's text (ignoring punctuation and spaces). */
  private titleBonus(doc: number, queryUnits: string[]): number {
    if (queryUnits.length === 0 || this.stats.titleUnits[doc] !== queryUnits.length) return 0
    const title = splitUnits(normalize(this.index.docs.display(doc).title)).keys
    return title.every((k, i) => k === queryUnits[i]) ? this.ranking.exactTitle * Math.log(1 + this.documentCount) : 0
  }

  private hit(doc: number, terms: QueryTerm[]): Hit {
    const stored = this.index.docs.display(doc)
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
      snippet_html: makeSnippet(this.index.docs.text(doc), terms),
    }
  }
}

/** Index of `doc` in a match's sorted document list, or -1. */
function entryOf(match: TermMatch, doc: number): number {
  let lo = 0
  let hi = match.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const d = match.docs[mid]!
    if (d === doc) return mid
    if (d < doc) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}
