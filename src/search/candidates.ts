import type { DocStore } from '../index/doc-store.js'
import { END } from '../index/posting-cursor.js'
import { isFiltering, NO_FILTER, passesFilter, type DocFilter } from './filters.js'
import { anyMatches, type TermCursor, type TermPlan } from './match.js'
import { PASSAGE_TERMS, type QueryContext } from './query-plan.js'
import { listed, NOTHING, walk, type Walked } from './walk.js'

/**
 * When fewer documents than this contain every term, documents containing most of the terms follow
 * them (and the response says `relaxed`), with the most common terms given up first (as Meilisearch's "frequency" matching strategy does).
 */
const RELAX_BELOW = 10

/**
 * When fewer documents than this (but at least RELAX_BELOW) hold every one of three or more terms, the
 * documents holding all but one of them join them, ordered by coordinated score: a few posts hold every
 * word typed, and the posts on the subject that word it otherwise are left out (北京中轴线 申遗: the post
 * on the 中轴线 entering the 世界遗产名录 never says 申遗; a seven-word query on 出舱活动 missed the posts
 * lacking one of its words). Two terms are too few to give one up, and many matches need no more.
 */
const WIDEN_BELOW = 20
const WIDEN_FROM = 3

/**
 * Finding the documents holding all but one term visits every document holding either of the two rarest:
 * done only while those are at most this many (two common words beside a rare one cost a pasted title
 * milliseconds at 100,000 posts, for posts that rarely beat those holding it all). At 100k, 1,000
 * logged queries took 0-2% longer in all with this bound, 6% without.
 */
const WIDEN_VISITS = 2000

/**
 * The documents matching every clause. When fewer than RELAX_BELOW do, the most common clause is
 * dropped from the requirement, then the next, until RELAX_BELOW documents hold all that remain (the
 * rarer, more telling terms); the response is then marked relaxed, and ranking still puts documents
 * holding more of the query first. Every such document holds the rarest clause, so one walk led by it
 * settles every step. Only when the rarest clause alone is too rare do documents holding any of the
 * rarest few clauses count.
 */
export function collect(context: QueryContext, excluded: TermPlan[], filter: DocFilter, best: number, listAll: boolean): { candidates: Walked; relaxed: boolean } {
  const found = collectUnder(context, excluded, filter, best, listAll)
  if (!found.relaxed || !isFiltering(filter)) return found
  // A filter narrows the answer the query has, a relaxed one too: the posts of that answer it keeps, as
  // many as its facets counted (2023 · 1 is that post once clicked, not the posts of 2023 holding one of
  // the rarer terms). Only when it keeps none of them does the query relax on its own within the filter.
  // (Walking the unfiltered answer scores its documents anew, so the filtered answer is walked again.)
  const unfiltered = collectUnder(context, excluded, NO_FILTER, 0, true)
  const store = context.ranked.index.docs
  const kept = unfiltered.relaxed ? Array.from(listed(unfiltered.candidates.docs)).filter((doc) => passesFilter(store, doc, filter)) : []
  if (kept.length === 0) return collectUnder(context, excluded, filter, best, listAll)
  return { candidates: walk(context, { docs: kept }, [], [], NO_FILTER, best, listAll), relaxed: true }
}

