/**
 * The query syntax, parsed forgivingly: anything that is not valid syntax is read as plain text, so a
 * user never sees a syntax error.
 *
 *   红旗区 断头路          every word must match (AND)
 *   "十年禁渔"             an exact phrase
 *   -足球                  exclude documents that contain it
 *   新能源 OR 电动车       either one (also `|`, spaced or not); each side is matched as written, as a phrase
 *   title:禁渔             only in titles; category:xwlb and tag:科技 filter
 *   -category:xwlb         leave out a category (or a tag: -tag:科技)
 */
import { classify, isIdeographic, UnitClass } from '../analysis/units.js'

export interface ParsedQuery {
  /** Clauses that must all match; each clause matches when any of its alternatives does. */
  clauses: Alternative[][]
  excluded: Alternative[]
  categories: string[]
  tags: string[]
  excludedCategories: string[]
  excludedTags: string[]
}

export interface Alternative {
  text: string
  /** Quoted: match the whole text as one phrase instead of word by word. */
  phrase: boolean
  /** Typed in quotes (an OR's sides are phrases without being quoted): exactly that text, no synonyms. */
  quoted: boolean
  field: 'any' | 'title'
}

interface Token {
  text: string
  quoted: boolean
  negated: boolean
  prefix: string | null
  /** The whitespace between this token and the one before it. */
  space: string
}

// Book-title marks quote too: 《长安三万里》 names one work, so its words must stand together, as a
// Chinese user expects (and as typing 长安三万里 unquoted would not require).
const OPEN_QUOTES = '"“”「」『』《》〈〉'
const PREFIXES = new Set(['title', 'category', 'tag'])
const BARS = '|'

function tokenize(input: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const n = input.length
  const isSpace = (c: string) => /\s/u.test(c)
  while (i < n) {
    const spaceStart = i
    while (i < n && isSpace(input[i]!)) i++
    if (i >= n) break
    const space = input.slice(spaceStart, i)
    let negated = false
    let prefix: string | null = null
    // A leading minus negates only when something follows it.
    if (input[i] === '-' && i + 1 < n && !isSpace(input[i + 1]!)) {
      negated = true
      i++
    }
    const prefixMatch = /^([a-zA-Z]+):/u.exec(input.slice(i, i + 12))
    if (prefixMatch && PREFIXES.has(prefixMatch[1]!.toLowerCase())) {
      // `title: 禁渔`, typed with a space after the colon, means title:禁渔; with nothing after it, `title:` is text.
      let next = i + prefixMatch[0].length
      while (next < n && isSpace(input[next]!)) next++
      if (next < n) {
        prefix = prefixMatch[1]!.toLowerCase()
        i = next
      }
    }
    if (OPEN_QUOTES.includes(input[i]!)) {
      const close = findClosingQuote(input, i + 1)
      if (close > 0) {
        tokens.push({ text: input.slice(i + 1, close), quoted: true, negated, prefix, space })
        i = close + 1
        continue
      }
      i++ // an unbalanced quote is ignored
    }
    // A bar is OR with or without spaces around it (新能源汽车|电动车), so it is a token of its own.
    if (BARS.includes(input[i]!)) {
      tokens.push({ text: '|', quoted: false, negated, prefix, space })
      i++
      continue
    }
    const start = i
    while (i < n && !isSpace(input[i]!) && !BARS.includes(input[i]!) && !(i > start && OPEN_QUOTES.includes(input[i]!))) i++
    const text = input.slice(start, i)
    if (text) tokens.push({ text, quoted: false, negated, prefix, space })
  }
  return tokens
}

/**
 * A lone Han character set apart from letters or digits only by a typographic space (`35 岁`, `第 160 期`)
 * belongs to them, as it does in the text (units.ts): `程序员 35 岁` asks what `程序员 35岁` asks, with
 * no lone 岁 required on its own. Longer words keep their space: `5月份 CPI` is two words the user set apart.
 */
function joinTypographicSpaces(tokens: Token[]): Token[] {
  const out: Token[] = []
  for (const token of tokens) {
    const last = out[out.length - 1]
    const joins =
      last !== undefined && isPlainWord(last) && isPlainWord(token) && token.space.length <= 2 &&
      (isLoneHan(last.text) || isLoneHan(token.text)) && hanMeetsLetters(last.text, token.text)
    if (joins) last.text += token.text
    else out.push({ ...token })
  }
  return out
}

function isLoneHan(text: string): boolean {
  return [...text].length === 1 && isIdeographic(text)
}

function isPlainWord(token: Token): boolean {
  return !token.quoted && !token.negated && token.prefix === null && token.text !== 'OR' && token.text !== '|'
}

/**
 * Whether one side of the meeting point is Han and the other a Latin letter or digit (the query is
 * half-width by now, so full-width forms are among them).
 */
function hanMeetsLetters(before: string, after: string): boolean {
  const last = classify([...before].at(-1)!.codePointAt(0)!)
  const first = classify(after.codePointAt(0)!)
  const letter = (c: UnitClass) => c === UnitClass.Letter || c === UnitClass.Digit
  return (last === UnitClass.Ideograph && letter(first)) || (letter(last) && first === UnitClass.Ideograph)
}

function findClosingQuote(input: string, from: number): number {
  for (let i = from; i < input.length; i++) if (OPEN_QUOTES.includes(input[i]!)) return i
  return -1
}

/**
 * Full-width forms as their ASCII: a Chinese input method in full-width mode types ＂十年禁渔＂, ＯＲ and
 * ｔｉｔｌｅ：, which mean what their ASCII forms mean. One code unit for one, as the fold maps them anyway.
 */
function halfWidth(input: string): string {
  return input.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

export function parseQuery(input: string): ParsedQuery {
  const parsed: ParsedQuery = { clauses: [], excluded: [], categories: [], tags: [], excludedCategories: [], excludedTags: [] }
  const tokens = joinTypographicSpaces(tokenize(halfWidth(input)))
  let pendingOr = false
  // OR after an exclusion leaves out either side: `-足球|篮球` keeps neither word, as typed.
  let pendingExclusion = false
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!
    const isOr = !token.quoted && !token.negated && !token.prefix && (token.text === 'OR' || token.text === '|')
    const previous = tokens[k - 1]
    if (isOr && k + 1 < tokens.length && previous?.negated && previous.prefix === null) {
      pendingExclusion = true
      continue
    }
    if (isOr) {
      // OR joins two neighbours; at either end of the query it is just text.
      if (parsed.clauses.length > 0 && k + 1 < tokens.length) {
        pendingOr = true
        continue
      }
    }
    if (token.prefix === 'category' || token.prefix === 'tag') {
      pendingExclusion = false
      const category = token.prefix === 'category'
      const list = token.negated ? (category ? parsed.excludedCategories : parsed.excludedTags) : category ? parsed.categories : parsed.tags
      if (token.text.trim()) list.push(token.text.trim())
      continue
    }
    const alternative: Alternative = { text: token.text, phrase: token.quoted, quoted: token.quoted, field: token.prefix === 'title' ? 'title' : 'any' }
    if (token.negated || pendingExclusion) {
      pendingExclusion = false
      parsed.excluded.push(alternative)
      pendingOr = false
      continue
    }
    if (pendingOr) {
      const last = parsed.clauses[parsed.clauses.length - 1]!
      // An alternative of OR is matched as one phrase: `新能源汽车 OR 电动车` means either string.
      if (last.length === 1) last[0]!.phrase = true
      last.push({ ...alternative, phrase: true })
      pendingOr = false
    } else {
      parsed.clauses.push([alternative])
    }
  }
  return parsed
}
