import { codeUnitClasses } from '../analysis/code-unit-classes.js'
import { normalize } from '../analysis/normalize.js'
import type { TermDictionary } from './term-dictionary.js'

/** A word offered as a completion. */
export interface SuggestedWord {
  /** As shown: the folded key, or for a Latin word its most common spelling in the archive. */
  text: string
  /** The folded form typed prefixes are matched against. */
  key: string
  /** Documents containing it (a word: as a word of its own, where the index counts so); suggestions are ranked by it. */
  df: number
}

/** A title offered as a suggestion; repeated titles appear once, for their newest document. */
export interface SuggestedTitle {
  text: string
  id: string
}

/** A document as the vocabulary sees it. */
export interface TitledDocument {
  id: string
  title: string
  /** Epoch milliseconds, NaN when unknown (such titles come last). */
  dateMs: number
  /** Body text; only read to learn how Latin words are capitalised. */
  text?: string
}

export interface VocabularyLimits {
  /** Most words kept, the most frequent ones. */
  maxWords: number
  /**
   * Fewest documents a word must occur in, by archive size: rare words in a large archive are
   * mostly segmentation noise and names that no one types, while in a small archive every word counts.
   */
  minDf(documents: number): number
}

/**
 * 50,000 words keep every word in 3 or more of the 20,007 test posts (about 45,000) with room to grow;
 * the threshold is 1 up to 5,000 posts, 2 up to 10,000, and 3 above.
 */
export const DEFAULT_VOCABULARY_LIMITS: VocabularyLimits = {
  maxWords: 50_000,
  minDf: (documents) => Math.min(3, Math.max(1, Math.ceil(documents / 5000))),
}

/**
 * Latin words of two letters or more (single letters, `c`, `x`, complete nothing useful), and the
 * languages named by one letter and `++` or `#`, which the index keeps whole (c++, c#).
 */
