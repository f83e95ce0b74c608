import { nextInAll } from '../index/dense-sets.js'
import { END, PostingCursor } from '../index/posting-cursor.js'
import { RANGE_SHIFT } from '../index/range-max.js'
import { inAllSets, planBlockSkip, rangeOrder, rarestGramOf, type BlockSkip, type SkipBonus } from './block-skip.js'
import { isFiltering, passesFilter, type DocFilter } from './filters.js'
import type { TermCursor, TermPlan } from './match.js'
import type { QueryContext, ScoredTerm } from './query-plan.js'
import type { RankedIndex } from './ranked-index.js'
import { bm25f, bm25fCeiling, ceilingsHold } from './rank.js'
import { NO_DOCS, type MatchedDocs, type ScoreCeiling } from './scores.js'
import { BoundedHeap } from './top-k.js'
import { GluedCeiling } from './glued-ceiling.js'

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

/**
 * Ranges of documents (see RangeMaxima) a walk reads in its first batch: each batch after is twice as
 * many. On six common two- and three-word queries at 100,000 posts, 32, 64 and 128 took 8.5–8.7,
 * 8.4–8.6 and 8.9–9.3 ms in all.
 */
const RANGES_FIRST = 64

/** Where a walk's documents come from: the postings of its lead clauses, or a list already settled (in document order). */
type Candidates = { lead: number[] } | { docs: readonly number[] }

/**
 * What a walk found: every matching document (null when the caller did not ask for them listed and the
 * walk stepped over some), how many there are (`total`), and, when a relevance walk asked for them, the
 * best `k` by the walk's order, the only documents it was obliged to score exactly.
 */
export interface Walked {
  docs: MatchedDocs | null
  total: number
  best: number[] | null
}

export const NOTHING: Walked = { docs: NO_DOCS, total: 0, best: null }

/** The walk's documents, which a caller that needs them asked to be listed (`listAll`). */
export function listed(docs: MatchedDocs | null): MatchedDocs {
  if (docs === null) throw new Error('the walk was not asked to list its documents')
  return docs
}

/**
 * One walk over the postings: candidates come from the lead clauses in document order; each is kept
 * when it holds every required clause (checked first, rarest first) and passes exclusions and filters,
 * and is scored over all clauses: BM25F of each matching term, the real-word bonus, and the glued
 * term as typed. Unless `listAll`, a query of common words steps over whole blocks of its lead's list (see BlockSkip).
 */
