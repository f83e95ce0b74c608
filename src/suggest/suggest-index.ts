import { Index, type Encoder } from 'flexsearch'
import { withoutInvisible } from '../analysis/invisible.js'
import { normalize } from '../analysis/normalize.js'
import { mainlandForms } from '../analysis/regional-words.js'
import type { Segmenter } from '../analysis/segment.js'
import { termEncoder, titleIndexEncoder, titleQueryEncoder, titleTerms, type TitleCutter } from './encoders.js'
import { PinyinLookup } from './pinyin.js'
import type { SuggestedTitle, SuggestedWord } from './vocabulary.js'

/** One entry of the list under the search box (the `suggestions` of `GET /suggest`). */
export interface Suggestion {
  text: string
  /** `word`: a frequent indexed word that starts with what was typed (or whose pinyin does); `title`: an article title. */
  kind: 'word' | 'title'
  /** The id of the (newest) article with this title; titles only. */
  id?: string
}

/** The most suggestions shown at once. */
export const MAX_SUGGESTIONS = 8

/** Titles shown when there are enough of them; words fill the rest, and each side fills what the other leaves. */
const TITLE_SHARE = 3

/**
 * Titles fetched for the longest typed word when several were typed, then checked for the others:
 * the first few hundred, then more if too few of them hold what was typed. FlexSearch's own AND walks
 * every id of every term's list, and a lone character's prefix (中, 称) lists thousands of titles:
 * 1–10 ms per keystroke on the test corpus instead of microseconds.
 */
const TITLE_CANDIDATES = [400, 5000]

/** A FlexSearch export: its keys (`1.reg`, `1.map`, `2.map` …) and their JSON payloads, in export order. */
type FlexExport = [key: string, data: string][]

/**
 * A suggestion index as stored in `suggest.idx`: the entries, by FlexSearch id, and the two FlexSearch
 * indexes exported. Loading imports these exports instead of adding the entries again.
 */
export interface SuggestData {
  /** Folded word keys, most frequent first; the position is the word's FlexSearch id. */
  wordKeys: string[]
  /** Display spellings that differ from the key (`rust` → `Rust`), by word id. */
  spellings: [id: number, text: string][]
  /** [title, document id], newest first; the position is the title's FlexSearch id. */
  titles: [text: string, id: string][]
  /**
   * Each word's pinyin reading, by word id (see pinyinReadings); absent from indexes built before
   * jiansuo read pinyin, which then suggest nothing for it.
   */
  readings?: string[]
  /** The readings of each Han character (see characterReadings); absent from indexes built before, whose characters are read from the words alone. */
  characterReadings?: string
  wordIndex: FlexExport
  titleIndex: FlexExport
}

/*
 * Both indexes use the `forward` tokenizer: every prefix of every term is a key, so a typed prefix is
 * one map lookup. Ids come back in insertion order within a scoring slot, which is why words are added
 * most frequent first and titles newest first: the order of the results is the ranking.
 * Words are single terms (one slot); titles keep FlexSearch's position scoring, so a title whose
 * first words match comes before one that matches further in, then the newer before the older.
 */
function wordIndex(): Index {
  return new Index({ tokenize: 'forward', encoder: termEncoder(), resolution: 1 })
}

function titleIndex(encoder: Encoder): Index {
  return new Index({ tokenize: 'forward', encoder })
}

/** The title half of a suggestion index: the titles and their FlexSearch index, exported. */
export type TitleSuggestions = Pick<SuggestData, 'titles' | 'titleIndex'>

/**
 * Indexes the titles (newest first, as {@link distinctTitles} lists them) and exports the index. It
 * needs only the documents, so a build makes it apart from the words, while the term spaces are merged.
 */
export function buildTitleSuggestions(titles: readonly SuggestedTitle[], cut: Segmenter | TitleCutter): TitleSuggestions {
  const index = titleIndex(titleIndexEncoder(cut))
  titles.forEach((title, id) => index.add(id, title.text))
  return { titles: titles.map((t): [string, string] => [t.text, t.id]), titleIndex: exportOf(index) }
}

/** The word half of a suggestion index: the words and their FlexSearch index, exported. */
export type WordSuggestions = Pick<SuggestData, 'wordKeys' | 'spellings' | 'readings' | 'characterReadings' | 'wordIndex'>

