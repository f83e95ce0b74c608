import { writtenScalars } from './front-matter.js'
import { MAX_FACET_CHARS } from './document.js'
import { cleanLine } from './paragraphs.js'
import { formatInstant, parsePostDate } from './post-date.js'

/** Front matter keys naming the post's source link, the first written one winning (Jekyll's own `url` is computed, so rarely written). */
const LINK_KEYS = ['source_url', 'link', 'url'] as const

/** The front matter keys that become Document fields; every other key goes to `extra`. */
const FIELD_KEYS = new Set<string>(['title', 'date', 'categories', 'category', 'tags', 'source', ...LINK_KEYS])

/** A source named in the front matter is cut to this many characters: it is a publication's name, shown beside the date. */
const FRONT_MATTER_SOURCE_MAX_CHARS = 100

/**
 * How many values `tags`, `categories` and `extra` may hold between them. YAML aliases can make a
 * few lines stand for billions of values; copying them out must stop somewhere.
 */
export const MAX_FRONT_MATTER_VALUES = 10_000

// Jekyll splits a `categories`/`tags` string on spaces; commas are accepted too (`tags: a, b`).
const LIST_SEPARATOR = /[\s,，]+/

export interface PostFields {
  /** As written, whitespace collapsed; `''` when the front matter has none. */
  title: string
  date: string | null
  categories: string[]
  tags: string[]
  /** The source link (`source_url`, `link` or `url`), an http(s) URL; null when none is written. */
  url: string | null
  /** The publication the post comes from (`source`); null when none is written. */
  source: string | null
  extra: Record<string, unknown>
  problems: { code: string; message: string }[]
}

/**
 * Reads the Document fields from parsed front matter. `block` is the front matter as written; YAML
 * turns some dates into instants and some titles into numbers, and the written form is what we keep.
 */
export function readPostFields(data: Record<string, unknown>, block: string, fileName = ''): PostFields {
  const written = writtenScalars(block)
  const problems: PostFields['problems'] = []
  const title = readTitle(data['title'], written)
  if (title === null) problems.push({ code: 'bad_title', message: 'title is not text (a list or a mapping); ignored' })

  const date = readDate(data['date'], written, fileName)
  if (date.problem) problems.push(date.problem)

  const budget = { left: MAX_FRONT_MATTER_VALUES }
  const categoryLists = [listOf(data['categories'], budget), listOf(data['category'], budget, { split: false })]
  const categories = facetValues(unique(categoryLists.flatMap((list) => list.items)), 'category', problems)
  const tagList = listOf(data['tags'], budget)
  const tags = facetValues(tagList.items, 'tag', problems)
  notMappings(categoryLists[0]!.mappings + categoryLists[1]!.mappings, 'categories', problems)
  notMappings(tagList.mappings, 'tags', problems)
  const url = readLink(data, problems)
  const source = readSource(data['source'], written, problems)
  const extra = extraOf(data, written, budget)
  if (budget.left < 0) {
    problems.push({ code: 'front_matter_truncated', message: `front matter holds more than ${MAX_FRONT_MATTER_VALUES} values or nests deeper than ${MAX_EXTRA_DEPTH}; the rest was left out` })
  }
  return { title: title ?? '', date: date.value, categories, tags, url, source, extra, problems }
}

