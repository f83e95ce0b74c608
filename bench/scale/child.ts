/**
 * One measurement in a process of its own, so peak RSS belongs to one system and one phase:
 *
 *   node dist/bench/scale/child.js '<task as JSON>'
 *
 * Started by run.ts with fork(); the result goes back over the IPC channel as `{ok, result | error}`.
 * Tasks: `parse` (read a posts folder with jiansuo's ingest, one thread, and save the Documents for the
 * peers), `build` (one system's index into an empty folder), `serve` (load it and time the query log),
 * `http` (jiansuo's server on loopback until the parent says stop). Each task imports only what it uses,
 * so a peer's process holds none of jiansuo's modules.
 */
import { readFileSync, statSync } from 'node:fs'
import type { Document } from '../../src/ingest/index.js'
import { bytesByName } from './disk.js'
import { summarize, timeEach, timePass, type LatencySummary } from './latency.js'
import { readNdjson, writeNdjson } from './ndjson.js'
import type { LoggedQuery, QueryKind } from './queries.js'
import { SCALE_SYSTEMS } from './systems/index.js'
import { secondsSince, type ScaleSystem, type Searcher } from './systems/system.js'

export type ChildTask =
  | { phase: 'parse'; postsDir: string; documentsFile: string }
  | { phase: 'build'; system: string; postsDir: string; documentsFile: string | null; indexDir: string }
  | { phase: 'serve'; system: string; indexDir: string; queriesFile: string; warmup: number; passes: number }
  /** `workers`: search threads (0 = the main thread); `cacheMB`: the response cache (0 = off). */
  | { phase: 'http'; indexDir: string; workers: number; cacheMB: number }

/** What every task reports about its own process. */
export interface ProcessUsage {
  /** Peak resident set size of this process (all its threads), bytes. */
  maxRssBytes: number
  /** CPU seconds (user + system) over the process's life; above wall time means more than one core was busy. */
  cpuSeconds: number
}

export interface ParseResult extends ProcessUsage {
  seconds: number
  documents: number
  skipped: number
  /** Bytes of the post files read. */
  fileBytes: number
  /** UTF-8 bytes of the searchable text: titles and paragraphs. */
  textBytes: number
}

export interface BuildResult extends ProcessUsage {
  /** Wall seconds of the whole build as timed here (index + save); jiansuo's includes parsing. */
  seconds: number
  indexSeconds: number
  saveSeconds: number
  bytes: number
  /** Bytes per file name in the index folder. */
  files: Record<string, number>
  details: Record<string, unknown>
}

export interface SuggestMeasure {
  /** Importing the stored suggestion index on first use, milliseconds. */
  importMs: number
  latency: LatencySummary
}

export interface ServeResult extends ProcessUsage {
  /** Opening the index from disk until it can answer, milliseconds. */
  loadMs: number
  /** The first query after loading, milliseconds (not part of the latencies). */
  firstQueryMs: number
  latency: LatencySummary
  /** CPU time (user + system) of the timed pass per query, milliseconds: less sensitive than wall time to a busy machine. */
  cpuMsPerQuery: number
  byKind: Partial<Record<QueryKind, LatencySummary>>
  /** Peak RSS once the index is loaded and the whole log answered, before suggestions load. */
  servingRssBytes: number
  zeroHitQueries: number
  suggest: SuggestMeasure | null
}

/** `maxRssBytes` is the serving process's peak RSS (VmHWM): main thread, search threads, the shared index. */
export interface HttpResult extends ProcessUsage {
  loadMs: number
  /** Search threads the server ran. */
  workers: number
}

/** Messages a child sends: `ready` only from `http`, when it is listening. */
export type ChildMessage = { ok: true; result: unknown } | { ok: false; error: string } | { ready: string }

/** Longest typed prefix measured for suggestions, in characters. */
const SUGGEST_PREFIX = 3

function usage(): ProcessUsage {
  const u = process.resourceUsage()
  return { maxRssBytes: u.maxRSS * 1024, cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6 }
}

async function loadSystem(key: string): Promise<ScaleSystem> {
  const load = SCALE_SYSTEMS[key]
  if (!load) throw new Error(`unknown system ${key}`)
  return load()
}

async function parse(task: Extract<ChildTask, { phase: 'parse' }>): Promise<ParseResult> {
  const { ingestFolder, listPostFiles } = await import('../../src/ingest/index.js')
  const started = performance.now()
  const { documents, skipped } = await ingestFolder(task.postsDir)
  const seconds = secondsSince(started)
  writeNdjson(task.documentsFile, documents)
  const { files } = await listPostFiles(task.postsDir)
  let fileBytes = 0
  for (const file of files) fileBytes += statSync(file.absPath).size
  let textBytes = 0
  for (const doc of documents) textBytes += Buffer.byteLength(doc.title) + doc.paragraphs.reduce((n, p) => n + Buffer.byteLength(p), 0)
  return { seconds, documents: documents.length, skipped: skipped.length, fileBytes, textBytes, ...usage() }
}

