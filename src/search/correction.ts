import { normalize } from '../analysis/normalize.js'
import { END } from '../index/posting-cursor.js'
import type { IndexReader } from '../index/reader.js'
import type { Homophones } from '../suggest/homophones.js'
import { TermPlan } from './match.js'
import type { AnalyzedQuery } from './query-analysis.js'
import type { QueryTerm } from './query-terms.js'

/**
 * Clauses a query typed by hand may have; one with more is a pasted title or passage. Typed words are
 * often cut in two (杭州亚运会 → 杭州 + 亚运会), so three typed words can make six clauses.
 */
const MAX_TYPED_CLAUSES = 6
/** Han terms of this many characters are read for homophones: one character is too short to tell, a longer run is no slip. */
const HAN_TERM = /^\p{Script=Han}{2,8}$/u
/** Letters that may be pinyin typed without an input method (`ü` typed `v`); two letters say too little. */
const PINYIN = /^[a-z]{3,40}$/

/**
 * `q` with each Han term that no post holds replaced by a word of the archive that sounds the same (宏旗区
 * 断头路 → 红旗区 断头路), and each run of letters no post holds by the word whose pinyin it spells
 * (hongqiqu → 红旗区), or null when there is none. A term some post holds is left alone, however rare:
 * it may be the name meant. It is only a guess: the engine offers it when more posts hold every one of its terms than
 * hold every term of `q` (see SearchEngine.search).
 */
export function correctedQuery(q: string, query: AnalyzedQuery, index: IndexReader, homophones: () => Homophones | null): string | null {
  // A passage is pasted, not typed: no input method slipped in it.
  if (query.clauses.length > MAX_TYPED_CLAUSES) return null
  const folded = normalize(q)
  const parts = new Set(query.glued.flatMap((g) => g.parts ?? []))
  // A glued term (宏旗 + 区) is read whole, as typed; its parts are not read again.
  const terms = [...query.glued, ...query.clauses.filter((alts) => alts.length === 1).map((alts) => alts[0]!)].filter((t) => !parts.has(t))
  const replacements = new Map<string, string>()
  const budget = { reads: MAX_READS }
  for (const term of terms) {
    if (term.stop || replacements.has(term.text)) continue
    const word = HAN_TERM.test(term.text) ? commonHomophone(term, index, homophones, budget) : PINYIN.test(term.text) ? spelledWord(term, index, homophones) : null
    if (word !== null) replacements.set(term.text, word)
  }
  if (replacements.size === 0) return null
  // Folding keeps every character in its place, so a term found in the folded query is replaced in `q` as typed.
  let out = ''
  let from = 0
  for (let at = 0; at < folded.length; ) {
    const found = [...replacements.keys()].find((text) => folded.startsWith(text, at))
    if (found === undefined) {
      at++
      continue
    }
    out += q.slice(from, at) + replacements.get(found)!
    at += found.length
    from = at
  }
  return from === 0 ? null : out + q.slice(from)
}

/**
 * For a term no post holds, the homophone the archive holds with the fewest characters changed (one
 * slip is likelier than two: 宏旗区 is 红旗区 before 红旗渠), then in the most posts; null for a term
 * some post holds, or one with no such homophone. Homophones are the vocabulary's words that read as
 * the term does, and the term with one character swapped for another read alike, which finds the words
 * no vocabulary lists (哅安 → 雄安, a name jieba does not know).
 */
function commonHomophone(term: QueryTerm, index: IndexReader, homophones: () => Homophones | null, budget: Budget): string | null {
  // A term some post holds is never corrected; one whose every pair some post holds may still be held by none (习进平: 学习进步, 推进平台).
  if (pairsHeld(term.text, index, { reads: Infinity }) > 0 && mayBeHeld(term.text, index)) return null
  const sounds = homophones()
  if (sounds === null) return null
  const typed = [...term.text]
  const candidates: { word: string; changed: number; df: number }[] = []
  const consider = (word: string, changed: number) => {
    const df = pairsHeld(word, index, budget)
    if (df > 0) candidates.push({ word, changed, df })
  }
  for (const word of sounds.of(term.text)) consider(word, [...word].filter((char, i) => char !== typed[i]).length)
  for (const { word } of sounds.swaps(term.text)) {
    if (budget.reads <= 0) break
    consider(word, 1)
  }
  // Fewest changed first, then by how many posts their pairs allow; the first some post holds whole wins.
  candidates.sort((a, b) => a.changed - b.changed || b.df - a.df)
  return candidates.slice(0, MAX_CHECKED).find((c) => someoneHolds(c.word, index, budget))?.word ?? null
}

/**
 * What one query's corrections may read of the index, lookups and postings together: a made-up query
 * of long terms, each with hundreds of homophones, held the thread that cuts queries for 25 ms.
 */
const MAX_READS = 6000
/** Homophones checked against the postings at most: each may read the posts of its rarest pair. */
const MAX_CHECKED = 16

/** How much of MAX_READS a query's corrections have left. */
interface Budget {
  reads: number
}

/** Whether some post holds the Han word as typed (its characters in a row), within the budget. */
function someoneHolds(word: string, index: IndexReader, budget: Budget): boolean {
  const units = [...word]
  const joined = new Uint8Array(units.length).fill(1)
  joined[0] = 0
  const cursor = new TermPlan(index, { text: word, units, joined, words: [], field: 'any', stop: false }).open()
  for (let doc = cursor.candidate(0); doc !== END && budget.reads-- > 0; doc = cursor.candidate(doc + 1)) if (cursor.matchAt(doc)) return true
  return false
}

/**
 * Whether some post may hold the Han word whose every pair some post holds: one is looked for, and a
 * look that would read more than MAX_READS counts as held.
 */
function mayBeHeld(word: string, index: IndexReader): boolean {
  // Two characters are their one pair; a word of the index is held: no postings read.
  if (word.length === 2 || index.words.lookup(word) >= 0) return true
  const budget = { reads: MAX_READS }
  return someoneHolds(word, index, budget) || budget.reads <= 0
}

/**
 * The most posts that may hold a Han word: the fewest that hold one of its touching pairs (0 when some
 * post holds none, or the budget is spent), a bound that orders homophones as their counts would; the
 * correction is checked against the postings before it is offered.
 */
function pairsHeld(word: string, index: IndexReader, budget: Budget): number {
  const chars = [...word]
  let fewest = Infinity
  for (let i = 1; i < chars.length; i++) {
    if (budget.reads-- <= 0) return 0
    const id = index.grams.lookup(chars[i - 1]! + chars[i]!)
    if (id < 0) return 0
    fewest = Math.min(fewest, index.grams.df(id))
  }
  return fewest
}

/** Words of the vocabulary that letters may spell, tried in turn. */
const SPELLED_TRIED = 8

/**
 * For letters no post holds, the most frequent word of the vocabulary that the archive's posts hold
 * and whose pinyin they start or abbreviate (hongqiqu, hongqi, hqq → 红旗区), as suggestions read them; else null.
 */
function spelledWord(term: QueryTerm, index: IndexReader, homophones: () => Homophones | null): string | null {
  if (index.grams.lookup(term.text) >= 0) return null
  return homophones()?.spelledBy(term.text, SPELLED_TRIED).find((word) => index.words.lookup(word) >= 0) ?? null
}