function collectUnder(context: QueryContext, excluded: TermPlan[], filter: DocFilter, best: number, listAll: boolean): { candidates: Walked; relaxed: boolean } {
  const { clauses } = context.plan
  const n = clauses.length
  const order = rarestFirst(context)
  if (order.length === 0) return { candidates: NOTHING, relaxed: false }
  let all = NOTHING
  if (order.length === n) {
    all = walk(context, { lead: order.slice(0, 1) }, order, excluded, filter, best, listAll)
    if (n === 1 || all.total >= WIDEN_BELOW) return { candidates: all, relaxed: false }
    // A filter narrows the answer the query has; it never widens it. Without filters these terms need no
    // relaxing, so the posts the filter keeps are those of that answer: as many as the facet said (2024 · 7
    // is 7 posts once clicked, not 7 and the posts of 2024 holding one of the terms). The answer is the
    // posts holding them all, or, widened, those holding all but one: the filter keeps its share of either.
    if (all.total > 0 && isFiltering(filter)) {
      const unfiltered = countHoldingAll(context, excluded, NO_FILTER, WIDEN_BELOW)
      if (unfiltered >= WIDEN_BELOW) return { candidates: all, relaxed: false }
      if (unfiltered >= RELAX_BELOW) return widened(context, order, all, excluded, filter, best, listAll)
    }
    if (all.total >= RELAX_BELOW) return widened(context, order, all, excluded, filter, best, listAll)
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
  if (order.length < n && telling.length === order.length) {
    // Clauses no document can hold (新闻 联博, where 联博 is in no post) are given up first, whatever the
    // kind of query: the documents holding every other one come first, as the steps below would find
    // them, but in one walk that steps over blocks, not a pass over every document of its commonest word.
    const rest = walk(context, { lead: order.slice(0, 1) }, order, excluded, filter, best, listAll)
    if (rest.total >= RELAX_BELOW) return { candidates: rest, relaxed: true }
  }
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
  const fromCount = firstTelling === 0 ? 2 : 1
  const first = walk(context, { lead: telling.slice(0, fromCount) }, [], excluded, filter, best, listAll)
  if (first.total >= RELAX_BELOW || fromCount >= telling.length) return { candidates: first, relaxed: first.total > full }
  if (isFiltering(filter) || excluded.length > 0) {
    // Filters and exclusions can leave the union of the rarest clauses with too few documents however
    // many clauses join it: a walk per clause added would list most of the archive again each time only
    // to turn it away (32 common words and a date no post has: a second at 100,000 posts). One pass
    // finds the rarest clause each document holds instead (holds: its characters meeting is not enough).
    const held = rarestHeld(context, telling, excluded, filter)
    const reaching = new Array<number>(telling.length + 1).fill(0)
    for (const rank of held.rank) reaching[rank + 1]!++
    for (let k = 1; k <= telling.length; k++) reaching[k]! += reaching[k - 1]!
    let k = Math.min(fromCount, telling.length)
    while (reaching[k]! < RELAX_BELOW && k < telling.length) k++
    const docs = held.docs.filter((_, i) => held.rank[i]! < k)
    return { candidates: walk(context, { docs }, [], [], NO_FILTER, best, listAll), relaxed: docs.length > full }
  }
  for (let k = fromCount + 1; ; k++) {
    const any = walk(context, { lead: telling.slice(0, k) }, [], excluded, filter, best, listAll)
    if (any.total >= RELAX_BELOW || k >= telling.length) return { candidates: any, relaxed: any.total > full }
  }
}

/** `all`, the documents holding every clause, joined by those holding all but one when that is cheap to find (see WIDEN_BELOW). */
function widened(context: QueryContext, order: number[], all: Walked, excluded: TermPlan[], filter: DocFilter, best: number, listAll: boolean): { candidates: Walked; relaxed: boolean } {
  const { clauses } = context.plan
  const unchanged = { candidates: all, relaxed: false }
  if (order.length < WIDEN_FROM || order.some((c) => clauses[c]!.filtersOnly)) return unchanged
  if (boundOf(context, order[0]!) + boundOf(context, order[1]!) > WIDEN_VISITS) return unchanged
  const docs = holdingAtLeast(context, order, order.length - 1, excluded, filter)
  if (docs.length === all.total) return unchanged
  context.scores.coordinated = true
  return { candidates: walk(context, { docs }, [], [], NO_FILTER, best, listAll), relaxed: true }
}

/**
 * How many documents hold every clause, filters and exclusions applied (what a relaxed answer falls
 * short of), counted up to `atMost`: a caller comparing with a few stops there, not at thousands.
 */
export function countHoldingAll(context: QueryContext, excluded: TermPlan[], filter: DocFilter, atMost: number): number {
  const order = rarestFirst(context)
  if (order.length === 0 || order.length < context.plan.clauses.length) return 0
  const cursors = order.map((c) => context.plan.clauses[c]!.alternatives.map((alt) => alt.plan.open()))
  let count = 0
  forEachLed(context.ranked.index.docs, cursors[0]!, excluded, filter, (doc) => {
    if (cursors.every((alternatives) => anyMatches(alternatives, doc))) count++
    return count < atMost
  })
  return count
}

/** The clauses some document may hold, the rarest first; a clause no document can hold is given up at once. */
function rarestFirst(context: QueryContext): number[] {
  const order = context.plan.clauses.map((_, c) => c).filter((c) => boundOf(context, c) > 0)
  return order.sort((a, b) => boundOf(context, a) - boundOf(context, b))
}

/** At most how many documents hold clause `c`. */
function boundOf({ plan: { clauses } }: QueryContext, c: number): number {
  return clauses[c]!.alternatives.reduce((sum, alt) => sum + alt.plan.bound, 0)
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

/**
 * Every document holding one of the clauses `counted` (rarest first), filters and exclusions applied,
 * in document order, with the place in `counted` of the rarest it holds.
 */
function rarestHeld({ ranked, plan: { clauses } }: QueryContext, counted: number[], excluded: TermPlan[], filter: DocFilter): { docs: number[]; rank: number[] } {
  const cursors = counted.map((c) => clauses[c]!.alternatives.map((alt) => alt.plan.open()))
  const docs: number[] = []
  const rank: number[] = []
  forEachLed(ranked.index.docs, cursors.flat(), excluded, filter, (doc) => {
    const k = cursors.findIndex((alternatives) => anyMatches(alternatives, doc))
    if (k >= 0) {
      docs.push(doc)
      rank.push(k)
    }
  })
  return { docs, rank }
}

/**
 * Calls `visit` for each document any of the `leaders` offers, in order, that passes the filter and no
 * exclusion, until it returns false.
 */
function forEachLed(store: DocStore, leaders: TermCursor[], excluded: TermPlan[], filter: DocFilter, visit: (doc: number) => boolean | void): void {
  const exclusions = excluded.map((plan) => plan.open())
  const next = leaders.map((cursor) => cursor.candidate(0))
  for (;;) {
    let doc = END
    for (let i = 0; i < next.length; i++) if (next[i]! < doc) doc = next[i]!
    if (doc === END) break
    if (passesFilter(store, doc, filter) && !anyMatches(exclusions, doc) && visit(doc) === false) return
    for (let i = 0; i < next.length; i++) if (next[i] === doc) next[i] = leaders[i]!.candidate(doc + 1)
  }
}
