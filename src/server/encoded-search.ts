import type { SearchResponse } from '../search/types.js'

/**
 * A `/search` body serialized once (in whichever thread searched), with the place of its `took_ms`
 * value marked, so a cached copy can be sent with the time of the request that reuses it.
 */
export interface EncodedSearch {
  /** The index generation that answered. */
  generation: string
  /** UTF-8 JSON; its took_ms value is `bytes[tookStart, tookEnd)`, or tookStart is -1 when not found. */
  bytes: Uint8Array
  tookStart: number
  tookEnd: number
  tookMs: number
  /** For the request log. */
  hits: number
  total: number
}

const TOOK_KEY = '"took_ms":'
const encoder = new TextEncoder()

export function encodeSearch(response: SearchResponse, generation: string): EncodedSearch {
  const json = JSON.stringify(response)
  // The first match is the field itself: inside a JSON string every quote is escaped.
  const key = json.indexOf(TOOK_KEY)
  const bytes = encoder.encode(json)
  let tookStart = -1
  let tookEnd = -1
  if (key !== -1) {
    tookStart = Buffer.byteLength(json.slice(0, key + TOOK_KEY.length))
    tookEnd = tookStart + JSON.stringify(response.took_ms).length
  }
  return { generation, bytes, tookStart, tookEnd, tookMs: response.took_ms, hits: response.hits.length, total: response.total }
}

/** The body as it was answered, as the parts to write. */
export function bodyOf(encoded: EncodedSearch): Uint8Array[] {
  return [encoded.bytes]
}

/**
 * The body with `took_ms` replaced by this request's own time, as the parts to write: views of the
 * cached bytes around the new value, not a copy of the whole body for every cache hit.
 */
export function bodyWithTook(encoded: EncodedSearch, tookMs: number): Uint8Array[] {
  const { bytes, tookStart, tookEnd } = encoded
  if (tookStart < 0) return [bytes]
  return [bytes.subarray(0, tookStart), Buffer.from(JSON.stringify(tookMs), 'latin1'), bytes.subarray(tookEnd)]
}

/** Milliseconds as took_ms writes them: two decimals. */
export const roundMs = (ms: number): number => Math.round(ms * 100) / 100
