import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Jieba } from '@node-rs/jieba'
import { normalize } from './normalize.js'

/**
 * jieba's dictionary file, read by each segmenter and then let go: the binding's own `dict.js` also
 * reads the 6 MB idf table we never use, and its module cache would keep both alive in every thread.
 */
const DICT_PATH = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt')

/**
 * Word segmentation, the one place that knows which jieba binding we use.
 * @node-rs/jieba was chosen over nodejieba by measurement (bench/segmenters): prebuilt binaries, no
 * node-gyp at install, and about 2.5× the throughput. HMM is off so that a word is cut the same way in
 * a query and in a document; unknown names fall back to single characters, which grams still match.
 */
export interface Segmenter {
  /** Identifies binding, dictionary and mode; part of the index's analysis stamp. */
  readonly version: string
  /** Cuts text into words; the words concatenate back to exactly `text`. */
  cut(text: string): string[]
  /** The dictionary words inside one long word (中华人民共和国 → 中华, 人民, 共和国 …), the word itself excluded. */
  subwords(word: string): string[]
}

/** Lines of `word [frequency [tag]]`, as jieba's user dictionaries are written. */
export function createSegmenter(userWords: string = ''): Segmenter {
  const dict = readFileSync(DICT_PATH)
  const jieba = Jieba.withDict(dict)
  const extra = foldedWords(userWords)
  if (extra) jieba.loadDict(Buffer.from(normalizeUserDict(extra), 'utf8'))
  return {
    version: versionOf(dict, extra),
    cut: (text) => jieba.cut(text, false),
    subwords(word) {
      if (word.length < 3) return []
      return jieba.cutForSearch(word, false).filter((w) => w.length >= 2 && w !== word)
    },
  }
}

/**
 * The segmenter with `subwords` remembered: words repeat across an archive (titles, bodies), and
 * cutting one for search costs a jieba call. The memory is dropped whole once it holds `limit` words.
 * The last text cut is remembered too: a build cuts each title twice in a row, to index it and for
 * the suggestions. Words given out are shared, so no caller may change them.
 */
export function withSubwordCache(segmenter: Segmenter, limit = 200_000): Segmenter {
  const cache = new Map<string, string[]>()
  let lastText: string | null = null
  let lastWords: string[] = []
  return {
    version: segmenter.version,
    cut(text) {
      if (text !== lastText) {
        lastWords = segmenter.cut(text)
        lastText = text
      }
      return lastWords
    },
    subwords(word) {
      // Words this short have none (see createSegmenter): not worth a lookup in a table of many thousands.
      if (word.length < 3) return segmenter.subwords(word)
      let subs = cache.get(word)
      if (subs === undefined) {
        subs = segmenter.subwords(word)
        if (cache.size >= limit) cache.clear()
        cache.set(word, subs)
      }
      return subs
    },
  }
}

/** What `createSegmenter(userWords).version` says, without loading jieba (to compare with an index's stamp). */
export function segmenterVersion(userWords: string = ''): string {
  return versionOf(readFileSync(DICT_PATH), foldedWords(userWords))
}

/**
 * A user dictionary folded as the text is (traditional → simplified, full width, case): jieba cuts the
 * folded text, so 牧野湖新區 written as the archive writes it would never be found there. Folding
 * changes nothing in a dictionary already written so, whose stamp therefore stays the same.
 */
function foldedWords(userWords: string): string {
  // Without words there is nothing to fold: a build thread then adopts the build's fold table instead of making its own.
  return userWords === '' ? '' : normalize(userWords).trim()
}

function versionOf(dict: Buffer, extra: string): string {
  return `node-rs-jieba:nohmm:dict-${createHash('sha256').update(dict).update(extra).digest('hex').slice(0, 12)}`
}

/** Throws, naming the line, when a user dictionary has a line jieba would refuse (the CLI checks it before a build starts). */
export function checkUserDictionary(text: string): void {
  normalizeUserDict(text)
}

/** jieba reads a frequency as a 64-bit unsigned integer and refuses the whole dictionary past it. */
const MAX_JIEBA_FREQUENCY = 2n ** 64n - 1n

/** A user dictionary line may name just the word; give it a frequency high enough for jieba to prefer it. */
function normalizeUserDict(text: string): string {
  const out: string[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const [word, frequency, tag, ...rest] = line.split(/\s+/)
    // jieba rejects the whole dictionary with "Load dict failed" and no line: say which line and why.
    if (frequency !== undefined && !/^\d+$/.test(frequency)) throw new Error(`user dictionary line ${i + 1}: the frequency "${frequency}" is not a whole number (a line is \`word [frequency [tag]]\`)`)
    if (frequency !== undefined && BigInt(frequency) > MAX_JIEBA_FREQUENCY) throw new Error(`user dictionary line ${i + 1}: the frequency ${frequency} is too large (at most ${MAX_JIEBA_FREQUENCY})`)
    if (rest.length > 0) throw new Error(`user dictionary line ${i + 1}: "${line}" has more than a word, a frequency and a tag`)
    out.push(frequency === undefined ? `${word} 2000` : tag === undefined ? `${word} ${frequency}` : `${word} ${frequency} ${tag}`)
  })
  return out.join('\n')
}
