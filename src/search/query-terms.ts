import type { Analyzer } from '../analysis/analyzer.js'
import { isStopWord } from '../analysis/stopwords.js'
import { isIdeographic } from '../analysis/units.js'

/** One thing a document must contain: a run of units, matched as a substring over character grams. */
export interface QueryTerm {
  /** Folded text, as shown in the response's `terms`. */
  text: string
  units: string[]
  /** joined[i] = 1 when unit i touches unit i − 1 in the query, so they must touch in the document too. */
  joined: Uint8Array
  /** Jieba words inside the term: documents that hold them as real words rank above mere substrings. */
  words: string[]
  field: 'any' | 'title'
  /** A lone function word (的, 了 …): it neither filters nor scores unless it is all the query has. */
  stop: boolean
  /** For a word with a lone character glued on (断头 + 路, 致 + 39人): the two pieces in the query's order, each matched on its own. */
  parts?: QueryTerm[]
  /** Which of `parts` is the glued-on character (路, 致): it only filters; the other is the word. */
  lone?: QueryTerm
}

/**
 * Cuts free text into query terms. Jieba's words are the terms, except that single characters are glued
 * to a neighbour (断头/路 → 断头路, 35/岁 → 35岁) or to each other (于/吉/红 → 于吉红): a lone character
 * as its own required term would match nearly everything.
 */
export function termsOf(text: string, analyzer: Analyzer, field: 'any' | 'title'): QueryTerm[] {
  const { folded, units, words } = analyzer.analyze(text)
  const n = units.keys.length
  if (n === 0) return []
  // Spans of units that jieba treats as one token, in order: start from one span per unit, merge each word.
  const tokenEnd = new Int32Array(n).map((_, i) => i + 1)
  const isWord = new Uint8Array(n)
  for (const w of words) {
    const len = [...w.key].length
    // Sub-words overlap their parent; only whole words from the cut decide spans.
    if (isWord[w.pos] || tokenEnd[w.pos]! > w.pos + 1) continue
    tokenEnd[w.pos] = w.pos + len
    isWord[w.pos] = 1
  }
  interface Span {
    from: number
    to: number
    kind: 'word' | 'single' | 'alnum'
  }
  const hyphenBefore = (u: number) => HYPHEN.test(folded.slice(units.ends[u - 1], units.starts[u]))
  const spans: Span[] = []
  for (let i = 0; i < n; ) {
    let end = tokenEnd[i]!
    const kind = isWord[i] ? 'word' : isIdeographic(units.keys[i]!) ? 'single' : 'alnum'
    // Touching letters and digits are one token, as in the document (5g, ag600m), and so are those joined
    // by a hyphen (gpt-4, covid-19, wi-fi): one name, which the text may write with a hyphen, a space or neither.
    if (kind === 'alnum') while (end < n && !isIdeographic(units.keys[end]!) && (units.joined[end] === 1 || hyphenBefore(end))) end++
    spans.push({ from: i, to: end, kind })
    i = end
  }
  // Glue within stretches of touching units; a gap (space, punctuation) always separates terms.
  const terms: GluedSpan[] = []
  let k = 0
  while (k < spans.length) {
    let end = k + 1
    while (end < spans.length && units.joined[spans[end]!.from] === 1) end++
    glue(spans.slice(k, end), units.keys, terms)
    k = end
  }
  // Words by the unit they start at, so each term collects its own in time proportional to its length.
  const wordsAt = new Map<number, { key: string; length: number }[]>()
  for (const w of words) {
    const list = wordsAt.get(w.pos) ?? []
    list.push({ key: w.key, length: [...w.key].length })
    wordsAt.set(w.pos, list)
  }
  const wordsWithin = (from: number, to: number) => {
    const out: string[] = []
    for (let u = from; u < to; u++) for (const w of wordsAt.get(u) ?? []) if (u + w.length <= to) out.push(w.key)
    return out
  }
  const term = (from: number, to: number, stop: boolean): QueryTerm => {
    const keys = units.keys.slice(from, to)
    const joined = units.joined.slice(from, to)
    joined[0] = 0
    loosenLatinJoins(keys, joined)
    return {
      text: folded.slice(units.starts[from], units.ends[to - 1]),
      units: keys,
      joined,
      words: wordsWithin(from, to),
      field,
      stop,
    }
  }
  return terms.map(({ from, to, stop, split, loneFirst }) => {
    const t = term(from, to, stop)
    if (split !== undefined && split > from && split < to) {
      t.parts = [term(from, split, false), term(split, to, false)]
      t.lone = t.parts[loneFirst ? 0 : 1]
    }
    return t
  })
}