/**
 * Indexes the words (most frequent first, as {@link chooseWords} lists them) and exports the index,
 * with their pinyin `readings` when given (see pinyinReadings).
 */
export function buildWordSuggestions(vocabularyWords: readonly SuggestedWord[], readings?: string[], characterReadings?: string): WordSuggestions {
  const words = wordIndex()
  vocabularyWords.forEach((word, id) => words.add(id, word.key))
  return {
    wordKeys: vocabularyWords.map((w) => w.key),
    spellings: vocabularyWords.flatMap((w, id): [number, string][] => (w.text === w.key ? [] : [[id, w.text]])),
    ...(readings && { readings }),
    ...(characterReadings && { characterReadings }),
    wordIndex: exportOf(words),
  }
}

/** A suggestion index from its two halves. */
export function joinSuggestions(words: WordSuggestions, titles: TitleSuggestions): SuggestData {
  return { ...words, titles: titles.titles, titleIndex: titles.titleIndex }
}

function exportOf(index: Index): FlexExport {
  const parts: FlexExport = []
  // With a synchronous handler FlexSearch exports synchronously.
  void index.export((key, data) => {
    parts.push([key, data])
  })
  return parts
}

/**
 * Answers typed prefixes from a stored suggestion index.
 *
 * ```ts
 * const suggester = new SuggestIndex(data, createSegmenter())
 * suggester.suggest('红旗') // → [{ text: '红旗渠', kind: 'word' }, …, { text: '…', kind: 'title', id: '…' }]
 * ```
 */
export class SuggestIndex {
  readonly wordCount: number
  readonly titleCount: number
  private readonly words: Index
  private readonly titles: Index
  private readonly wordKeys: string[]
  private readonly wordTexts: string[]
  private readonly titleEntries: [string, string][]
  private readonly foldedTitles: string[]
  private readonly termEncoder = termEncoder()
  private readonly titleEncoder: Encoder
  private readonly segmenter: Segmenter
  private readonly pinyin: PinyinLookup

  /** Imports `data`; the segmenter must cut words as the one that built it did (same user dictionary). */
  constructor(data: SuggestData, segmenter: Segmenter) {
    this.wordKeys = data.wordKeys
    this.wordTexts = [...data.wordKeys]
    for (const [id, text] of data.spellings) this.wordTexts[id] = text
    this.titleEntries = data.titles
    this.foldedTitles = data.titles.map(([text]) => normalize(text))
    this.wordCount = data.wordKeys.length
    this.titleCount = data.titles.length
    this.words = wordIndex()
    for (const [key, part] of data.wordIndex) this.words.import(key, part)
    this.pinyin = new PinyinLookup(data.readings ?? [])
    // Titles were indexed with their sub-words; queries are cut into plain words (see titleQueryEncoder).
    this.segmenter = segmenter
    this.titleEncoder = titleQueryEncoder(segmenter)
    this.titles = titleIndex(this.titleEncoder)
    for (const [key, part] of data.titleIndex) this.titles.import(key, part)
  }

  /**
   * Up to `limit` suggestions for what was typed: words that start with it, most frequent first (the
   * word itself excluded: it is already in the box), or else words whose pinyin does, then titles with a word starting with each typed
   * word, best placed and newest first. Never throws; blank input has no suggestions.
   */
  suggest(text: string, limit: number = MAX_SUGGESTIONS): Suggestion[] {
    const size = Math.max(0, Math.min(MAX_SUGGESTIONS, Math.floor(limit) || 0))
    // As /search reads a query: a zero-width space or soft hyphen pasted inside a word would split it.
    const typed = withoutInvisible(text).normalize('NFC')
    if (size === 0 || typed.trim() === '') return []
    // Letters that start no indexed word may be pinyin typed without an input method (hongqi, hqq → 红旗区).
    const started = this.matchingWords(typed, size)
    const words = started.ids.length > 0 ? started.ids : (this.mainlandWords(typed, size) ?? (started.any ? [] : this.pinyin.find(typed, size)))
    const titles = this.matchingTitles(typed, size)
    const titleSlots = Math.min(titles.length, Math.max(size - words.length, Math.min(TITLE_SHARE, size)))
    const out: Suggestion[] = words.slice(0, size - titleSlots).map((id) => ({ text: this.wordTexts[id]!, kind: 'word' }))
    for (const id of titles.slice(0, titleSlots)) {
      const [text, docId] = this.titleEntries[id]!
      out.push({ text, kind: 'title', id: docId })
    }
    return out
  }

