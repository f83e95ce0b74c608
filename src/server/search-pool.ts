import { Worker } from 'node:worker_threads'
import type { Logger } from 'pino'
import { foldTable } from '../analysis/normalize.js'
import type { LoadedIndexFiles } from '../index/reader.js'
import type { EngineOptions } from '../search/engine.js'
import type { AnalyzedQuery } from '../search/query-analysis.js'
import type { SearchParams } from '../search/types.js'
import type { EncodedSearch } from './encoded-search.js'
import { HttpError } from './errors.js'

/** What a search worker starts with. */
export interface SearchWorkerData {
  files: LoadedIndexFiles
  engine: EngineOptions
  /** This thread's `foldTable()`, so workers need not compute their own. */
  foldTable: Uint16Array
}

/** What cuts queries for the workers: an engine on the main thread (SearchEngine is one). */
export interface QueryAnalyzer {
  readonly index: { readonly manifest: { readonly generation: string } }
  analyzeQuery(q: string): AnalyzedQuery
}

/** A query cut on the main thread, and the generation whose dictionary and synonyms cut it. */
export interface PreparedQuery {
  generation: string
  analyzed: AnalyzedQuery
}

export type ToWorker = { type: 'search'; id: number; params: SearchParams; prepared?: PreparedQuery } | { type: 'load'; files: LoadedIndexFiles }

export type FromWorker =
  | { type: 'ready'; generation: string }
  | { type: 'loaded'; generation: string }
  | { type: 'load-failed'; message: string }
  | { type: 'result'; id: number; encoded: EncodedSearch }
  | { type: 'error'; id: number; name: string; message: string; stack: string }

export interface SearchPoolOptions {
  /** Search threads; at least 1. */
  workers: number
  engine?: EngineOptions
  log?: Logger
  /**
   * A search still unanswered after this long means its worker is stuck: the worker is stopped and
   * replaced, and its searches are answered 500. Default 30 000 ms (the engine bounds its own work
   * far below that).
   */
  searchDeadlineMs?: number
}

/**
 * Searches sent to one worker before its first answer: two keep it busy while the main thread reads
 * the answer to the first and the next request, without letting one slow query hold many others.
 */
const IN_FLIGHT_PER_WORKER = 2
/** Workers that die before they are ready this many times in a row are not started again. */
const MAX_START_FAILURES = 3
const WORKER_URL = new URL('./search-worker.js', import.meta.url)
/**
 * A search's garbage dies young; a small nursery is collected sooner instead of growing every
 * thread's heap (100,000 posts, two threads, after one pass of the bench's query log: process RSS
 * 1,108 MB with V8's default, 999 MB with this).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 }

interface Pending {
  resolve: (encoded: EncodedSearch) => void
  reject: (error: Error) => void
  startedAt: number
}

interface Slot {
  worker: Worker | undefined
  ready: boolean
  startFailures: number
  pending: Map<number, Pending>
  /** Called in order as the worker acknowledges (or fails, or dies during) each `load`. */
  loads: (() => void)[]
}

/**
 * Worker threads that search one index held once in shared memory (`loadIndexFiles`): each opens
 * its own SearchEngine (its own scratch arrays and segmenter) over the same bytes, so N threads cost
 * N small engines, not N copies of the index. A worker that crashes or hangs is replaced, and the
 * searches it held are answered with an error rather than left waiting.
 *
 * ```ts
 * const pool = new SearchPool(loadIndexFiles('index-data'), { workers: 2 })
 * const encoded = await pool.search({ q: '红旗区', page: 1, size: 10 })
 * ```
 */
export class SearchPool {
  private files: LoadedIndexFiles
  private readonly slots: Slot[]
  private readonly options: Required<Omit<SearchPoolOptions, 'log'>> & { log: Logger | undefined }
  private nextId = 1
  private closing: Promise<void> | undefined
  private drained: (() => void) | undefined
  private readonly watchdog: NodeJS.Timeout

  constructor(files: LoadedIndexFiles, options: SearchPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error(`a search pool needs at least one worker (got ${options.workers})`)
    this.files = files
    this.options = { engine: {}, searchDeadlineMs: 30_000, ...options, log: options.log }
    this.slots = Array.from({ length: options.workers }, () => ({ worker: undefined, ready: false, startFailures: 0, pending: new Map(), loads: [] }))
    for (const slot of this.slots) this.spawn(slot)
    this.watchdog = setInterval(() => this.stopStuckWorkers(), Math.min(1000, this.options.searchDeadlineMs))
    this.watchdog.unref()
  }

  /** Search threads configured. */
  get size(): number {
    return this.slots.length
  }

  /** Searches that can be in the workers at once; more wait in the caller's queue. */
  get concurrency(): number {
    return this.slots.length * IN_FLIGHT_PER_WORKER
  }

  /** The generation searches sent now are answered with. */
  get generation(): string {
    return this.files.manifest.generation
  }

  /** Worker threads running now, ready or starting. */
  get alive(): number {
    return this.slots.filter((slot) => slot.worker !== undefined).length
  }

  /** Searches sent to workers and not yet answered. */
  get inFlight(): number {
    return this.pendingCount()
  }

  /** Resolves once every worker has opened its engine (so the first searches do not wait for that). */
  async ready(): Promise<void> {
    while (this.slots.some((slot) => slot.worker !== undefined && !slot.ready)) await new Promise((resolve) => setTimeout(resolve, 10))
  }

