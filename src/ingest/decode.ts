import { isUtf8 } from 'node:buffer'
import chardet from 'chardet'
import iconv from 'iconv-lite'
import { MAX_POST_BYTES, tooLargeReason } from './post-file.js'

/** How many leading bytes the binary check looks at (the same window git uses). */
const SNIFF_BYTES = 8000

export type DecodeOutcome =
  | { kind: 'text'; text: string; note: { code: string; message: string } | null }
  | { kind: 'skipped'; code: string; reason: string }

/**
 * Turns a post's bytes into text with `\n` line ends.
 *
 * UTF-8 (with or without BOM) is expected. UTF-16 is accepted, with a BOM or without one when its NUL
 * bytes and text show it (see utf16ByNuls). Bytes that are not UTF-8 are tried as GB18030 (a superset
 * of GBK/GB2312) or Big5, whichever chardet ranks higher; a file that is almost all valid UTF-8 with a
 * few broken sequences is read as UTF-8 with replacement characters rather than reinterpreted as
 * mojibake. Anything else is skipped.
 */
export function decodePost(bytes: Uint8Array): DecodeOutcome {
  if (bytes.length === 0) return skip('empty_file', 'the file is empty (0 bytes)')
  if (bytes.length > MAX_POST_BYTES) {
    return skip('too_large', tooLargeReason(bytes.length))
  }

  const utf16 = utf16ByBom(bytes)
  if (utf16) return text(new TextDecoder(utf16).decode(bytes), { code: 'decoded_utf16', message: `decoded as ${utf16} (byte order mark)` })

  const unmarked = utf16ByNuls(bytes)
  if (unmarked) return text(unmarked.text, { code: 'decoded_utf16', message: `decoded as ${unmarked.encoding} (no byte order mark)` })

  if (looksBinary(bytes)) return skip('binary', 'the file holds binary data (NUL or control bytes), not text')

  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  if (isUtf8(buffer)) return text(buffer.toString('utf8'), null)

  const validShare = utf8ValidShare(bytes)
  const withReplacements = () =>
    text(new TextDecoder('utf-8').decode(bytes), {
      code: 'invalid_utf8_replaced',
      message: 'some byte sequences are not valid UTF-8; they were replaced by U+FFFD',
    })
  if (validShare >= 0.95) return withReplacements()

  for (const encoding of legacyCandidates(bytes)) {
    const decoded = iconv.decode(buffer, encoding)
    if (plausibleChinese(decoded)) {
      return text(decoded, { code: 'decoded_legacy_encoding', message: `not UTF-8; decoded as ${encoding}` })
    }
  }
  // Neither encoding reads it well: mostly UTF-8 with more broken bytes (a short post with a few) is
  // still better indexed with replacement characters than lost.
  if (validShare >= 0.5) return withReplacements()
  return skip('bad_encoding', 'the bytes are neither UTF-8 nor a Chinese legacy encoding (GB18030/GBK, Big5)')
}

function text(raw: string, note: { code: string; message: string } | null): DecodeOutcome {
  return { kind: 'text', text: cleanText(raw), note }
}

function skip(code: string, reason: string): DecodeOutcome {
  return { kind: 'skipped', code, reason }
}

/** Normalises line ends to `\n` and removes a BOM and the control characters that have no place in text. */
function cleanText(raw: string): string {
  let cleaned = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
  if (cleaned.includes('\r')) cleaned = cleaned.replace(/\r\n?/g, '\n')
  return CONTROL.test(cleaned) ? cleaned.replace(CONTROL_ALL, '') : cleaned
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = new RegExp(CONTROL.source, 'g')

function utf16ByBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  return null
}

/** NUL bytes a UTF-16 file without a BOM must show in the first window: a front matter alone has more. */
const MIN_UTF16_NULS = 8
/** Share of the window's code units that must read as text in the byte order chosen. */
const MIN_UTF16_TEXT_SHARE = 0.9
// Control characters (tab, line ends and form feed aside) that UTF-16 decoding of binary data yields and text has not.
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000-\u0008\u000E-\u001F\u007F]/

/**
 * UTF-16 without a BOM, as some Windows tools save it: NUL bytes (the high byte of each ASCII
 * character, of 一 U+4E00 …) and a byte order in which nearly every code unit is text. In the other
 * order, Chinese characters turn into other scripts and ASCII into U+xx00; a UTF-8 or binary file with
 * NUL bytes reads as text in neither, or decodes to control characters, and is left to the binary check.
 */
function utf16ByNuls(bytes: Uint8Array): { encoding: 'utf-16le' | 'utf-16be'; text: string } | null {
  if (bytes.length % 2 !== 0) return null
  const end = Math.min(bytes.length, SNIFF_BYTES) & ~1
  let nuls = 0
  for (let i = 0; i < end; i++) if (bytes[i] === 0) nuls++
  if (nuls < MIN_UTF16_NULS) return null
  const little = utf16TextShare(bytes, end, 'utf-16le')
  const big = utf16TextShare(bytes, end, 'utf-16be')
  if (Math.max(little, big) < MIN_UTF16_TEXT_SHARE) return null
  const encoding = little >= big ? 'utf-16le' : 'utf-16be'
  let decoded: string
  try {
    decoded = new TextDecoder(encoding, { fatal: true }).decode(bytes)
  } catch {
    return null // a lone surrogate: not UTF-16 text
  }
  return NOT_TEXT.test(decoded) ? null : { encoding, text: decoded }
}

