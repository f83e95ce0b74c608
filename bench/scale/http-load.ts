/**
 * Requests per second over HTTP on loopback against jiansuo's server in a child, cycling through the
 * query log, after a warm-up whose numbers are discarded (see bench/run.ts). Measured twice, labelled apart: with the
 * server's response cache off (every request is a search) and on, after one pass through the log (every
 * query seen once before, as the repeats of a real log are).
 *
 * The load comes from wrk (one thread, a process of its own) when it is on PATH, else from autocannon in
 * this process, which on a 2-core machine takes most of a core from the server it measures; the result
 * names the tool. The untimed pass that fills the cache is autocannon's either way (wrk cannot stop after
 * a number of requests).
 */
import autocannon from 'autocannon'
import type { LoggedQuery } from './queries.js'
import { findWrk, runWrk } from './wrk.js'

export type LoadTool = 'wrk' | 'autocannon'

export interface HttpLoadOptions {
  url: string
  queries: readonly LoggedQuery[]
  tool: LoadTool
  connections: number
  /** Whole seconds (wrk takes no fractions). */
  seconds: number
  warmupSeconds: number
  /** Ask every query of the log once before the timed run (fills the server's response cache). */
  seenOnce?: boolean
}

export interface HttpLoad {
  /** Whether the server cached responses, and the log had been asked once before the timed run. */
  cache: boolean
  /** The load generator of the timed run. */
  tool: LoadTool
  /** Seconds of untimed load before it. */
  warmupSeconds: number
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

type TimedRun = Omit<HttpLoad, 'cache' | 'tool' | 'connections' | 'warmupSeconds'>

function requireWrk(): string {
  const wrk = findWrk()
  if (!wrk) throw new Error('wrk is not on PATH: `apt-get install wrk`, or ask for `--load-tool autocannon`')
  return wrk
}

/** `requested` (wrk or autocannon; wrk must be on PATH), or by default wrk when present, else autocannon. */
export function chooseLoadTool(requested?: string): LoadTool {
  if (requested === undefined) return findWrk() ? 'wrk' : 'autocannon'
  if (requested !== 'wrk' && requested !== 'autocannon') throw new Error(`--load-tool wants wrk or autocannon, got ${requested}`)
  if (requested === 'wrk') requireWrk()
  return requested
}

/** `GET /search?q=…&size=10` for each query of the log, in order, then again from the start. */
function searchPaths(queries: readonly LoggedQuery[]): string[] {
  return queries.map(({ q }) => `/search?${new URLSearchParams({ q, size: '10' })}`)
}

/** autocannon's request list asking `paths` in order; runs given the same list continue where the last stopped. */
function inOrder(paths: readonly string[]) {
  let next = 0
  return [{ setupRequest: (request: { path?: string }) => ({ ...request, method: 'GET', path: paths[next++ % paths.length]! }) }]
}

async function timedWithAutocannon(options: HttpLoadOptions, paths: readonly string[]): Promise<TimedRun> {
  const { url, connections } = options
  const requests = inOrder(paths)
  if (options.warmupSeconds > 0) await autocannon({ url, connections, duration: options.warmupSeconds, requests })
  const result = await autocannon({ url, connections, duration: options.seconds, requests })
  return {
    seconds: result.duration,
    requestsPerSecond: result['2xx'] / result.duration,
    requests: result['2xx'],
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

async function timedWithWrk(options: HttpLoadOptions, paths: readonly string[]): Promise<TimedRun> {
  const run = { wrk: requireWrk(), url: options.url, paths, connections: options.connections }
  if (options.warmupSeconds > 0) await runWrk({ ...run, seconds: options.warmupSeconds })
  const summary = await runWrk({ ...run, seconds: options.seconds })
  const e = summary.errors
  // wrk counts a response with status ≥ 400, or slower than its timeout, among its requests; a socket error is no response.
  const successful = summary.requests - e.status - e.timeout
  const seconds = summary.durationUs / 1e6
  return {
    seconds: Math.round(seconds * 100) / 100,
    requestsPerSecond: successful / seconds,
    requests: successful,
    latencyP50Ms: summary.latencyP50Us / 1000,
    latencyP99Ms: summary.latencyP99Us / 1000,
    non2xx: e.status,
    errors: e.connect + e.read + e.write + e.timeout,
  }
}

export async function measureHttp(options: HttpLoadOptions): Promise<HttpLoad> {
  const paths = searchPaths(options.queries)
  if (options.seenOnce) await autocannon({ url: options.url, connections: options.connections, amount: paths.length, requests: inOrder(paths) })
  const timed = options.tool === 'wrk' ? await timedWithWrk(options, paths) : await timedWithAutocannon(options, paths)
  return { cache: options.seenOnce === true, tool: options.tool, connections: options.connections, warmupSeconds: options.warmupSeconds, ...timed }
}
