/**
 * Splits folded text into units, the atoms that positions count and character grams are made of:
 * one unit per Han (or kana, hangul) character, one per run of other letters (`rust`), one per number
 * (`2021`, `1.1`). Everything else (spaces, punctuation, symbols) is a gap between units.
 */
export interface Units {
  /** The folded text of each unit. */
  keys: string[]
  /** Offset of each unit's first code unit in the text. */
  starts: Uint32Array
  /** Offset just past each unit's last code unit. */
  ends: Uint32Array
  /** 1 when unit i touches unit i − 1 with nothing between them, so the two may form a bigram. */
  joined: Uint8Array
}

export const enum UnitClass {
  Gap = 0,
  Ideograph = 1,
  Letter = 2,
  Digit = 3,
  Mark = 4,
}

/** Where the units are, without their text: what indexing needs, allocated once per text. */
export interface UnitSpans {
  starts: Uint32Array
  ends: Uint32Array
  joined: Uint8Array
}

export function splitUnits(text: string): Units {
  const spans = splitUnitSpans(text)
  const keys = new Array<string>(spans.starts.length)
  for (let u = 0; u < keys.length; u++) keys[u] = text.slice(spans.starts[u], spans.ends[u])
  return { keys, ...spans }
}

/**
 * The units of `text`, or only the first `limit` from `from` on. `from` must be 0 or pass
 * {@link isUnitBoundary}, so the units read from there are the whole text's (the first one's `joined`
 * aside): a caller can look at a few without splitting all.
 */
export function splitUnitSpans(text: string, from = 0, limit = text.length - from): UnitSpans {
  const n = text.length
  const size = Math.max(0, Math.min(limit, n - from))
  const starts = new Uint32Array(size)
  const ends = new Uint32Array(size)
  const joined = new Uint8Array(size)
  let count = 0
  let lastEnd = -1
  let lastClass = UnitClass.Gap
  let i = from
  while (i < n && count < size) {
    const code = text.codePointAt(i)!
    const width = code > 0xffff ? 2 : 1
    const cls = classify(code)
    if (cls === UnitClass.Gap || cls === UnitClass.Mark) {
      i += width
      continue
    }
    const start = i
    i += width
    if (cls === UnitClass.Letter) {
      while (i < n) {
        const c = text.codePointAt(i)!
        const k = classify(c)
        if (k !== UnitClass.Letter && k !== UnitClass.Mark) break
        i += c > 0xffff ? 2 : 1
      }
      if (i === start + 1) i += languageSuffix(text, i)
    } else if (cls === UnitClass.Digit) {
      while (i < n && classify(text.charCodeAt(i)) === UnitClass.Digit) i++
      // One decimal point joins digits: 1.1亿元 keeps 1.1 whole.
      if (i + 1 < n && text.charCodeAt(i) === 46 /* . */ && classify(text.charCodeAt(i + 1)) === UnitClass.Digit) {
        i += 2
        while (i < n && classify(text.charCodeAt(i)) === UnitClass.Digit) i++
      }
    }
    starts[count] = start
    ends[count] = i
    joined[count] = start === lastEnd || (lastEnd >= 0 && cosmeticSpace(text, lastEnd, start, lastClass, cls)) ? 1 : 0
    count++
    lastEnd = i
    lastClass = cls
  }
  return { starts: starts.subarray(0, count), ends: ends.subarray(0, count), joined: joined.subarray(0, count) }
}

/**
 * The `++` or `#` that names a language after a single letter (c++, g++, c#, f#), when nothing of a word
 * follows: part of the unit, so C++ is not the letter c. Its length, or 0.
 */
function languageSuffix(text: string, at: number): number {
  const code = text.charCodeAt(at)
  const length = code === 43 /* + */ && text.charCodeAt(at + 1) === 43 ? 2 : code === 35 /* # */ ? 1 : 0
  if (length === 0 || at + length >= text.length) return length
  const after = text.codePointAt(at + length)!
  const cls = classify(after)
  return cls === UnitClass.Letter || cls === UnitClass.Digit || after === code ? 0 : length
}

/**
 * Whether the units read from offset k (> 0) on are the whole text's: an ideograph always starts a unit
 * of its own, and no unit runs across a gap (a space, punctuation) other than a decimal point, which
 * joins digits, and the `++` or `#` of c++ and c#. Surrogates are not trusted: the low half of an astral
 * letter looks like a gap.
 */
export function isUnitBoundary(text: string, k: number): boolean {
  if (classify(text.charCodeAt(k)) === UnitClass.Ideograph) return true
  const before = text.charCodeAt(k - 1)
  return before !== 46 /* . */ && before !== 43 /* + */ && before !== 35 /* # */ && (before < 0xd800 || before > 0xdfff) && classify(before) === UnitClass.Gap
}

/**
 * Chinese typesetting often puts a space between Han characters and Latin letters or digits
 * (`35 岁`, `使用 Rust 语言`). That space is cosmetic: the units still touch, as they do in `35岁`.
 */
function cosmeticSpace(text: string, from: number, to: number, before: UnitClass, after: UnitClass): boolean {
  if ((before === UnitClass.Ideograph) === (after === UnitClass.Ideograph)) return false
  if (to - from > 2) return false
  for (let k = from; k < to; k++) if (text.charCodeAt(k) !== 32) return false
  return true
}

let bmpClasses: Uint8Array | null = null

/** The unit class of one code point; the Basic Multilingual Plane is classified once into a table. */
export function classify(code: number): UnitClass {
  if (code < 0x80) {
    if (code >= 97 && code <= 122) return UnitClass.Letter
    if (code >= 48 && code <= 57) return UnitClass.Digit
    if (code >= 65 && code <= 90) return UnitClass.Letter
    return UnitClass.Gap
  }
  if (code <= 0xffff) {
    bmpClasses ??= buildBmpClasses()
    return bmpClasses[code] as UnitClass
  }
  return classifySlow(String.fromCodePoint(code))
}

const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
// Letter numbers (Ⅱ类水质, 第Ⅲ卷) count as letters: the fold keeps Ⅱ as written (its NFKC form, II, is longer).
const LETTER = /[\p{L}\p{Nl}]/u
const DIGIT = /\p{Nd}/u
const MARK = /\p{M}/u

function classifySlow(ch: string): UnitClass {
  if (IDEOGRAPHIC.test(ch)) return LETTER.test(ch) || ch === '〇' ? UnitClass.Ideograph : UnitClass.Gap
  if (LETTER.test(ch)) return UnitClass.Letter
  if (DIGIT.test(ch)) return UnitClass.Digit
  if (MARK.test(ch)) return UnitClass.Mark
  return UnitClass.Gap
}

function buildBmpClasses(): Uint8Array {
  const t = new Uint8Array(0x10000)
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue
    t[c] = classifySlow(String.fromCharCode(c))
  }
  return t
}

/** True when every code point of `text` is an ideograph unit (a Han word, as jieba returns it). */
export function isIdeographic(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!
    if (classify(c) !== UnitClass.Ideograph) return false
    if (c > 0xffff) i++
  }
  return text.length > 0
}