const LATIN_WORD = /^(?:\p{Script=Latin}{2,}|\p{Script=Latin}(?:\+\+|#))$/u
/** A language's name as written (C++, C#), as units.ts reads one: a lone letter, nothing of a word after. */
const LANGUAGE_NAME = /(?<![\p{Script=Latin}\p{M}])\p{Script=Latin}(?:\+\+|#)(?![\p{Script=Latin}\p{Nd}+#])/gu
/**
 * Longer runs of letters are no word anyone types (a pasted hash, a post of one endless run); the
 * bound also keeps the regex off them, which overflows the stack from about 4.5 million letters.
 */
const MAX_WORD_LETTERS = 64

/** Whether chooseWords reads this key of the grams space (the rest of the space it never looks at). */
export const isSuggestedGram = (key: string): boolean => key.length <= MAX_WORD_LETTERS && LATIN_WORD.test(key)
const LATIN_LETTER = /\p{Script=Latin}/u

/**
 * Chooses the words to suggest: Han words of the words space and Latin words of the grams space that
 * occur in enough documents, the most frequent first (the titles are {@link distinctTitles}).
 */
export function chooseWords(
  input: {
    words: TermDictionary
    grams: TermDictionary
    documents: readonly TitledDocument[]
    /** The documents' Latin words as written, counted where they were read (see countWritten): their texts are then not read again. */
    written?: ReadonlyMap<string, number>
  },
  limits: VocabularyLimits = DEFAULT_VOCABULARY_LIMITS,
): SuggestedWord[] {
  const minDf = limits.minDf(input.documents.length)
  const candidates: { key: string; df: number }[] = []
  const { words, grams } = input
  // A word seen only inside longer words (视网 of 央视网, 克兰 of 乌克兰) is no word anyone types on its own.
  const standalone = words.standaloneDf
  for (let t = 0; t < words.terms; t++) {
    const df = standalone ? standalone[t]! : words.df(t)
    if (df >= minDf) candidates.push({ key: words.key(t), df })
  }
  for (let t = 0; t < grams.terms; t++) {
    const df = grams.df(t)
    if (df < minDf) continue
    const key = grams.key(t)
    if (LATIN_WORD.test(key)) candidates.push({ key, df })
  }
  candidates.sort((a, b) => b.df - a.df || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const kept = candidates.slice(0, limits.maxWords)
  const latin = new Set(kept.filter((w) => LATIN_WORD.test(w.key)).map((w) => w.key))
  const spellings = input.written ? spellingsOf(latin, input.written) : commonSpellings(latin, input.documents)
  return kept.map(({ key, df }) => ({ text: spellings.get(key) ?? key, key, df }))
}

/**
 * The index keeps Latin words folded (`rust`); people expect `Rust`, `GitHub`, `AI`. The spelling
 * shown is the one the archive's titles and bodies use most, counted only for the words kept.
 */
export function commonSpellings(keys: ReadonlySet<string>, documents: readonly TitledDocument[]): Map<string, string> {
  // Only an archive that keeps a language's name (c++) pays for looking for their spellings.
  const names = [...keys].some((key) => !LATIN_LETTER.test(key.at(-1)!))
  const written = new Map<string, number>()
  for (const doc of documents) {
    countWritten(doc.title, written, names)
    if (doc.text) countWritten(doc.text, written, names)
  }
  return spellingsOf(keys, written)
}

/**
 * Counts into `written` each Latin word of `text` as written (and, with `names`, each language's name),
 * new ones after those already met: counted a text at a time, in the documents' order, by one thread or
 * by several in turn (see addWritten), it is what {@link spellingsOf} chooses from.
 */
export function countWritten(text: string, written: Map<string, number>, names = true): void {
  for (const run of latinRuns(text)) written.set(run, (written.get(run) ?? 0) + 1)
  // Every name holds `++` or `#`: a text with neither (nearly all) is not searched by the regex, which
  // took longer than the letters' scan.
  if (names && (text.includes('#') || text.includes('++'))) for (const [name] of text.matchAll(LANGUAGE_NAME)) written.set(name, (written.get(name) ?? 0) + 1)
}

/** Adds the counts of documents that come after those `into` has counted (a later shard's). */
export function addWritten(into: Map<string, number>, later: ReadonlyMap<string, number>): Map<string, number> {
  for (const [form, n] of later) into.set(form, (into.get(form) ?? 0) + n)
  return into
}

/**
 * The spelling of each of `keys` written most often (counted by {@link countWritten}); full-width
 * letters count as their ordinary form, and a tie goes to the spelling met first.
 */
export function spellingsOf(keys: ReadonlySet<string>, written: ReadonlyMap<string, number>): Map<string, string> {
  const counts = new Map<string, Map<string, number>>()
  // In first-met order, so each key's forms are too.
  for (const [as, n] of written) {
    const key = normalize(as)
    if (!keys.has(key)) continue
    let forms = counts.get(key)
    if (!forms) counts.set(key, (forms = new Map()))
    const form = as.normalize('NFKC')
    forms.set(form, (forms.get(form) ?? 0) + n)
  }
  const chosen = new Map<string, string>()
  for (const [key, forms] of counts) {
    let best = key
    let most = 0
    // Map order is first-seen order, so a tie goes to the spelling met first.
    for (const [form, n] of forms) {
      if (n > most) [best, most] = [form, n]
    }
    chosen.set(key, best)
  }
  return chosen
}

/** 1 for a code unit that is a Latin letter: looking each up beats a `\p{Script=Latin}+` regex over the archive (about 2.5×). */
const latinUnit = codeUnitClasses((s) => (LATIN_LETTER.test(s) ? 1 : 0))

/** The maximal runs of Latin letters in `text`, as `/\p{Script=Latin}+/gu` finds them. */
export function* latinRuns(text: string): Generator<string> {
  // Code units a letter takes at `i`: 1 or 2 (a pair outside the BMP), 0 when not a Latin letter.
  const letterAt = (i: number): number => {
    const c = text.charCodeAt(i)
    if (c < 0xd800 || c > 0xdbff) return latinUnit(c)
    const cp = text.codePointAt(i)!
    return cp > 0xffff && LATIN_LETTER.test(String.fromCodePoint(cp)) ? 2 : 0
  }
  for (let i = 0; i < text.length; ) {
    let width = letterAt(i)
    if (width === 0) {
      i++
      continue
    }
    let end = i + width
    while (end < text.length && (width = letterAt(end)) > 0) end += width
    yield text.slice(i, end)
    i = end
  }
}

/** Titles as written, each once, newest first; a repeated title keeps its newest document. */
export function distinctTitles(documents: readonly TitledDocument[]): SuggestedTitle[] {
  const order = documents
    .map((doc, i) => ({ doc, i }))
    .filter(({ doc }) => doc.title.trim() !== '')
    .sort((a, b) => byNewest(a.doc.dateMs, b.doc.dateMs) || a.i - b.i)
  const seen = new Set<string>()
  const titles: SuggestedTitle[] = []
  for (const { doc } of order) {
    const text = doc.title.trim()
    // 对口援疆 助力新疆 and 对口援疆助力新疆 are one title to a reader: the newest spelling is kept.
    const key = normalize(text).replace(/\s+/g, '')
    if (seen.has(key)) continue
    seen.add(key)
    titles.push({ text, id: doc.id })
  }
  return titles
}

function byNewest(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1
  if (Number.isNaN(b)) return -1
  return b - a
}
