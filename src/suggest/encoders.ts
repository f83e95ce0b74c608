import { Encoder } from 'flexsearch'
import { normalize } from '../analysis/normalize.js'
import { isIdeographic, splitUnitSpans } from '../analysis/units.js'
import { withSubwordCache, type Segmenter } from '../analysis/segment.js'

/**
 * FlexSearch encoders for suggestions. FlexSearch's default Encoder is built for Latin text and
 * does two things that hurt Chinese archives, so every encoder here turns them off explicitly:
 *
 * - `numeric: true` cuts numbers into triplets (`2024` → `202`, `4`), so a title about 2024 would
 *   answer `202` and `4`, and `2024` would match any title holding `202` and `4` apart.
 * - `dedupe: true` collapses repeated letters (`missing` → `mising`), which folds 常常 into 常,
 *   谢谢 into 谢, 2000 into 20: a different word.
 *
 * Its own normalisation (NFKD, strip accents, lower case) is replaced by the analysis chain's fold,
 * so suggestions fold full-width letters, case and traditional characters exactly as search does.
 * The encoder cache is off: it clears itself on a 50 ms timer that would hold a process open.
 */
const CHINESE_SAFE = { normalize, dedupe: false, numeric: false, cache: false } as const

/**
 * The terms of folded text: its runs of touching units, as the index reads units (units.ts). Anything
 * that is no unit separates them; a decimal number (1.1亿) and a language's name (c++, c#) stay whole.
 */
export function wholeTerms(folded: string): string[] {
  const { starts, ends } = splitUnitSpans(folded)
  const out: string[] = []
  for (let u = 0, from = 0; u < starts.length; u++) {
    if (u + 1 < starts.length && starts[u + 1] === ends[u]) continue
    out.push(folded.slice(starts[from], ends[u]))
    from = u + 1
  }
  return out
}

/**
 * Whole terms: one per run of letters and digits, never cut further. Suggested words are indexed
 * with it (each word is one term, which the `forward` tokenizer then stores under every prefix),
 * and typed prefixes are looked up with it, so `红旗` finds 红旗区, `rus` finds rust and `c++` is not `c`.
 */
export function termEncoder(): Encoder {
  return new Encoder({ ...CHINESE_SAFE, prepare: (folded) => wholeTerms(folded).join(' '), split: ' ' })
}

/** A folded title's terms for indexing, joined by spaces (see {@link titleCutter}). */
export type TitleCutter = (folded: string) => string

/**
 * Title terms for indexing: jieba's words, plus the dictionary words inside long ones
 * (长江经济带 → 长江, 经济, 经济带), so a title is found from the start of any word in it.
 */
export function titleCutter(segmenter: Segmenter): TitleCutter {
  const cutting = withSubwordCache(segmenter)
  return (folded) => titleTerms(folded, cutting, true).join(' ')
}

/** Indexes titles with the terms {@link titleCutter} gives; `cut`: a segmenter, or a cutter already made. */
export function titleIndexEncoder(cut: Segmenter | TitleCutter): Encoder {
  return new Encoder({ ...CHINESE_SAFE, prepare: typeof cut === 'function' ? cut : titleCutter(cut), split: ' ' })
}

/**
 * Title terms for a typed query: jieba's words only. Every query term must be a prefix of some
 * term of the title; the sub-words indexed with titles let a query cut differently from the title
 * (长江经 → 长江, 经) still line up with it.
 */
export function titleQueryEncoder(segmenter: Segmenter): Encoder {
  return new Encoder({ ...CHINESE_SAFE, prepare: (folded) => titleTerms(folded, segmenter, false).join(' '), split: ' ' })
}

/** Jieba's words of folded text, in reading order, without the spaces and punctuation between them. */
export function titleTerms(folded: string, segmenter: Segmenter, withSubwords: boolean): string[] {
  const out: string[] = []
  for (const word of wholeNumbers(segmenter.cut(folded))) {
    // Most words are Han characters alone, one term each: splitting into units is the slow part.
    for (const term of isIdeographic(word) ? [word] : wholeTerms(word)) {
      out.push(term)
      if (withSubwords) for (const sub of segmenter.subwords(term)) out.push(sub)
    }
  }
  return out
}

const DIGITS = /^\p{Nd}+$/u

/** Jieba's words with a decimal number it cut apart (1 . 19) put back together (1.19), as the index's units keep it. */
function wholeNumbers(words: string[]): string[] {
  if (!words.includes('.')) return words
  const out: string[] = []
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    if (word === '.' && i + 1 < words.length && out.length > 0 && DIGITS.test(out[out.length - 1]!) && DIGITS.test(words[i + 1]!)) {
      out[out.length - 1] += `.${words[++i]!}`
    } else out.push(word)
  }
  return out
}