/** The first link key written that holds an http(s) URL; each written one that does not is noted and left out (a page's own path, `/2024/…`, is no source). */
function readLink(data: Record<string, unknown>, problems: PostFields['problems']): string | null {
  for (const key of LINK_KEYS) {
    const value = data[key]
    if (value === undefined || value === null || value === '') continue
    const text = typeof value === 'string' ? value.trim() : null
    if (text !== null && /^https?:\/\/[^\s<>"]+$/i.test(text) && URL.canParse(text)) return text
    problems.push({ code: 'bad_url', message: `${key} ${quoted(text ?? JSON.stringify(value) ?? String(value))} is not an http(s) link; left out` })
  }
  return null
}

function readSource(value: unknown, written: Written, problems: PostFields['problems']): string | null {
  if (value === undefined || value === null || value === '') return null
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? (written.get('source') ?? String(value)) : null
  if (text === null) {
    problems.push({ code: 'bad_source', message: 'source is not text (a list or a mapping); ignored' })
    return null
  }
  const line = cleanLine(text)
  const chars = Array.from(line)
  return line === '' ? null : chars.length > FRONT_MATTER_SOURCE_MAX_CHARS ? chars.slice(0, FRONT_MATTER_SOURCE_MAX_CHARS).join('').trimEnd() : line
}

type Written = ReadonlyMap<string, string>

function readTitle(value: unknown, written: Written): string | null {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return cleanLine(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value instanceof Date) {
    return cleanLine(written.get('title') ?? String(value))
  }
  return null
}

/** A Jekyll post's file name starts with its day: `2024-03-15-title.md`. */
const FILE_NAME_DAY = /^(\d{4}-\d{2}-\d{2})-/

function readDate(value: unknown, writtenForms: Written, fileName: string): { value: string | null; problem: { code: string; message: string } | null } {
  // As Jekyll does, a post without a date key is dated by its file name (at midnight).
  const day = FILE_NAME_DAY.exec(fileName)?.[1]
  const fromName = day === undefined ? null : parsePostDate(day)
  if (value === undefined || value === null || value === '') {
    if (fromName !== null) return { value: fromName, problem: { code: 'date_from_file_name', message: `the front matter has no date; dated ${day} by the file name` } }
    return { value: null, problem: { code: 'no_date', message: 'the front matter has no date' } }
  }
  // Nothing written on the key's own line (the value on the next): only the parsed value is known.
  const written = typeof value === 'string' ? value : writtenForms.get('date') || null
  const parsed = written === null ? null : parsePostDate(written)
  if (parsed !== null) return { value: parsed, problem: null }
  // A YAML instant whose written form we could not read back: keep the instant, shown in the default offset.
  if (value instanceof Date && written === null) {
    const instant = formatInstant(value)
    if (instant !== null) return { value: instant, problem: null }
  }
  // A date mistyped (2023-02-30) still leaves the day the file name gives, which is the post's in a Jekyll site.
  const fallback = fromName === null ? 'the post has none' : `dated ${day} by the file name`
  return { value: fromName, problem: { code: 'bad_date', message: `date ${quoted(written ?? String(value))} is not a date; ${fallback}` } }
}

/** A value as a note quotes it: 40 characters at most, so a megabyte pasted into a field is not printed and stored whole. */
function quoted(text: string): string {
  const chars = Array.from(text.slice(0, 2 * QUOTED_CHARS))
  return JSON.stringify(chars.length > QUOTED_CHARS ? `${chars.slice(0, QUOTED_CHARS).join('')}…` : text)
}

const QUOTED_CHARS = 40

/**
 * A `categories`/`tags` value as a list: a YAML list as is, a string split on spaces and commas; and how
 * many mappings (`{a: b}`) it held, which name no category or tag.
 */
function listOf(value: unknown, budget: Budget, opts: { split: boolean } = { split: true }): { items: string[]; mappings: number } {
  const items: string[] = []
  let mappings = 0
  const add = (item: unknown, split: boolean): void => {
    if (--budget.left < 0) return
    if (typeof item === 'string') {
      if (!split) items.push(item)
      else for (const part of item.split(LIST_SEPARATOR)) if (--budget.left >= 0) items.push(part)
    } else if (typeof item === 'number' || typeof item === 'boolean' || typeof item === 'bigint') {
      items.push(String(item))
    } else if (item instanceof Date && !Number.isNaN(item.getTime())) {
      items.push(item.toISOString().slice(0, 10))
    } else if (Array.isArray(item)) {
      if (depth >= MAX_EXTRA_DEPTH) return
      depth++
      for (const inner of item) add(inner, false)
      depth--
    } else if (item !== null && typeof item === 'object') {
      mappings++
    }
  }
  let depth = 0
  add(value, opts.split)
  return { items: unique(items.map(cleanLine).filter((item) => item !== '')), mappings }
}

/** A note for the mappings a `categories` or `tags` value held, which were left out. */
function notMappings(count: number, key: 'categories' | 'tags', problems: PostFields['problems']): void {
  if (count === 0) return
  problems.push({ code: `bad_${key}`, message: `${key} held ${count} mapping(s) (key: value) rather than names; they were left out` })
}

/** The other keys, made JSON-safe (instants become their written text or ISO form, bytes base64). */
function extraOf(data: Record<string, unknown>, written: Written, budget: Budget): Record<string, unknown> {
  const extra = jsonSafe(Object.fromEntries(Object.entries(data).filter(([key]) => !FIELD_KEYS.has(key))), budget)
  if (extra === null || typeof extra !== 'object') return {}
  const fields = extra as Record<string, unknown>
  for (const [key, value] of Object.entries(data)) {
    // a top-level date keeps its written form, offset included
    if (value instanceof Date && Object.hasOwn(fields, key)) fields[key] = written.get(key) ?? fields[key]
  }
  return fields
}

type Budget = { left: number }

/** Deeper values are cut off like values over the budget. */
const MAX_EXTRA_DEPTH = 64

/** A copy that JSON and structured clone can carry, at most `budget` values large and {@link MAX_EXTRA_DEPTH} deep. */
function jsonSafe(value: unknown, budget: Budget, depth = 0): unknown {
  if (--budget.left < 0) return null
  if (depth > MAX_EXTRA_DEPTH) {
    budget.left = -1
    return null
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(value)) return value.map((item) => jsonSafe(item, budget, depth + 1))
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  if (typeof value === 'function' || typeof value === 'symbol' || value === undefined) return null
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a `__proto__` key stays a key
    return Object.fromEntries(Object.entries(value).map(([k, v]): [string, unknown] => [k, jsonSafe(v, budget, depth + 1)]))
  }
  return value
}

/** One line of text: runs of white space as one space, and the control characters a YAML escape can write (`"\\0"`) gone. */
function facetValues(values: string[], kind: 'category' | 'tag', problems: PostFields['problems']): string[] {
  let cut = 0
  const kept = values.map((value) => {
    if (value.length <= MAX_FACET_CHARS) return value
    const chars = Array.from(value)
    if (chars.length <= MAX_FACET_CHARS) return value
    cut++
    return chars.slice(0, MAX_FACET_CHARS).join('').trimEnd()
  })
  if (cut > 0) problems.push({ code: 'long_facet', message: `${cut} ${kind === 'tag' ? 'tag' : 'category'} value(s) longer than ${MAX_FACET_CHARS} characters were cut to that length` })
  return cut > 0 ? unique(kept) : kept
}


function unique(items: string[]): string[] {
  return [...new Set(items)]
}
