import { findMatches, markRanges, mergeRanges, termMatches, type MatchRange } from './highlight.js'
import type { QueryTerm } from './query-terms.js'

/** Target length of a snippet in characters, and how far a cut may move to land on a sentence boundary. */
export const SNIPPET_LENGTH = 140
const BOUNDARY_SLACK = 40
const SENTENCE_END = /[。！？；!?;\n]/
const CLAUSE_END = /[，、,：:]/

/**
 * The passage of `text` that best shows why it matched: the window with the most distinct terms, then
 * the most occurrences of `runs` (the query's runs typed without a space: 远程办公 as written rather than
 * 远程 here and 办公 there), then the most matches, widened to sentence or clause boundaries nearby; `…`
 * marks a cut.
 */
export function makeSnippet(text: string, terms: QueryTerm[], runs: QueryTerm[] = [], length = SNIPPET_LENGTH): string {
  // Each term's occurrences on their own to choose the window (merged, 新能源汽车出口 would count one term), merged to mark.
  const each = termMatches(text, terms)
  const runStarts = runs.length > 0 && text.length > length ? termMatches(text, runs).map((r) => r.start) : []
  const [from, to] = chooseWindow(text, each, runStarts, length)
  const html = markRanges(text, mergeRanges(each), from, to).replace(/\n+/g, ' ')
  return (from > 0 ? '…' : '') + html + (to < text.length ? '…' : '')
}

function chooseWindow(text: string, ranges: MatchRange[], runStarts: number[], length: number): [number, number] {
  if (text.length <= length) return [0, text.length]
  if (ranges.length === 0) return [0, cutEnd(text, 0, length)]
  let best = { start: ranges[0]!.start, distinct: 0, runs: 0, count: 0 }
  // Each match is a candidate window start; count the distinct terms, typed runs and matches that fit after it.
  for (let i = 0; i < ranges.length; i++) {
    const start = ranges[i]!.start
    const end = start + length - 10
    const seen = new Set<number>()
    let count = 0
    for (let j = i; j < ranges.length && ranges[j]!.end <= end; j++) {
      seen.add(ranges[j]!.term)
      count++
    }
    let runs = 0
    for (const at of runStarts) if (at >= start && at < end) runs++
    const better =
      seen.size !== best.distinct ? seen.size > best.distinct : runs !== best.runs ? runs > best.runs : count > best.count
    if (better) best = { start, distinct: seen.size, runs, count }
  }
  // Lead in with some context: back to the start of the sentence if it is near, else a little.
  let from = Math.max(0, best.start - 20)
  for (let k = best.start - 1; k >= Math.max(0, best.start - BOUNDARY_SLACK); k--) {
    if (SENTENCE_END.test(text[k]!)) {
      from = k + 1
      break
    }
  }
  while (from < best.start && /\s/.test(text[from]!)) from++
  // Never start inside a surrogate pair.
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from++
  const to = cutEnd(text, from, length)
  return [from, Math.max(to, Math.min(text.length, ranges.find((r) => r.start >= best.start)!.end))]
}

/** End of a window starting at `from`: at a sentence end near the target length, else a clause end, else the length. */
function cutEnd(text: string, from: number, length: number): number {
  const target = Math.min(text.length, from + length)
  if (target === text.length) return target
  for (const boundary of [SENTENCE_END, CLAUSE_END]) {
    for (let k = target; k > target - BOUNDARY_SLACK && k > from; k--) if (boundary.test(text[k - 1]!)) return k
  }
  // Never split a surrogate pair.
  const c = text.charCodeAt(target - 1)
  return c >= 0xd800 && c <= 0xdbff ? target - 1 : target
}

/** A title with every matched term marked. */
export function highlightTitle(title: string, terms: QueryTerm[]): string {
  return markRanges(title, findMatches(title, terms))
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
