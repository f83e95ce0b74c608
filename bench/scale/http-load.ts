/**
 * Requests per second over HTTP on loopback: autocannon in this process against jiansuo's server in a
 * child, cycling through the query log, after a short warm-up whose numbers are discarded. Measured
 * twice, labelled apart: with the server's response cache off (every request is a search) and on,
 * after one pass through the log (every query seen once before, as the repeats of a real log are).
 */
import autocannon from 'autocannon'
import type { LoggedQuery } from './queries.js'

export interface HttpLoadOptions {
  url: string
  queries: readonly LoggedQuery[]
  connections: number
  seconds: number
  warmupSeconds: number
  /** Ask every query of the log once before the timed run (fills the server's response cache). */
  seenOnce?: boolean
}

export interface HttpLoad {
  /** Whether the server cached responses, and the log had been asked once before the timed run. */
  cache: boolean
  connections: number
  seconds: number
  /** Successful responses per second over the timed run. */
  requestsPerSecond: number
  requests: number
  latencyP50Ms: number
  latencyP99Ms: number
  non2xx: number
  errors: number
}

/** `GET /search?q=…&size=10` for each query of the log, in order, then again from the start. */
function searchPaths(queries: readonly LoggedQuery[]): string[] {
  return queries.map(({ q }) => `/search?${new URLSearchParams({ q, size: '10' })}`)
}

export async function measureHttp(options: HttpLoadOptions): Promise<HttpLoad> {
  const paths = searchPaths(options.queries)
  let next = 0
  const requests = [{ setupRequest: (request: { path?: string }) => ({ ...request, method: 'GET', path: paths[next++ % paths.length]! }) }]
  if (options.seenOnce) {
    await autocannon({ url: options.url, connections: options.connections, amount: paths.length, requests })
    next = 0
  }
  if (options.warmupSeconds > 0) await autocannon({ url: options.url, connections: options.connections, duration: options.warmupSeconds, requests })
  const result = await autocannon({ url: options.url, connections: options.connections, duration: options.seconds, requests })
  return {
    cache: options.seenOnce === true,
    connections: options.connections,
    seconds: result.duration,
    requestsPerSecond: result['2xx'] / result.duration,
    requests: result['2xx'],
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}