  /**
   * Titles holding what was typed, each run typed without a space starting at a word of the title.
   * One typed word is one FlexSearch lookup; with several, FlexSearch looks up the longest (the most
   * selective, usually) and the typed runs are checked in the folded title, keeping FlexSearch's
   * order: best placed, then newest. A run jieba cuts apart (新能 → 新 + 能) stays one run: 创新能力
   * holds 新 and 能 but is no title for 新能.
   */
  private matchingTitles(typed: string, size: number): number[] {
    const terms = this.titleEncoder.encode(typed)
    if (terms.length === 0) return []
    // Each run typed without a space, as the title's words read without what separates them (gpt-4 → gpt4).
    const runs = normalize(typed)
      .split(/\s+/)
      .map((run) => titleTerms(run, this.segmenter, false).join(''))
      .filter(Boolean)
    // One word typed is one lookup; a word typed twice (南南) is one term to FlexSearch, and is checked below.
    if (terms.length === 1 && runs.length === 1 && runs[0] === terms[0]) return this.titles.search(typed, { limit: size }) as number[]
    const anchor = terms.reduce((a, b) => (b.length > a.length ? b : a))
    const out: number[] = []
    // A one-character anchor (新 of 新能) starts thousands of titles: when the first candidates hold too
    // few of the runs, more are looked through, which costs a string search each.
    let offset = 0
    for (const limit of TITLE_CANDIDATES) {
      const candidates = this.titles.search(anchor, { limit: limit - offset, offset }) as number[]
      for (const id of candidates) {
        const title = this.foldedTitles[id]!
        // Cut only the titles that hold every piece somewhere, and each Han run as typed.
        if (!terms.every((piece) => title.includes(piece)) || !runs.every((run) => !isHan(run) || title.includes(run))) continue
        const words = titleTerms(title, this.segmenter, false)
        if (runs.every((run) => this.startsAWord(run, words)) && out.push(id) === size) return out
      }
      if (candidates.length < limit - offset) break
      offset = limit
    }
    return out
  }

  /**
   * Whether `run` starts at a word of a title: read from one of its words on (`words`, in reading order,
   * without what separates them), or the start of a sub-word of one (人民 in 中华人民共和国).
   */
  private startsAWord(run: string, words: readonly string[]): boolean {
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!
      if (word.startsWith(run) || this.segmenter.subwords(word).some((sub) => sub.startsWith(run))) return true
      if (!run.startsWith(word)) continue
      let read = word
      for (let j = i + 1; j < words.length && read.length < run.length; j++) read += words[j]!
      if (read.startsWith(run)) return true
    }
    return false
  }

  /**
   * For a regional word typed whole that starts no other indexed word (軟體, folded 软体): the words that
   * start with its mainland forms, those forms included (软件, 软件开发 …), as a search for it finds them; else null.
   */
  private mainlandWords(typed: string, size: number): number[] | null {
    const forms = mainlandForms(normalize(typed).trim())
    if (!forms) return null
    const ids = forms.flatMap((form) => {
      const terms = this.termEncoder.encode(form)
      return terms.length === 1 ? (this.words.search(terms[0]!, { limit: size }) as number[]) : []
    })
    return ids.length > 0 ? [...new Set(ids)].slice(0, size) : null
  }

  /** The words that start with what was typed, the typed word itself left out; `any`: whether some word (it included) does. */
  private matchingWords(typed: string, size: number): { ids: number[]; any: boolean } {
    const terms = this.termEncoder.encode(typed)
    // Words are single terms: two typed words cannot be the start of one.
    if (terms.length !== 1) return { ids: [], any: false }
    const prefix = terms[0]!
    const ids = this.words.search(prefix, { limit: size + 1 }) as number[]
    return { ids: ids.filter((id) => this.wordKeys[id] !== prefix).slice(0, size), any: ids.length > 0 }
  }
}

/** Whether a run is Han characters only: a title holding it holds it as typed (no space or mark inside). */
function isHan(run: string): boolean {
  return /^\p{Script=Han}+$/u.test(run)
}