  /**
   * Runs one search in the least busy worker. Rejects with the worker's error, or a 503 when none is running.
   * `analyzer`: an engine on this thread serving the pool's generation (the server's), which cuts the
   * query here so the workers never load jieba; without it, each worker cuts queries itself.
   */
  search(params: SearchParams, analyzer?: QueryAnalyzer): Promise<EncodedSearch> {
    let best: Slot | undefined
    for (const slot of this.slots) {
      if (slot.worker !== undefined && (best === undefined || slot.pending.size < best.pending.size)) best = slot
    }
    if (best === undefined || this.closing !== undefined) {
      return Promise.reject(new HttpError(503, 'unavailable', 'No search thread is running; try again shortly.', undefined, { 'Retry-After': '5' }))
    }
    const slot = best
    const id = this.nextId++
    const prepared = analyzer && { generation: analyzer.index.manifest.generation, analyzed: analyzer.analyzeQuery(params.q) }
    return new Promise<EncodedSearch>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject, startedAt: performance.now() })
      slot.worker!.postMessage({ type: 'search', id, params, prepared } satisfies ToWorker)
    })
  }

  /**
   * Switches every worker to `files` (already loaded and opened once by the caller, so it is known to
   * be good). Searches sent after this call are answered by the new generation; resolves when every
   * worker has switched.
   */
  load(files: LoadedIndexFiles): Promise<void> {
    this.files = files
    return Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.worker === undefined) {
              // A slot given up after its threads died as they started (on a generation since deleted,
              // say) gets a fresh start on this one, which the caller has opened: it is known to be good.
              if (this.closing === undefined) {
                slot.startFailures = 0
                this.spawn(slot)
              }
              return resolve()
            }
            slot.loads.push(resolve)
            slot.worker.postMessage({ type: 'load', files } satisfies ToWorker)
          }),
      ),
    ).then(() => undefined)
  }

  /** Lets the searches in the workers finish, then stops the workers. New searches are refused. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.watchdog)
      if (this.pendingCount() > 0) await new Promise<void>((resolve) => (this.drained = resolve))
      await Promise.all(this.slots.map((slot) => slot.worker?.terminate()))
    })()
    return this.closing
  }

  private pendingCount(): number {
    return this.slots.reduce((sum, slot) => sum + slot.pending.size, 0)
  }

  private spawn(slot: Slot): void {
    const worker = new Worker(WORKER_URL, { resourceLimits: WORKER_LIMITS, workerData: { files: this.files, engine: this.options.engine, foldTable: foldTable() } satisfies SearchWorkerData })
    slot.worker = worker
    slot.ready = false
    worker.on('message', (message: FromWorker) => this.onMessage(slot, message))
    worker.on('error', (err) => this.options.log?.error({ err, threadId: worker.threadId }, 'search thread failed'))
    worker.on('exit', (code) => this.onExit(slot, worker, code))
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case 'ready': {
        slot.ready = true
        slot.startFailures = 0
        // Searches sent while it started have been waiting, not running: their deadline starts now.
        const now = performance.now()
        for (const pending of slot.pending.values()) pending.startedAt = now
        return
      }
      case 'loaded':
        slot.loads.shift()?.()
        return
      case 'load-failed':
        // The caller opened these bytes itself, so this is the worker's trouble: start a fresh one.
        this.options.log?.error({ error: message.message }, 'a search thread could not switch to the new index; replacing it')
        slot.loads.shift()?.()
        void slot.worker?.terminate()
        return
      case 'result':
      case 'error': {
        const pending = slot.pending.get(message.id)
        if (pending === undefined) return
        slot.pending.delete(message.id)
        if (message.type === 'result') pending.resolve(message.encoded)
        else pending.reject(Object.assign(new Error(message.message), { name: message.name, stack: message.stack }))
        if (this.drained !== undefined && this.pendingCount() === 0) this.drained()
        return
      }
    }
  }

  private onExit(slot: Slot, worker: Worker, code: number): void {
    if (slot.worker !== worker) return
    slot.worker = undefined
    const wasReady = slot.ready
    slot.ready = false
    for (const load of slot.loads.splice(0)) load()
    const failed = [...slot.pending.values()]
    slot.pending.clear()
    for (const pending of failed) pending.reject(new Error(`search thread ${worker.threadId} exited (code ${code}) during the search`))
    if (this.closing !== undefined) {
      if (this.drained !== undefined && this.pendingCount() === 0) this.drained()
      return
    }
    slot.startFailures = wasReady ? 0 : slot.startFailures + 1
    if (slot.startFailures >= MAX_START_FAILURES) {
      this.options.log?.error({ code, failures: slot.startFailures }, 'a search thread keeps dying as it starts; not starting it again')
      return
    }
    this.options.log?.warn({ code, threadId: worker.threadId, failedSearches: failed.length }, 'search thread exited; starting a new one')
    this.spawn(slot)
  }

  /** A worker holding a search past the deadline is stuck (or far too slow): stop it; onExit answers and replaces. */
  private stopStuckWorkers(): void {
    const now = performance.now()
    for (const slot of this.slots) {
      if (!slot.ready) continue
      for (const pending of slot.pending.values()) {
        if (now - pending.startedAt > this.options.searchDeadlineMs) {
          this.options.log?.error({ threadId: slot.worker?.threadId, ms: Math.round(now - pending.startedAt) }, 'search thread stuck; replacing it')
          void slot.worker?.terminate()
          break
        }
      }
    }
  }
}
