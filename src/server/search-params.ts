import { z } from 'zod'
import { MAX_FACET_CHARS } from '../ingest/document.js'
import { cleanLine } from '../ingest/paragraphs.js'
import { FACET_NAMES, type FacetName, type SearchParams } from '../search/types.js'
import { badRequest } from './errors.js'
import { refuseUndecoded, type QueryValues } from './query-string.js'

/** What a request may ask for, beyond the fixed bounds of CONTRACT.md. */
export interface SearchLimits {
  /** Longest `q` (and `category`, `tag`) accepted, in characters. */
  maxQueryLength: number
}

export const MAX_PAGE_SIZE = 100
/** Deep pages cost the same ranking as page 1 and nobody reads them; the cap keeps `page` a sane integer. */
export const MAX_PAGE = 10_000
export const DEFAULT_PAGE_SIZE = 10

/**
 * Validates the query of `GET /search` (also usable by the CLI, so both reject the same input).
 * Throws an HttpError 400 whose message names the parameter at fault.
 *
 * ```ts
 * parseSearchParams({ q: '红旗区 断头路', size: '5' }, { maxQueryLength: 200 })
 * // → { q: '红旗区 断头路', page: 1, size: 5, sort: 'relevance', … }
 * ```
 */
export function parseSearchParams(query: QueryValues, limits: SearchLimits): SearchParams {
  return checkSearch(query, limits)
}

const checkSearch = queryChecker((maxQueryLength) => buildSchema({ maxQueryLength }))

/**
 * A checker of a request's parameters by the schema `build` makes for the query-length limit (once per
 * limit): the parsed values, or an HttpError 400 whose message names the parameter at fault.
 * GET /search, /suggest and /doc (and the CLI) check theirs so.
 */
export function queryChecker<T>(build: (maxQueryLength: number) => ParamsSchema<T>): (query: QueryValues, limits: SearchLimits) => T {
  const schemas = new Map<number, ParamsSchema<T>>()
  return (query, { maxQueryLength }) => {
    let schema = schemas.get(maxQueryLength)
    if (schema === undefined) schemas.set(maxQueryLength, (schema = build(maxQueryLength)))
    refuseUndecoded(query, schema.shape)
    refuseBracketed(query, schema.shape)
    const parsed = schema.safeParse(query)
    if (parsed.success) return parsed.data
    const issue = parsed.error.issues[0]
    const param = issue?.path[0]
    throw badRequest(issue?.message ?? 'Invalid parameters.', typeof param === 'string' ? param : undefined)
  }
}

/** A schema of a request's parameters: an object schema, whose shape names them. */
type ParamsSchema<T> = z.ZodType<T> & { shape: Record<string, unknown> }

/** `name[]` or `name[anything]`: the name before the brackets. */
const BRACKETED = /^([^[\]]+)\[[^\]]*\]$/

/**
 * Refuses a known parameter written with brackets (`category[]=x`, `tag[0]=x`), as form libraries
 * write arrays: an object schema drops names it does not know, so the filter was silently not applied.
 * Other unknown names stay ignored (a link may carry `utm_source`).
 */
function refuseBracketed(query: QueryValues, known: Record<string, unknown>): void {
  for (const name of Object.keys(query)) {
    const base = BRACKETED.exec(name)?.[1]
    if (base !== undefined && Object.hasOwn(known, base)) {
      throw badRequest(`${base} is given as ${name}: give it once, as ${base}=… (a parameter takes one value).`, base)
    }
  }
}