/**
 * What joins two runs of letters or digits into one name when it alone stands between them: the hyphens
 * and dashes Chinese text writes there too (HFC—134a, GPT—4), and the minus sign.
 */
const HYPHEN = /^[-‐‑‒–—−_]$/

/**
 * Letters and digits that touch in the query need not touch in the text: GPT4, GPT-4 and GPT 4 name
 * one thing, as do COVID19 and COVID-19, so the units need only follow each other. Han characters
 * still touch: a gap between them is a break in the text.
 */
function loosenLatinJoins(keys: readonly string[], joined: Uint8Array): void {
  for (let k = 1; k < keys.length; k++) if (joined[k] && !isIdeographic(keys[k - 1]!) && !isIdeographic(keys[k]!)) joined[k] = 0
}

/** Units [from, to) as one term; split where a lone character was glued on, before it or (loneFirst) after it. */
interface GluedSpan {
  from: number
  to: number
  stop: boolean
  split?: number | undefined
  loneFirst?: boolean
}

function glue(spans: { from: number; to: number; kind: string }[], keys: string[], out: GluedSpan[]): void {
  const result: (GluedSpan & { glued: boolean })[] = []
  let i = 0
  while (i < spans.length) {
    const span = spans[i]!
    if (span.kind !== 'single') {
      // A jieba word can be a function word too (我们, 怎么, 多少), as a lone 的 is.
      const stop = span.kind === 'word' && isStopWord(keys.slice(span.from, span.to).join(''))
      result.push({ from: span.from, to: span.to, stop, glued: false })
      i++
      continue
    }
    let j = i
    while (j < spans.length && spans[j]!.kind === 'single') j++
    const run = spans.slice(i, j)
    if (run.length >= 2) {
      result.push({ from: run[0]!.from, to: run[run.length - 1]!.to, stop: false, glued: true })
    } else if (isStopWord(keys[span.from]!)) {
      result.push({ from: span.from, to: span.to, stop: true, glued: false })
    } else {
      const prev = result[result.length - 1]
      const next = spans[j]
      if (prev && !prev.stop) {
        if (!prev.glued) prev.split = prev.to
        prev.to = span.to
        prev.glued = true
      } else if (next) {
        // Glue forward: the next span absorbs this character.
        result.push({ from: span.from, to: next.to, stop: false, glued: true, split: next.kind === 'single' ? undefined : span.to, loneFirst: true })
        j++
      } else result.push({ from: span.from, to: span.to, stop: false, glued: false })
    }
    i = j
  }
  for (const r of result) out.push({ from: r.from, to: r.to, stop: r.stop, split: r.split, loneFirst: r.loneFirst ?? false })
}

/** A phrase: the whole text as one term, gaps and function words included. */
export function phraseOf(text: string, analyzer: Analyzer, field: 'any' | 'title'): QueryTerm | null {
  const { folded, units, words } = analyzer.analyze(text)
  const n = units.keys.length
  if (n === 0) return null
  const joined = units.joined.slice()
  joined[0] = 0
  const han = units.keys.map(isIdeographic)
  // A space between Han characters is a gap, as punctuation is: the document may have a gap there or
  // none. Titles set clauses apart with one (稻菽飘香 各地丰收忙), and a title pasted in quotes must find
  // itself. Lone Han characters between gaps (“中，国”, “中 国”) are read in a row: a lone character keeps
  // no positions, and checking each document's text instead would read most of the archive.
  if (n > 1 && han.every(Boolean) && joined.every((j) => j === 0)) joined.fill(1, 1)
  loosenLatinJoins(units.keys, joined)
  return {
    text: folded.slice(units.starts[0], units.ends[n - 1]).replace(/\s+/g, ' '),
    units: units.keys.slice(),
    joined,
    words: words.map((w) => w.key),
    field,
    stop: n === 1 && isStopWord(units.keys[0]!),
  }
}