async function build(task: Extract<ChildTask, { phase: 'build' }>): Promise<BuildResult> {
  const system = await loadSystem(task.system)
  const documents: Document[] = []
  if (system.wantsDocuments) {
    if (!task.documentsFile) throw new Error(`${system.name} is built from parsed documents; none were given`)
    for await (const doc of readNdjson<Document>(task.documentsFile)) documents.push(doc)
  }
  const started = performance.now()
  const split = await system.build({ postsDir: task.postsDir, documents }, task.indexDir)
  const seconds = secondsSince(started)
  const files = bytesByName(task.indexDir)
  const bytes = Object.values(files).reduce((sum, n) => sum + n, 0)
  return { seconds, indexSeconds: split.indexSeconds, saveSeconds: split.saveSeconds, bytes, files, details: split.details ?? {}, ...usage() }
}

async function serve(task: Extract<ChildTask, { phase: 'serve' }>): Promise<ServeResult> {
  const system = await loadSystem(task.system)
  const queries = JSON.parse(readFileSync(task.queriesFile, 'utf8')) as LoggedQuery[]
  let started = performance.now()
  const searcher = await system.open(task.indexDir)
  const loadMs = performance.now() - started
  started = performance.now()
  searcher.search(queries[0]?.q ?? '中国', 10)
  const firstQueryMs = performance.now() - started
  const hits = new Int32Array(queries.length)
  const { ms, cpuMs } = timePass(queries, task.warmup, (entry, i) => {
    hits[i] = searcher.search(entry.q, 10)
  }, task.passes)
  const cpuMsPerQuery = cpuMs / Math.max(1, queries.length)
  const servingRssBytes = usage().maxRssBytes
  const byKind: ServeResult['byKind'] = {}
  for (const kind of new Set(queries.map((q) => q.kind))) {
    byKind[kind] = summarize(Float64Array.from(queries.flatMap((q, i) => (q.kind === kind ? [ms[i]!] : []))))
  }
  const suggest = searcher.suggester ? measureSuggestions(searcher, queries, task.warmup) : null
  searcher.close()
  return { loadMs, firstQueryMs, latency: summarize(ms), cpuMsPerQuery, byKind, servingRssBytes, zeroHitQueries: hits.filter((n) => n === 0).length, suggest, ...usage() }
}

/** What is typed on the way to each logged query: its first 1, 2 … SUGGEST_PREFIX characters, each once. */
function typedPrefixes(queries: readonly LoggedQuery[]): string[] {
  const typed = new Set<string>()
  for (const { q } of queries) {
    const chars = Array.from(q.trim())
    for (let n = 1; n <= Math.min(SUGGEST_PREFIX, chars.length); n++) typed.add(chars.slice(0, n).join('').trim())
  }
  typed.delete('')
  return [...typed]
}

function measureSuggestions(searcher: Searcher, queries: readonly LoggedQuery[], warmup: number): SuggestMeasure {
  const started = performance.now()
  const suggest = searcher.suggester!()
  const importMs = performance.now() - started
  const typed = typedPrefixes(queries)
  return { importMs, latency: summarize(timeEach(typed, warmup, (prefix) => suggest(prefix))) }
}

async function http(task: Extract<ChildTask, { phase: 'http' }>): Promise<HttpResult> {
  const { watchIndex } = await import('../../src/server/index-watcher.js')
  const { startServer } = await import('../../src/server/serve.js')
  const { tuneHeapForServing } = await import('../../src/server/heap.js')
  tuneHeapForServing()
  const started = performance.now()
  // As `jiansuo serve` runs it: search threads over one shared copy of the index.
  const engine = watchIndex(task.indexDir, { workers: task.workers, follow: false })
  const loadMs = performance.now() - started
  const server = await startServer({
    engine,
    host: '127.0.0.1',
    port: 0,
    rateLimit: false,
    logLevel: 'silent',
    cacheBytes: task.cacheMB * 2 ** 20,
    shutdownSignals: [],
  })
  const stop = new Promise<void>((resolve) => process.once('message', () => resolve()))
  send({ ready: server.url })
  await stop
  await server.close()
  await engine.shutdown()
  return { loadMs, workers: task.workers, ...usage() }
}

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('child.ts runs under run.ts (fork with an IPC channel)'))
    process.send(message, (err: Error | null) => (err ? reject(err) : resolve()))
  })
}

const PHASES: { [P in ChildTask['phase']]: (task: Extract<ChildTask, { phase: P }>) => Promise<unknown> } = { parse, build, serve, http }

const task = JSON.parse(process.argv[2] ?? 'null') as ChildTask | null
if (!task || !(task.phase in PHASES)) throw new Error(`usage: child.js '<task JSON>' with a phase of ${Object.keys(PHASES).join(', ')}`)
try {
  const run = PHASES[task.phase] as (t: ChildTask) => Promise<unknown>
  await send({ ok: true, result: await run(task) })
} catch (err) {
  await send({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
  process.exitCode = 1
}
// The IPC channel would keep the process alive.
process.disconnect?.()
