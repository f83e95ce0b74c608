import type { Document } from '../../../src/ingest/document.js'

/**
 * One system in the scale benchmark, measured in its own process: build an index on disk, then open it
 * from disk in a fresh process and answer top-10 queries. Only jiansuo reads the posts folder itself;
 * the peers are given already-parsed Documents, so their build time excludes parsing (reported apart).
 */
export interface ScaleSystem {
  readonly key: string
  readonly name: string
  /** How it is set up, in a sentence for the results' notes. */
  readonly setup: string
  /** Whether a top-10 answer includes highlighted snippets (jiansuo and FTS5 do). */
  readonly snippets: boolean
  /** True when build() wants `documents` (parsed beforehand, untimed); false when it parses `postsDir` itself. */
  readonly wantsDocuments: boolean
  /** Writes a complete index into the empty folder `indexDir`. */
  build(input: BuildInput, indexDir: string): Promise<BuildSplit>
  /** Loads the index `build` wrote, ready to answer. */
  open(indexDir: string): Promise<Searcher>
}

export interface BuildInput {
  postsDir: string
  documents: readonly Document[]
}

/** Seconds spent indexing in memory and writing to disk (jiansuo does both at once: all in `index`). */
export interface BuildSplit {
  indexSeconds: number
  saveSeconds: number
  /** Anything worth reporting about this build (e.g. jiansuo's BuildReport mode). */
  details?: Record<string, unknown>
}

export interface Searcher {
  /** Answers one query with the top `k`; returns how many hits it produced (snippets included where made). */
  search(query: string, k: number): number
  /** Loads the system's type-ahead suggestions (jiansuo only) and returns how to ask for them. */
  suggester?(): (typed: string) => number
  close(): void
}

/** Seconds since `started` (a performance.now() value). */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000
}
