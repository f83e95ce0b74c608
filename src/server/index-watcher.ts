import { statSync, watch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { MANIFEST, readManifest } from '../index/manifest.js'
import { loadIndexFiles } from '../index/reader.js'
import { SearchEngine, type EngineOptions } from '../search/engine.js'
import { warmSuggestions } from '../suggest/engine-suggestions.js'
import { collectGarbage } from '../index/collect-garbage.js'
import type { EngineHandle } from './engine-handle.js'
import { SearchPool } from './search-pool.js'

export interface WatchIndexOptions {
  /** Passed to every `SearchEngine.open` (ranking, the user dictionary the index was built with). */
  engine?: EngineOptions
  /**
   * How often the manifest is checked even without a file-system event: events are not delivered on
   * every file system (NFS, some container mounts) and a replaced index folder loses its watcher.
   * Default 2000 ms; 0 turns polling off.
   */
  pollMs?: number
  /** Quiet time after the last event before loading, so a burst of events loads once. Default 200 ms. */
  debounceMs?: number
  /** Where loads and failed loads are reported. */
  log?: Logger
  /** Called after every check that was not a no-op (tests wait on it). */
  onReload?: (outcome: ReloadOutcome) => void
  /**
   * Search threads: the index is read once into shared memory and searched by this many worker
   * threads, each switched to every new generation. 0 (the default) searches on the calling thread.
   */
  workers?: number
  /** Follow the folder (default true); false loads once and reloads only when `reload()` is called. */
  follow?: boolean
}

export type ReloadOutcome =
  | { status: 'loaded'; generation: string; documents: number; ms: number }
  | { status: 'unchanged'; generation: string }
  | { status: 'failed'; error: Error; generation: string }

/** An engine handle that follows the index folder: a committed rebuild is loaded and swapped in. */
export interface ReloadingEngine extends EngineHandle {
  /** The generation being served. */
  readonly generation: string
  /** The last failed load since the last successful one, if any. */
  readonly lastError: Error | null
  /** Checks the manifest now; loads and swaps in a new generation if one was committed. */
  reload(): ReloadOutcome
  /** Stops watching; the current engine keeps answering. */
  close(): void
  /** Stops watching and, once their searches are answered, the search threads. */
  shutdown(): Promise<void>
}

/**
 * What a served engine reads on first use, read before it serves: jieba and the homophones (warmUp), and
 * the suggestions, which the first keystroke would otherwise import, holding every request behind it.
 */
function warm(engine: SearchEngine): void {
  engine.warmUp()
  warmSuggestions(engine)
}

/**
 * Serves the index in `indexDir` and reloads it whenever a build commits a new manifest there.
 *
 * The new generation is opened completely (every file checked against its checksum) before it
 * replaces the old one, and a search runs synchronously on whichever engine it got, so no request
 * ever sees half an index or fails during a swap. When the new index cannot be loaded (damaged,
 * analysed differently, already pruned by a newer build), the failure is logged and the last good
 * engine keeps serving; the next committed build is tried again.
 *
 * With `workers`, searches run in a SearchPool: each generation is read once into shared memory,
 * this thread opens it first (so a bad build is refused before any worker sees it), then every
 * worker is switched; searches sent after the switch are answered by the new generation.
 *
 * ```ts
 * const engine = watchIndex('index-data', { log })
 * await startServer({ engine, host: '127.0.0.1', port: 3000 })
 * ```
 * Throws if the index cannot be loaded at start, since there is nothing to serve then.
 */
export function watchIndex(indexDir: string, options: WatchIndexOptions = {}): ReloadingEngine {
  const { engine: engineOptions = {}, pollMs = 2000, debounceMs = 200, log, onReload, workers = 0, follow = true } = options
  const manifestPath = join(indexDir, MANIFEST)
  // Taken before opening, so a build committing during the first open is still noticed.
  let seen = manifestSignature(manifestPath)
  let engine: SearchEngine
  let pool: SearchPool | undefined
  if (workers > 0) {
    const files = loadIndexFiles(indexDir)
    engine = SearchEngine.open(indexDir, { ...engineOptions, files })
    pool = new SearchPool(files, { workers, engine: engineOptions, log })
  } else {
    engine = SearchEngine.open(indexDir, engineOptions)
  }
  // Queries are cut on this thread, with or without search threads: the first search should not wait for jieba.
  warm(engine)
  let lastError: Error | null = null
  let closed = false

  const generationOf = (e: SearchEngine) => e.index.manifest.generation

  function reload(): ReloadOutcome {
    const signature = manifestSignature(manifestPath)
    seen = signature
    const serving = generationOf(engine)
    let next: SearchEngine
    try {
      // Reading the small manifest first skips a full load when only its timestamp changed.
      if (readManifest(indexDir).generation === serving) return { status: 'unchanged', generation: serving }
      const started = performance.now()
      if (pool) {
        // Read and checked once here; the workers view the same memory.
        const files = loadIndexFiles(indexDir)
        next = SearchEngine.open(indexDir, { ...engineOptions, files })
        void pool.load(files)
      } else {
        next = SearchEngine.open(indexDir, engineOptions)
      }
      // Instant when the new generation cuts with the same dictionary (the analyzer is shared); else loaded now, not by a search.
      warm(next)
      const outcome = { status: 'loaded' as const, generation: generationOf(next), documents: next.documentCount, ms: Math.round(performance.now() - started) }
      // Searches on this thread run whole between two events, so none is using the previous engine now.
      const previous = engine
      engine = next
      previous.close()
      collectGarbage()
      lastError = null
      log?.info({ generation: outcome.generation, documents: outcome.documents, ms: outcome.ms, previous: serving }, 'index reloaded')
      return outcome
    } catch (err) {
      lastError = err instanceof Error ? err : new Error(String(err))
      log?.error({ err: lastError, indexDir, serving }, 'index reload failed; still serving the previous index')
      return { status: 'failed', error: lastError, generation: serving }
    }
  }

  function check(): void {
    if (closed || manifestSignature(manifestPath) === seen) return
    const outcome = reload()
    onReload?.(outcome)
  }

  let debounce: NodeJS.Timeout | undefined
  const scheduleCheck = () => {
    clearTimeout(debounce)
    debounce = setTimeout(check, debounceMs)
    debounce.unref()
  }

  // The manifest is replaced by a rename, so the folder is watched rather than the file.
  let watcher: FSWatcher | undefined
  if (follow) {
    try {
      watcher = watch(indexDir, { persistent: false }, (_event, name) => {
        if (name === null || name === MANIFEST) scheduleCheck()
      })
      watcher.on('error', (err) => {
        log?.warn({ err, indexDir }, 'cannot watch the index folder any more; polling only')
        watcher?.close()
        watcher = undefined
      })
    } catch (err) {
      log?.warn({ err, indexDir }, 'cannot watch the index folder; polling only')
    }
  }
  const poll = follow && pollMs > 0 ? setInterval(check, pollMs) : undefined
  poll?.unref()

  function close(): void {
    closed = true
    clearTimeout(debounce)
    clearInterval(poll)
    watcher?.close()
  }

  return {
    current: () => engine,
    pool,
    get generation() {
      return generationOf(engine)
    },
    get lastError() {
      return lastError
    },
    reload,
    close,
    async shutdown() {
      close()
      await pool?.close()
    },
  }
}

/** Changes whenever a new manifest is renamed into place (new inode) or the file is rewritten. */
function manifestSignature(path: string): string {
  try {
    const stat = statSync(path)
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`
  } catch {
    return 'missing'
  }
}
