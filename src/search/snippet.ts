import { codeUnitClasses } from '../analysis/code-unit-classes.js'
import { normalize } from '../analysis/normalize.js'
import { findMatches, foldedMatches, markRanges, mergeRanges, writeMarked, type MatchRange } from './highlight.js'
import { HtmlWriter } from './html-writer.js'
import type { QueryTerm } from './query-terms.js'

/** Target length of a snippet in characters, and how far a cut may move to land on a sentence boundary. */
export const SNIPPET_LENGTH = 140
const BOUNDARY_SLACK = 40
const SENTENCE_END = /[。！？；!?;\n]/
const CLAUSE_END = /[，、,：:]/

/**
 * The passage of `text` that best shows why it matched: the window holding the most of the terms, each
 * counted once and by its weight (`weights[i]` for `terms[i]`, its idf: 洗手间 outweighs three of 这里;
 * 1 each when not given), then the most occurrences of `runs` (the query's runs typed without a space:
 * 远程办公 as written rather than 远程 here and 办公 there), then the most matches, widened to sentence
 * or clause boundaries nearby; `…` marks a cut. `folded`: the text folded (normalize), when the caller
 * has it already (DocStore.foldedText).
 */
export function makeSnippet(text: string, terms: QueryTerm[], runs: QueryTerm[] = [], weights: readonly number[] = [], length = SNIPPET_LENGTH, folded = terms.length === 0 || text.length === 0 ? text : normalize(text)): string {
  // Each term's occurrences on their own to choose the window (merged, 新能源汽车出口 would count one term), merged to mark.
  const each = foldedMatches(folded, terms)
  const runStarts = runs.length > 0 && text.length > length ? foldedMatches(folded, runs).map((r) => r.start) : []
  const weight = (term: number) => weights[term] ?? 1
  const marks = mergeRanges(each)
  const whole = chooseWindow(text, each, runStarts, length, terms.length, weight)
  if (lackedTerms(each, whole).size === 0) return fragmentsHtml(text, marks, [whole])
  // Some term occurs only far from the best passage: the length is shared between that passage and the
  // best one of the terms it lacks, so every term the text holds is shown (as search engines' snippets do).
  const first = chooseWindow(text, each, runStarts, length - SECOND_PASSAGE, terms.length, weight)
  const lacked = lackedTerms(each, first)
  const second = chooseWindow(text, each, [], SECOND_PASSAGE, terms.length, (term) => (lacked.has(term) ? weight(term) : 0))
  // Passages that meet or overlap are better shown as the one passage of the whole length.
  const apart = second[0] >= first[1] + 1 || second[1] + 1 <= first[0]
  if (lacked.size === 0 || !apart) return fragmentsHtml(text, marks, [whole])
  return fragmentsHtml(text, marks, second[0] < first[0] ? [second, first] : [first, second])
}

/** Characters of a snippet's length given to a second passage, for terms the first one lacks. */
const SECOND_PASSAGE = 60

/** Terms that occur in the text but not inside the window [from, to). */
function lackedTerms(ranges: readonly MatchRange[], [from, to]: [number, number]): Set<number> {
  const inside = new Set<number>()
  for (const r of ranges) if (r.start >= from && r.end <= to) inside.add(r.term)
  const lacked = new Set<number>()
  for (const r of ranges) if (!inside.has(r.term)) lacked.add(r.term)
  return lacked
}

const html = new HtmlWriter()

/** The windows [from, to) of the text, in order, escaped and marked (newlines as spaces), joined and ended by `…` where the text goes on. */
function fragmentsHtml(text: string, marks: MatchRange[], windows: [number, number][]): string {
  html.reset()
  if (windows[0]![0] > 0) html.markup('…')
  windows.forEach(([from, to], k) => {
    if (k > 0) html.markup('…')
    const start = html.position
    writeMarked(html, text, marks, from, to, true)
    // Between two passages, spaces beside the … only widen it.
    if (windows.length > 1) html.trim(start)
  })
  if (windows[windows.length - 1]![1] < text.length) html.markup('…')
  return html.toString()
}

/** Context shown before the passage's first match when no sentence or clause starts near it. */
const LEAD_IN = 20
/** A letter or digit of an alphabetic script: a cut between two of them would split a word (a cut between two Han characters splits none). */
const WORD_CHAR = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}_]/u
/** What a snippet should not open with: spaces, and the punctuation that closes or continues a clause. */
const NO_OPENING = /[\s，、,：:。！？；!?;）)】」』”’]/

/** Which of the patterns above a code unit matches: bits of one number, a pattern each. */
const SENTENCE = 1
const CLAUSE = 2
const WORD = 4
const OPENING_NOT = 8
const unitClass = codeUnitClasses(
  (s) => (SENTENCE_END.test(s) ? SENTENCE : 0) | (CLAUSE_END.test(s) ? CLAUSE : 0) | (WORD_CHAR.test(s) ? WORD : 0) | (NO_OPENING.test(s) ? OPENING_NOT : 0),
)

/** Whether the unit at `at` (inside the text) matches the pattern of `bit`. */
function is(text: string, at: number, bit: number): boolean {
  return (unitClass(text.charCodeAt(at)) & bit) !== 0
}

/** The boundaries a cut looks for, best first. */
const BOUNDARIES = [SENTENCE, CLAUSE]

/** chooseWindow's per-term scratch, kept between snippets. */
let seenAt = new Int32Array(16)

/**
 * The window [from, to) around the best passage. Passages are compared over what is sure to be shown
 * (the target length less the lead-in), and the window is then placed so that every match counted in
 * the passage's favour is inside it.
 */