function buildSchema({ maxQueryLength }: SearchLimits) {
  return z
    .object({
      q: single('q')
        .refine((q) => !isBlank(q), { message: 'q must not be blank.', abort: true })
        .refine((q) => !longerThan(q, maxQueryLength), { message: `q is longer than ${maxQueryLength} characters.` }),
      page: wholeNumber('page', 1, MAX_PAGE, 1),
      size: wholeNumber('size', 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
      // Every category and tag a post can have fits, whatever the query's limit (see MAX_FACET_CHARS).
      category: optionalText('category', filterLength(maxQueryLength)),
      tag: optionalText('tag', filterLength(maxQueryLength)),
      from: optionalDay('from'),
      to: optionalDay('to'),
      sort: optional(
        'sort',
        z.enum(['relevance', 'date'], { error: (issue) => `sort must be relevance or date (got ${shown(issue.input)}).` }),
      ).transform((sort) => sort ?? 'relevance'),
      facets: optional('facets', z.string().transform(facetList)),
    })
    .superRefine((params, ctx) => {
      if (params.from !== undefined && params.to !== undefined && params.from > params.to) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: `from (${params.from}) is after to (${params.to}).` })
      }
    })
}

/** A parameter given exactly once: `?q=a&q=b` is ambiguous, so it is refused rather than guessed. */
export function single(name: string) {
  return z.string({
    error: (issue) => (issue.input === undefined ? `${name} is required.` : `${name} must be given once.`),
  })
}

/** Forms send empty fields (`category=`); an empty optional parameter means "not given". */
function optional<T extends z.ZodType<unknown, string>>(name: string, inner: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), single(name).pipe(inner).optional())
}

function wholeNumber(name: string, min: number, max: number, fallback: number) {
  const message = (input: unknown) => `${name} must be a whole number from ${min} to ${max} (got ${shown(input)}).`
  return optional(
    name,
    z.string().transform((text, ctx) => {
      // Leading zeros change nothing (`page=0000000002` is page 2); more than nine other digits is out of range anyway.
      const digits = text.replace(/^0+(?=\d)/, '')
      const value = /^\d{1,9}$/.test(digits) ? Number(digits) : NaN
      if (!(value >= min && value <= max)) {
        ctx.addIssue({ code: 'custom', message: message(text) })
        return z.NEVER
      }
      return value
    }),
  ).transform((value) => value ?? fallback)
}

/** Whether text holds nothing visible: what cleaning a post's line leaves of it (spaces, zero-width and control characters go). */
export function isBlank(text: string): boolean {
  return cleanLine(text) === ''
}

/** Longest `category` or `tag` accepted: the query's limit, but never less than a post's longest value. */
export function filterLength(maxQueryLength: number): number {
  return Math.max(maxQueryLength, MAX_FACET_CHARS)
}

export function optionalText(name: string, maxLength: number) {
  return optional(
    name,
    z.string().refine((text) => !longerThan(text, maxLength), { message: `${name} is longer than ${maxLength} characters.` }),
  )
}

function optionalDay(name: string) {
  return optional(
    name,
    z.string().superRefine((text, ctx) => {
      if (!isCalendarDay(text)) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a date written YYYY-MM-DD, such as 2024-03-29 (got ${shown(text)}).` })
      }
    }),
  )
}

/** `facets=category,tag,year`: names from FACET_NAMES, any order, each counted once. */
function facetList(text: string, ctx: z.RefinementCtx<string>): FacetName[] {
  const names = text.split(',').map((name) => name.trim())
  const unknown = names.find((name) => !(FACET_NAMES as readonly string[]).includes(name))
  if (unknown !== undefined) {
    ctx.addIssue({ code: 'custom', message: `facets must be a comma-separated list of ${FACET_NAMES.join(', ')} (got ${shown(unknown)}).` })
    return z.NEVER
  }
  return [...new Set(names as FacetName[])]
}

/** `YYYY-MM-DD` naming a day that exists (no 2023-02-29, no month 13). */
export function isCalendarDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (match === null) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** Whether `text` has more than `max` characters, counting code points so one emoji is one character. */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false
  let count = 0
  for (const _ of text) if (++count > max) return true
  return false
}

/** A client's value quoted for an error message, cut short so a huge value is not echoed back. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value)
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)
}
