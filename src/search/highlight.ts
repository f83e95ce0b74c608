import { normalize } from '../analysis/normalize.js'
import { classify, isIdeographic, isUnitBoundary, splitUnits, splitUnitSpans, UnitClass, type Units } from '../analysis/units.js'
import { HtmlWriter } from './html-writer.js'
import type { QueryTerm } from './query-terms.js'

/** A matched stretch of the original text, as code-unit offsets, and which term it matched. */
export interface MatchRange {
  start: number
  end: number
  term: number
}

/**
 * Where the terms occur in a text, by the same rule the index matches them (a run of units, touching
 * where the query's touch), so what is highlighted is exactly what was matched. Offsets refer to the
 * original text because folding keeps lengths. `folded`: the text folded (normalize), when the caller
 * has it already (a hit's body and title are read folded).
 */
export function findMatches(text: string, terms: QueryTerm[], folded?: string): MatchRange[] {
  return mergeRanges(folded === undefined ? termMatches(text, terms) : foldedMatches(folded, terms))
}

/**
 * Every occurrence of every term, each with its own term number, sorted by start: before merging,
 * which keeps only the first term of 新能源汽车出口's two, so a snippet can count the terms a passage holds.
 */
export function termMatches(text: string, terms: QueryTerm[]): MatchRange[] {
  if (terms.length === 0 || text.length === 0) return []
  return foldedMatches(normalize(text), terms)
}

/** termMatches in text already folded (normalize): a snippet folds its text once for the terms and the typed runs. */
export function foldedMatches(folded: string, terms: QueryTerm[]): MatchRange[] {
  if (terms.length === 0 || folded.length === 0) return []
  const cut: TextUnits = { units: null }
  if (terms.length === 1) return termRanges(folded, terms[0]!, 0, cut)
  const each: MatchRange[][] = []
  for (let t = 0; t < terms.length; t++) {
    const ranges = termRanges(folded, terms[t]!, t, cut)
    if (ranges.length > 0) each.push(ranges)
  }
  if (each.length === 1) return each[0]!
  if (each.length > MERGED_LISTS) return each.flat().sort(byStartThenLongest)
  return mergeLists(each)
}

/** Terms found in a text, at most, whose lists are merged rather than sorted (a synonym group can bring thousands). */
const MERGED_LISTS = 8

/**
 * Lists each in order (a term's occurrences start at increasing offsets) merged into one, in the order
 * a stable sort by byStartThenLongest gives: without the sort's copy of the array and its scratch
 * (18 KB of the 250 KB a query of the bench's log allocated).
 */
function mergeLists(lists: readonly MatchRange[][]): MatchRange[] {
  const at = new Array<number>(lists.length).fill(0)
  let total = 0
  for (const list of lists) total += list.length
  const out = new Array<MatchRange>(total)
  for (let n = 0; n < total; n++) {
    let best = -1
    for (let l = 0; l < lists.length; l++) {
      const r = lists[l]![at[l]!]
      // Ties go to the earlier list, whose term comes first: what the stable sort kept.
      if (r !== undefined && (best < 0 || byStartThenLongest(r, lists[best]![at[best]!]!) < 0)) best = l
    }
    out[n] = lists[best]![at[best]!++]!
  }
  return out
}

/** Each term's ranges come in order, so a lone term's need no sorting; several are interleaved by this. */
function byStartThenLongest(a: MatchRange, b: MatchRange): number {
  return a.start - b.start || b.end - a.end
}

/** A text's units, split once the first term needs them all and shared by the terms after it. */
export interface TextUnits {
  units: Units | null
}

/** Where one term (number `t`) occurs in folded text, overlapping occurrences included, in order. */
export function termRanges(folded: string, term: QueryTerm, t: number, cut: TextUnits): MatchRange[] {
  const len = term.units.length
  if (len === 0) return []
  const runs = hanRunsOf(term)
  if (runs !== null) {
    // Han characters are one unit each and touch exactly when adjacent, so a plain search finds the
    // same occurrences as walking units, without cutting the whole text into units; where the query
    // leaves a gap (中国 的), the next run may follow past spaces, punctuation and marks, or touch.
    const first = runs[0]!
    const ranges: MatchRange[] = []
    for (let at = folded.indexOf(first); at >= 0; at = folded.indexOf(first, at + 1)) {
      let end = at + first.length
      for (let r = 1; r < runs.length && end >= 0; r++) {
        const next = pastGap(folded, end)
        end = folded.startsWith(runs[r]!, next) ? next + runs[r]!.length : -1
      }
      if (end >= 0) ranges.push({ start: at, end, term: t })
    }
    return ranges
  }
  const anchored = cut.units ? null : findAnchored(folded, term, t)
  if (anchored) return anchored
  const units = (cut.units ??= splitUnits(folded))
  return termStarts(units, term).map((j) => ({ start: units.starts[j]!, end: units.ends[j + len - 1]!, term: t }))
}

/**
 * The units where `term` starts in a text's units: its units in a row, touching where the query's touch
 * (a gap in the query matches a gap or none). The rule the index's grams check, and the matcher's own
 * where they cannot (a lone character beside a gap keeps no positions).
 */
export function termStarts(units: Units, term: QueryTerm): number[] {
  const { keys, joined } = units
  const len = term.units.length
  const first = term.units[0]!
  const found: number[] = []
  for (let j = 0; j + len <= keys.length; j++) {
    if (keys[j] !== first) continue
    let ok = true
    for (let k = 1; k < len && ok; k++) ok = keys[j + k] === term.units[k] && (term.joined[k] === 0 || joined[j + k] === 1)
    if (ok) found.push(j)
  }
  return found
}