function chooseWindow(text: string, ranges: MatchRange[], runStarts: number[], length: number, termCount: number, weight: (term: number) => number): [number, number] {
  if (text.length <= length) return [0, text.length]
  if (ranges.length === 0) return [0, cutEnd(text, 0, length, 0, ranges)]
  const span = length - LEAD_IN
  // The best passage so far: locals, not an object for each better one.
  let bestStart = ranges[0]!.start
  let bestEnd = ranges[0]!.end
  let bestDistinct = 0
  let bestRuns = 0
  let bestCount = 0
  // Per term, the last candidate that counted it: one array for the whole text, not a set per candidate.
  if (seenAt.length < termCount) seenAt = new Int32Array(2 * termCount)
  seenAt.fill(-1, 0, termCount)
  // Each match is a candidate first match; count the distinct terms, typed runs and matches that fit after it.
  for (let i = 0; i < ranges.length; i++) {
    const start = ranges[i]!.start
    let distinct = 0
    let count = 0
    let end = ranges[i]!.end
    for (let j = i; j < ranges.length && ranges[j]!.end <= start + span; j++) {
      const term = ranges[j]!.term
      if (seenAt[term] !== i) {
        seenAt[term] = i
        distinct += weight(term)
      }
      end = Math.max(end, ranges[j]!.end)
      count++
    }
    let runs = 0
    for (const at of runStarts) if (at >= start && at < start + span) runs++
    // Weights are sums of idfs: equal within rounding is equal.
    const better =
      Math.abs(distinct - bestDistinct) > 1e-9 ? distinct > bestDistinct : runs !== bestRuns ? runs > bestRuns : count > bestCount
    if (better) {
      bestStart = start
      bestEnd = end
      bestDistinct = distinct
      bestRuns = runs
      bestCount = count
    }
  }
  const from = leadIn(text, bestStart, Math.max(0, bestStart - Math.min(BOUNDARY_SLACK, length - (bestEnd - bestStart))), ranges)
  const to = cutEnd(text, from, length, bestEnd, ranges)
  // A passage near the end of the text: start earlier, so the snippet is not a stub.
  if (to === text.length && to - from < length - BOUNDARY_SLACK) return [filledStart(text, Math.max(0, to - length), from, ranges), to]
  return [from, to]
}

/**
 * Where a snippet opens before a match at `start`, no earlier than `earliest`: the start of its sentence,
 * else of its clause, else a little before it; never inside a match, a word of letters or a surrogate
 * pair, and never on a comma.
 */
function leadIn(text: string, start: number, earliest: number, ranges: MatchRange[]): number {
  for (const boundary of BOUNDARIES) {
    for (let k = start - 1; k >= earliest; k--) if (is(text, k, boundary)) return openAt(text, k + 1, start)
  }
  return openAt(text, outsideMatch(Math.max(earliest, start - LEAD_IN), ranges, earliest), start)
}

/** The start of a window that ends the text, filling the length back from `at` but no later than `latest`: at a sentence or clause start if one is near. */
function filledStart(text: string, at: number, latest: number, ranges: MatchRange[]): number {
  const last = Math.min(latest, at + BOUNDARY_SLACK)
  for (const boundary of BOUNDARIES) {
    for (let k = at; k < last; k++) if (is(text, k, boundary)) return openAt(text, k + 1, latest)
  }
  return openAt(text, outsideMatch(at, ranges, 0), latest)
}

/** `at`, moved back to the start of a match it falls inside (forward past it when that is before `earliest`). */
function outsideMatch(at: number, ranges: MatchRange[], earliest: number): number {
  for (const r of ranges) {
    if (r.start >= at) break
    if (r.end > at) return r.start >= earliest ? r.start : r.end
  }
  return at
}

/** `at`, moved forward (not past `limit`) out of a word of letters, past spaces and clause punctuation, and off a low surrogate. */
function openAt(text: string, at: number, limit: number): number {
  let from = at
  if (from > 0 && is(text, from - 1, WORD)) while (from < limit && is(text, from, WORD)) from++
  while (from < limit && is(text, from, OPENING_NOT)) from++
  if (from > 0 && from < text.length && isLowSurrogate(text.charCodeAt(from))) from++
  return from
}

/**
 * End of a window starting at `from`, never before `minEnd` (the passage's last match): at a sentence
 * end near the target length, else a clause end, else between words, never inside a match.
 */
function cutEnd(text: string, from: number, length: number, minEnd: number, ranges: MatchRange[]): number {
  const target = Math.max(minEnd, Math.min(text.length, from + length))
  if (target >= text.length) return text.length
  const lowest = Math.max(from + 1, minEnd, target - BOUNDARY_SLACK)
  for (const boundary of BOUNDARIES) {
    for (let k = target; k >= lowest; k--) if (is(text, k - 1, boundary)) return k
  }
  let to = target
  for (const r of ranges) {
    if (r.start >= to) break
    // A cut inside a match ends before it, or after it when the passage needs it.
    if (r.end > to) to = r.start >= lowest ? r.start : r.end
  }
  if (is(text, to - 1, WORD) && to < text.length && is(text, to, WORD)) {
    let k = to
    while (k > lowest && is(text, k - 1, WORD)) k--
    if (k > lowest) to = k
  }
  // Never split a surrogate pair.
  const c = text.charCodeAt(to - 1)
  return c >= 0xd800 && c <= 0xdbff ? to - 1 : to
}

/** A title with every matched term marked; `folded`: the title folded (normalize), when the caller has it already. */
export function highlightTitle(title: string, terms: QueryTerm[], folded?: string): string {
  return markRanges(title, findMatches(title, terms, folded))
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