/** The share of the code units in `bytes[0, end)`, read in `order`, that are characters a post is written in. */
function utf16TextShare(bytes: Uint8Array, end: number, order: 'utf-16le' | 'utf-16be'): number {
  const [low, high] = order === 'utf-16le' ? [0, 1] : [1, 0]
  let text = 0
  for (let i = 0; i < end; i += 2) {
    const unit = bytes[i + low]! | (bytes[i + high]! << 8)
    if (isPostTextUnit(unit)) text++
  }
  return end === 0 ? 0 : text / (end / 2)
}

function isPostTextUnit(unit: number): boolean {
  return unit === 0x09 || unit === 0x0a || unit === 0x0d
    || (unit >= 0x20 && unit < 0x7f) // ASCII
    || (unit >= 0xa0 && unit <= 0x24f) // Latin letters with accents
    || (unit >= 0x3040 && unit <= 0x30ff) // kana
    || (unit >= 0xd800 && unit <= 0xdfff) // surrogates (emoji, extension B); the decoder checks their pairs
    || isCjkTextChar(unit)
}

/** NUL in the first window, or a window where more than a tenth of the bytes are control codes. */
function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, SNIFF_BYTES)
  let control = 0
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!
    if (b === 0) return true
    // tab, LF, VT, FF, CR and ESC appear in real text files
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) control++
  }
  return control * 10 > end
}

/**
 * The share of the non-ASCII bytes that lie in well-formed UTF-8 sequences (0 when there are none): near
 * 1 for a UTF-8 file with a damaged byte or two. GBK text scores far lower, because its byte pairs
 * rarely line up as UTF-8.
 */
function utf8ValidShare(bytes: Uint8Array): number {
  let nonAscii = 0
  let inValidSequences = 0
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    if (b < 0x80) { i++; continue }
    const length = utf8SequenceLength(bytes, i)
    if (length > 0) {
      nonAscii += length
      inValidSequences += length
      i += length
    } else {
      nonAscii++
      i++
    }
  }
  return nonAscii > 0 ? inValidSequences / nonAscii : 0
}

/** Length of the well-formed UTF-8 sequence starting at `i`, or 0 when there is none. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!
  let length: number
  let min: number
  let max = 0xbf
  if (b >= 0xc2 && b <= 0xdf) { length = 2; min = 0x80 }
  else if (b >= 0xe0 && b <= 0xef) { length = 3; min = b === 0xe0 ? 0xa0 : 0x80; if (b === 0xed) max = 0x9f }
  else if (b >= 0xf0 && b <= 0xf4) { length = 4; min = b === 0xf0 ? 0x90 : 0x80; if (b === 0xf4) max = 0x8f }
  else return 0
  if (i + length > bytes.length) return 0
  const second = bytes[i + 1]!
  if (second < min || second > max) return 0
  for (let k = 2; k < length; k++) {
    const c = bytes[i + k]!
    if (c < 0x80 || c > 0xbf) return 0
  }
  return length
}

/**
 * The Chinese encodings to try. GB18030 comes first (mainland archives use GBK); Big5 goes first only
 * when chardet is sure of it, since on a few characters its guesses are noise and GBK bytes often
 * decode as believable Big5.
 */
function legacyCandidates(bytes: Uint8Array): string[] {
  const matches = chardet.analyse(bytes)
  const confidence = (name: string): number => matches.find((m) => m.name === name)?.confidence ?? 0
  const big5 = confidence('Big5')
  return big5 >= BIG5_SURE && big5 > confidence('GB18030') ? ['big5', 'gb18030'] : ['gb18030', 'big5']
}

const BIG5_SURE = 50

/** A decode is believable when nothing was replaced and most non-ASCII characters are CJK text or punctuation. */
function plausibleChinese(decoded: string): boolean {
  if (decoded.includes('\uFFFD')) return false
  let nonAscii = 0
  let cjk = 0
  for (const ch of decoded) {
    const cp = ch.codePointAt(0)!
    if (cp < 0x80) continue
    nonAscii++
    if (isCjkTextChar(cp)) cjk++
  }
  return cjk * 2 >= nonAscii
}

function isCjkTextChar(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) // unified ideographs
    || (cp >= 0x3400 && cp <= 0x4dbf) // extension A
    || (cp >= 0x3000 && cp <= 0x303f) // CJK punctuation
    || (cp >= 0xff00 && cp <= 0xffef) // full-width forms
    || (cp >= 0x2010 && cp <= 0x2027) // dashes, quotes, ellipsis
}