/** How far before an occurrence findAnchored looks for a place to read units from. */
const ANCHOR_REACH = 64

/**
 * A term that is not all touching Han characters (rust, 35岁), found where its first unit's text occurs
 * and checked against the units read from the nearest unit boundary before that: a long article is not
 * split whole for a few occurrences. Null when an occurrence has no boundary within reach (a long run of
 * letters and digits), for the caller to split the whole text instead.
 */
function findAnchored(folded: string, term: QueryTerm, t: number): MatchRange[] | null {
  const { units, joined } = term
  const found: MatchRange[] = []
  // The end of a unit read running over an occurrence: the occurrences before it lie inside it and are
  // passed over. Read again for each (back to its start, 64 times) took seconds for `a` in megabytes of `aaa…`.
  let inside = -1
  for (let at = folded.indexOf(units[0]!); at >= 0; at = folded.indexOf(units[0]!, Math.max(at + 1, inside))) {
    // Cheaply passed by unless the second unit follows (touching, if it must): reading units here for
    // every 的 of a long text, for "的，中国", took a second per query at 100,000 posts.
    if (units.length > 1 && !secondUnitFollows(folded, at + units[0]!.length, units[1]!)) continue
    let from = at
    while (from > 0 && !isUnitBoundary(folded, from)) {
      if (at - from >= ANCHOR_REACH) return null
      from--
    }
    // At most one unit per code unit lies between the anchor and the occurrence.
    const read = splitUnitSpans(folded, from, at - from + units.length)
    let u = 0
    while (u < read.starts.length && read.starts[u]! < at) u++
    if (u > 0 && read.ends[u - 1]! > at) inside = read.ends[u - 1]!
    if (read.starts[u] !== at || u + units.length > read.starts.length) continue
    let ok = true
    for (let k = 0; k < units.length && ok; k++) {
      const start = read.starts[u + k]!
      ok = read.ends[u + k]! - start === units[k]!.length && folded.startsWith(units[k]!, start) && (k === 0 || joined[k] === 0 || read.joined[u + k] === 1)
    }
    if (ok) found.push({ start: at, end: read.ends[u + units.length - 1]!, term: t })
  }
  return found
}

/**
 * Whether `unit` starts where the next unit after offset `end` would, past spaces, punctuation and
 * marks: a condition every occurrence of a term meets (touching or not: `35 岁` touches), whatever
 * splitting the text into units then finds about the rest.
 */
function secondUnitFollows(folded: string, end: number, unit: string): boolean {
  return folded.startsWith(unit, pastGap(folded, end))
}

/** The offset of the first code point at or after `at` that is no gap (space, punctuation, mark) between units. */
function pastGap(folded: string, at: number): number {
  let p = at
  while (p < folded.length) {
    const code = folded.codePointAt(p)!
    const cls = classify(code)
    if (cls !== UnitClass.Gap && cls !== UnitClass.Mark) break
    p += code > 0xffff ? 2 : 1
  }
  return p
}

/** Runs of touching units of all-Han terms, made once per query term rather than once per document read. */
const hanRuns = new WeakMap<QueryTerm, string[] | null>()

/**
 * The term's Han characters as runs that must touch (中国 的 → 中国, 的), or null when some unit is not
 * a Han character (rust, 35岁): those are found by their units.
 */
function hanRunsOf(term: QueryTerm): string[] | null {
  let runs = hanRuns.get(term)
  if (runs === undefined) {
    runs = term.units.every((unit) => isIdeographic(unit)) ? touchingRuns(term) : null
    hanRuns.set(term, runs)
  }
  return runs
}

/** The term's units joined where the query has them touch. */
function touchingRuns({ units, joined }: QueryTerm): string[] {
  const runs: string[] = []
  units.forEach((unit, k) => (k > 0 && joined[k] === 1 ? (runs[runs.length - 1] += unit) : runs.push(unit)))
  return runs
}

/**
 * Ranges sorted as termMatches gives them, made non-overlapping: where two terms overlap or touch, the
 * union is one highlight. A range that meets none is passed on as it is, not copied.
 */
export function mergeRanges(ranges: readonly MatchRange[]): MatchRange[] {
  const out: MatchRange[] = []
  for (const r of ranges) {
    const last = out[out.length - 1]
    if (last && r.start <= last.end) {
      if (r.end > last.end) out[out.length - 1] = { start: last.start, end: r.end, term: last.term }
    } else out.push(r)
  }
  return out
}

const html = new HtmlWriter()

export function escapeHtml(text: string): string {
  html.reset()
  html.text(text, 0, text.length)
  return html.toString()
}

/** Escapes `text[from, to)` and wraps the ranges inside it in `<mark>`; nothing else becomes markup. */
export function markRanges(text: string, ranges: MatchRange[], from = 0, to = text.length): string {
  html.reset()
  writeMarked(html, text, ranges, from, to)
  return html.toString()
}

/** markRanges written into `out`; with `oneLine`, each run of newlines as one space. */
export function writeMarked(out: HtmlWriter, text: string, ranges: readonly MatchRange[], from: number, to: number, oneLine = false): void {
  let at = from
  for (const r of ranges) {
    if (r.end <= from || r.start >= to) continue
    const s = Math.max(r.start, from)
    const e = Math.min(r.end, to)
    out.text(text, at, s, oneLine)
    out.markup('<mark>')
    out.text(text, s, e, oneLine)
    out.markup('</mark>')
    at = e
  }
  out.text(text, at, to, oneLine)
}