export function walk(context: QueryContext, source: Candidates, required: number[], excluded: TermPlan[], filter: DocFilter, best: number, listAll: boolean): Walked {
  const { ranked, scores } = context
  const { clauses } = context.plan
  const { score, clauseHits, wordHits, gluedHits, found } = scores
  const { ranking, weights } = ranked
  const store = ranked.index.docs
  const openAll = () => clauses.map((clause) => clause.alternatives.map((alt) => openTerm(ranked, alt)))
  let open = openAll()
  const exclusions = excluded.map((plan) => plan.open())
  const openGlued = () => context.plan.gluedPlans.map((g) => ({ cursor: g.plan.open(), idf: g.idf }))
  let glued = openGlued()
  const isRequired = new Uint8Array(clauses.length)
  for (const c of required) isRequired[c] = 1
  const evaluation = [...required, ...clauses.map((_, c) => c).filter((c) => !isRequired[c])]
  const heap = best > 0 ? new BoundedHeap(best, scores.relevanceOrder) : null
  const ceiling = scoreCeiling(ranked, open, glued)
  // Skipping bounds the sub-words' and glued terms' scores block by block (see blockSkip): its ceiling
  // leaves them out, but not the glued terms' count, which orders documents before scores do.
  const skipCeiling: ScoreCeiling = { score: 0, glued: ceiling.glued }
  // Per document: the glued terms narrowed by their grams there (a skipping walk's, to their count).
  const subwordsCeiling = scoreCeiling(ranked, open, []).score
  const narrowGlued = () => new GluedCeiling(ranked, context.plan.gluedPlans, subwordsCeiling)
  let gluedCeiling = narrowGlued()
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
  /** `block`: the lead's block holding the document in a skipping walk (-1 elsewhere), whose maxima bound its sub-words. */
  const consider = (doc: number, block = -1): void => {
    if (filtering && !passesFilter(store, doc, filter)) return
    hits = telling = wordable = bound[0] = 0
    for (let i = 0; i < evaluation.length; i++) if (!holds(evaluation[i]!, doc) && isRequired[evaluation[i]!]) return
    // A leader's grams can meet where its term does not (红旗 … 旗区 for 红旗区): such a candidate holding only the lone 路 of 断头路 is no match.
    if (hits === 0 || (required.length === 0 && telling === 0)) return
    for (let i = 0; i < exclusions.length; i++) if (exclusions[i]!.matchAt(doc)) return
    found[kept++] = doc
    // Counted; scored only if, at the most it could score, it could still beat the worst kept: the
    // sub-words' ceiling lowered to what their maxima allow in the block (or the range).
    const slack = skip === null ? 0 : skip.byRange !== null ? Math.max(0, subwordsCeiling - skip.byRange.subwords[doc >>> RANGE_SHIFT]!) : block < 0 ? 0 : Math.max(0, subwordsCeiling - skip.subwords[block - skip.first]!)
    if (heap !== null && heap.full && !scores.mayOutrank(heap.worst, hits, wordable, gluedCeiling.at(doc, ceiling, true), bound[0]! - slack)) return
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
  // Glued terms only add to a score: they change no count, so they allow skipping.
  const skip = listAll || heap === null ? null : blockSkip(ranked, open, glued, source, required, exclusions.length > 0 || filtering, best)
  // Matches a skipping walk counted without considering them (see BlockSkip.total).
  let passed = 0
  const walked = (): Walked =>
    skip ? { docs: null, total: skip.total ?? kept + passed, best: heap && heap.sorted() } : { docs: found.subarray(0, kept), total: kept, best: heap && heap.sorted() }
  // Every match holds every clause some document holds, as a jieba word at best: the most any document can count (see mayOutrank).
  const allHits = open.filter(holdable).length
  const allWordable = open.reduce((sum, alts) => sum + (alts.some((alt) => alt.whole) ? 1 : 0), 0)
  /**
   * Whether a match in lead block c, the lead holding it so often per field, could not outrank the worst
   * kept even with the followers' and bonuses' block maxima (range maxima, when the walk reads ranges):
   * it is passed by without reading the followers' postings.
   */
  const outrankedInBlock = (skip: BlockSkip, tfTitle: number, tfBody: number, doc: number, c: number): boolean =>
    heap !== null && heap.full && !scores.mayOutrank(heap.worst, allHits, allWordable, gluedCeiling.at(doc, skipCeiling, false), bm25f(ranking, weights, doc, tfTitle, tfBody, skip.leadReach) + followersBound(skip, doc, c))
  /** The followers' and bonuses' part of a document's bound: by its range, or else by its lead block. */
  const followersBound = (skip: BlockSkip, doc: number, c: number): number => (skip.byRange !== null ? skip.byRange.followers[doc >>> RANGE_SHIFT]! : skip.followers[c - skip.first]!)
  if ('docs' in source) {
    for (const doc of source.docs) consider(doc)
    return walked()
  }
  // With range maxima, the ranges are read best bound first, a batch at a time (each batch in document
  // order, its cursors opened afresh), until none left could hold a document that outranks the worst kept.
  if (skip !== null && skip.byRange !== null && heap !== null) {
    const bounds = skip.byRange.all
    const { order, rest } = rangeOrder(bounds)
    const sets = skip.sets
    const leadClause = source.lead[0]!
    for (let at = 0, batchSize = RANGES_FIRST; at < order.length; at += batchSize, batchSize *= 2) {
      if (heap.full && !scores.mayOutrank(heap.worst, allHits, allWordable, skipCeiling, rest[at]!)) break
      if (at > 0) {
        // Cursors only move forward: each batch after the first starts afresh.
        open = openAll()
        glued = openGlued()
        gluedCeiling = narrowGlued()
      }
      const cursor = open[leadClause]![0]!.cursor
      const batch = order.slice(at, at + batchSize).sort()
      for (let i = 0; i < batch.length; i++) {
        const r = batch[i]!
        if (heap.full && !scores.mayOutrank(heap.worst, allHits, allWordable, skipCeiling, bounds[r]!)) continue
        const to = ((r + 1) << RANGE_SHIFT) - 1
        // The lead's own set is among the sets: the documents in them all are the matches.
        for (let doc = nextInAll(sets, r << RANGE_SHIFT); doc <= to; doc = nextInAll(sets, doc + 1)) {
          if (cursor.candidate(doc) === doc && cursor.matchAt(doc) && !outrankedInBlock(skip, cursor.tfTitle, cursor.tfBody, doc, -1)) consider(doc)
        }
      }
    }
    return walked()
  }
  /**
   * Whether a skipping walk's lead spans several grams and the sets gave the count, so that a candidate
   * is first bounded by the lead's rarest gram's counts, which bound the lead's own (every occurrence of
   * the term holds that gram, in the same field): one the bound leaves outranked is passed by before
   * the lead's grams are lined up, most of the cost of such a lead (中共中央 总书记). A candidate passed by
   * this way is never told to be a match, which only a count made by the walk would need.
   */
  const byGram = skip !== null && skip.total !== null && open[source.lead[0]!]![0]!.cursor.plan.grams.length > 1
  if (skip !== null) {
    const cursor = open[source.lead[0]!]![0]!.cursor
    const { space, first, last } = skip
    for (const c of skip.seeds) {
      const closing = c < 0 ? first : c + 1
      const end = closing < last ? space.checkpointDoc(closing) : END
      // Once the heap is full, a seed block's matches are passed by as the walk's own are (below); the
      // lead's first block (-1) has no maximum and no followers' bound.
      const filtered = c >= 0 && (skip.sets.length > 0 || skip.total === null)
      for (let doc = cursor.candidate(c < 0 ? 0 : space.checkpointDoc(c) + 1); doc <= end && doc !== END; doc = cursor.candidate(doc + 1)) {
        if (!inAllSets(skip, doc)) continue
        if (filtered && ((byGram && outrankedInBlock(skip, cursor.rarestGram!.tfTitle, cursor.rarestGram!.tfBody, doc, c)) || (cursor.matchAt(doc) && outrankedInBlock(skip, cursor.tfTitle, cursor.tfBody, doc, c)))) {
          if (skip.total === null) passed++
          continue
        }
        consider(doc, c)
      }
    }
    // Cursors only move forward: the walk in document order starts afresh.
    open = openAll()
    glued = openGlued()
    gluedCeiling = narrowGlued()
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
        stepping = skip.seeded.has(c) || (heap.full && !scores.mayOutrank(heap.worst, allHits, allWordable, skipCeiling, skip.bounds[c - skip.first]!))
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
      // not raise above the worst kept, is passed by without reading the followers' postings.
      if (skip.total !== null && skip.sets.length > 0) {
        // The sets gave the count, and with the lead's own set among them, no document outside them all
        // can match. The lead's count is first bounded by its rarest gram's (see byGram): a lead of
        // several grams is lined up only where that bound lets the document through.
        if (!inAllSets(skip, doc) || outrankedInBlock(skip, leadGram.tfTitle, leadGram.tfBody, doc, c) || (byGram && leadCursor.matchAt(doc) && outrankedInBlock(skip, leadCursor.tfTitle, leadCursor.tfBody, doc, c))) {
          next[0] = skip.leadInSets ? leadGram.advance(nextInAll(skip.sets, doc + 1)) : leadCursor.candidate(doc + 1)
          continue
        }
      } else if (skip.total === null) {
        // Without a count from the sets, every match is counted, so the lead is lined up at each.
        const match = inAllSets(skip, doc) && leadCursor.matchAt(doc)
        if (!match || outrankedInBlock(skip, leadCursor.tfTitle, leadCursor.tfBody, doc, c)) {
          if (match) passed++
          next[0] = leadCursor.candidate(skip.leadInSets ? nextInAll(skip.sets, doc + 1) : doc + 1)
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
    if (resume === doc + 1) consider(doc, block)
    if (resume === END) break
    // Only now move the leaders on: checking the document read their cursors at it.
    for (let i = 0; i < next.length; i++) if (next[i]! < resume) next[i] = leaders[i]!.cursor.candidate(resume)
  }
  return walked()
}

/**
 * How a walk may step over blocks (see BlockSkip): only when every clause some document holds is
 * required and is one term in any field, nothing else is to be checked (`constrained` says exclusions or filters are), and the grams carry block maxima for this engine's ranking; planBlockSkip decides the rest.
 */
function blockSkip(ranked: RankedIndex, open: OpenTerm[][], glued: { cursor: TermCursor; idf: number }[], source: Candidates, required: number[], constrained: boolean, kept: number): BlockSkip | null {
  const maxima = ranked.blockMaxima
  if (maxima === null || constrained || !('lead' in source) || source.lead.length !== 1) return null
  // A clause no document holds matches nowhere, so it need not be required (the bonus its sub-words may
  // still earn is in the walk's ceiling, as every clause's is).
  if (open.some((alts, c) => !required.includes(c) && holdable(alts))) return null
  if (required.some((c) => open[c]!.length !== 1 || open[c]![0]!.scored.term.field !== 'any')) return null
  const skipTerm = (c: number) => ({ plan: open[c]![0]!.scored.plan, reach: open[c]![0]!.reach })
  const lead = source.lead[0]!
  const followers = required.filter((c) => c !== lead)
  const { index, ranking } = ranked
  // A glued term occurs no more often than its rarest gram; a sub-word (质量 of 高质量), wherever it
  // occurs, no more often than any gram of it: both are bounded by that gram's maxima. A sub-word left
  // to the walk's ceiling kept every block of 推动 高质量 发展 above its best page.
  const gluedBonuses: SkipBonus[] = glued.filter((g) => g.cursor.plan.grams.length > 0).map((g) => ({ gram: g.cursor.plan.grams[0]!, reach: g.idf }))
  // Their grams are looked up only for a walk that will skip: most walks are led by a rarer term.
  const subwords = (): SkipBonus[] =>
    open.flatMap((alts) => alts.flatMap((alt) => alt.scored.words.filter((w) => !w.whole).map((w) => ({ gram: rarestGramOf(index.grams, index.words.key(w.id)), reach: Math.max(0, ranking.wordBonus) * w.idf }))))
  return planBlockSkip(index.grams, maxima, ranked.rangeMaxima, bm25fCeiling(ranking, 1), ranked.termSets, skipTerm(lead), followers.map(skipTerm), gluedBonuses, subwords, kept)
}

/** Whether some document may hold the clause: one of its terms' rarest grams is in the index. */
function holdable(alts: OpenTerm[]): boolean {
  return alts.some((alt) => alt.scored.plan.bound > 0)
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
