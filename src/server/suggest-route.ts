import { Router } from 'express'
import { z } from 'zod'
import { suggestionsFor, SuggestionsUnavailableError } from '../suggest/engine-suggestions.js'
import type { SuggestIndex, Suggestion } from '../suggest/suggest-index.js'
import type { SearchEngine } from '../search/engine.js'
import type { EngineHandle } from './engine-handle.js'
import { badRequest, getOnly, HttpError } from './errors.js'
import type { QueryValues } from './query-string.js'
import type { RequestLogFields } from './request-log.js'
import { isBlank, queryChecker, type SearchLimits } from './search-params.js'

/** The body of `GET /suggest`. */
export interface SuggestResponse {
  query: string
  suggestions: Suggestion[]
}

/**
 * `GET /suggest?q=…`: up to 8 completions of what is being typed (README, "GET /suggest").
 * `q` is checked as `/search` checks it: required, given once, not blank, within the length limit.
 */
export function suggestRoutes(engine: EngineHandle, limits: SearchLimits): Router {
  const router = Router()

  router.get('/suggest', (req, res) => {
    const q = parseSuggestQuery(req.query as QueryValues, limits)
    const body: SuggestResponse = { query: q, suggestions: suggester(engine.current()).suggest(q) }
    const logFields: RequestLogFields = { hits: body.suggestions.length }
    res.locals.logFields = logFields
    res.set('Cache-Control', 'no-cache')
    res.json(body)
  })

  router.all('/suggest', getOnly)

  return router
}

/** The engine's suggestions, or the 503 GET /suggest answers for an index built without them (also for the CLI). */
export function suggester(engine: SearchEngine): SuggestIndex {
  try {
    return suggestionsFor(engine)
  } catch (error) {
    if (error instanceof SuggestionsUnavailableError) {
      throw new HttpError(503, 'suggestions_unavailable', 'This index was built without suggestions; rebuild it to enable them.')
    }
    throw error
  }
}

/**
 * The `q` of `GET /suggest` (also for the CLI, so both refuse the same input); an HttpError 400 otherwise.
 *
 * ```ts
 * parseSuggestQuery({ q: '红旗' }, { maxQueryLength: 200 }) // → '红旗'
 * ```
 */
export function parseSuggestQuery(query: QueryValues, limits: SearchLimits): string {
  return checkSuggest(query, limits).q
}

const checkSuggest = queryChecker(querySchema)

function querySchema(maxLength: number) {
  return z.object({
    q: z
      .string({ error: (issue) => (issue.input === undefined ? 'q is required.' : 'q must be given once.') })
      .refine((q) => !isBlank(q), { message: 'q must not be blank.', abort: true })
      .refine((q) => codePoints(q) <= maxLength, { message: `q is longer than ${maxLength} characters.` }),
  })
}

/** Length in characters as /search counts it: code points, so one emoji is one character. */
function codePoints(text: string): number {
  if (text.length <= 1) return text.length
  let count = 0
  for (const _ of text) count++
  return count
}
