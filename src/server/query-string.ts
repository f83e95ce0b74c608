import { badRequest } from './errors.js'

/** A parsed query string: each name to its value, or to all its values when it was repeated. */
export type QueryValues = Record<string, string | string[]>

/**
 * The parameters whose value did not decode, kept beside the others (not among them): a route refuses
 * one it reads (see undecodedParams) and ignores the rest, as it ignores any name it does not know
 * (`utm_source=%E4%B8` pasted from a broken link).
 */
const UNDECODED = Symbol('undecoded parameters')

/** More parameters than any page or script sends; bounds the work a hostile URL can cause. */
const MAX_PARAMETERS = 64

/**
 * Parses a URL query string strictly, as Express's `query parser`.
 * Unlike Node's querystring, a broken %-escape or invalid UTF-8 is never text passed on half-decoded,
 * so the engine never searches for `%E4%B8` literally: a route that reads the parameter refuses it (400).
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
    // A name that does not decode is no name a route knows.
    if (name === null) continue
    const value = eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1))
    if (value === null) {
      undecoded(values).add(name)
      continue
    }
    const seen = values[name]
    if (seen === undefined) values[name] = value
    else if (Array.isArray(seen)) seen.push(value)
    else values[name] = [seen, value]
  }
  return values
}

/**
 * Throws the 400 for the first of `known` (a route's parameter names) whose value did not decode,
 * blamed on its parameter as the other 400s name theirs.
 */
export function refuseUndecoded(values: QueryValues, known: Record<string, unknown>): void {
  const names = (values as { [UNDECODED]?: Set<string> })[UNDECODED]
  for (const param of names ?? []) {
    if (Object.hasOwn(known, param)) throw badRequest(`The URL is not valid: bad percent-encoding or invalid UTF-8 in the value of ${param}.`, param)
  }
}

function undecoded(values: QueryValues): Set<string> {
  const holder = values as { [UNDECODED]?: Set<string> }
  return (holder[UNDECODED] ??= new Set())
}

/** application/x-www-form-urlencoded: `+` is a space, then %-escapes as UTF-8; null when they do not decode. */
function decodeFormComponent(text: string): string | null {
  const spaced = text.replaceAll('+', ' ')
  try {
    return decodeURIComponent(spaced)
  } catch {
    return null
  }
}
