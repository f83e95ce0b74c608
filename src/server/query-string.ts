import { badRequest } from './errors.js'

/** A parsed query string: each name to its value, or to all its values when it was repeated. */
export type QueryValues = Record<string, string | string[]>

/** More parameters than any page or script sends; bounds the work a hostile URL can cause. */
const MAX_PARAMETERS = 64

/**
 * Parses a URL query string strictly, as Express's `query parser`.
 * Unlike Node's querystring, a broken %-escape or invalid UTF-8 is a 400 rather than text passed
 * on half-decoded, so the engine never searches for `%E4%B8` literally.
 * The result has no prototype, so `__proto__=…` is just a parameter.
 */
export function parseQueryString(raw: string | null | undefined): QueryValues {
  const values: QueryValues = Object.create(null) as QueryValues
  // Express passes null for a URL without `?` (`GET /search`): no parameters, so a 400 for a missing q.
  if (raw === '' || raw == null) return values
  let count = 0
  for (const pair of raw.split('&')) {
    if (pair === '') continue
    if (++count > MAX_PARAMETERS) throw badRequest(`Too many query parameters (more than ${MAX_PARAMETERS}).`)
    const eq = pair.indexOf('=')
    const name = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq))
    // A value that does not decode is blamed on its parameter, as the other 400s name theirs.
    const value = eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1), name)
    const seen = values[name]
    if (seen === undefined) values[name] = value
    else if (Array.isArray(seen)) seen.push(value)
    else values[name] = [seen, value]
  }
  return values
}

/** application/x-www-form-urlencoded: `+` is a space, then %-escapes as UTF-8. */
function decodeFormComponent(text: string, param?: string): string {
  const spaced = text.replaceAll('+', ' ')
  try {
    return decodeURIComponent(spaced)
  } catch {
    const where = param === undefined ? 'the query string' : `the value of ${param}`
    throw badRequest(`The URL is not valid: bad percent-encoding or invalid UTF-8 in ${where}.`, param)
  }
}
