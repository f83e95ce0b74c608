import type { SearchEngine } from '../search/engine.js'
import type { SearchPool } from './search-pool.js'

/**
 * How routes reach the engine: they ask for the current one on every request, so a reload can
 * swap in a rebuilt index without touching the app.
 */
export interface EngineHandle {
  current(): SearchEngine
  /**
   * When set, `/search` runs in these worker threads, which serve the same generation as `current()`
   * (this thread's engine then answers only health checks and suggestions).
   */
  readonly pool?: SearchPool | undefined
}

/** A handle on one engine that never changes. */
export function fixedEngine(engine: SearchEngine): EngineHandle {
  return { current: () => engine }
}
