import type { SearchEngine } from '../search/engine.js'

/**
 * How routes reach the engine: they ask for the current one on every request, so a reload can
 * swap in a rebuilt index without touching the app.
 */
export interface EngineHandle {
  current(): SearchEngine
}

/** A handle on one engine that never changes. */
export function fixedEngine(engine: SearchEngine): EngineHandle {
  return { current: () => engine }
}
