import { join } from 'node:path'
import type { SearchEngine } from '../search/engine.js'
import { readSuggestData, SUGGEST_FILE } from './file.js'
import { SuggestIndex } from './suggest-index.js'

/** The index was built before suggestions existed: it has no suggestion file until it is rebuilt. */
export class SuggestionsUnavailableError extends Error {
  constructor(readonly indexDir: string) {
    super(`the index in ${indexDir} has no suggestions: rebuild it with \`npx jiansuo index <posts-folder> --out ${indexDir}\``)
    this.name = 'SuggestionsUnavailableError'
  }
}

// One suggestion index per loaded index: a reload that swaps the engine gets its own on first use.
const loaded = new WeakMap<SearchEngine['index'], SuggestIndex>()

/**
 * The suggestion index stored with the engine's index, imported on first use and kept while the
 * engine lives. Queries are cut with the engine's own segmenter, which carries the build's user dictionary.
 */
export function suggestionsFor(engine: SearchEngine): SuggestIndex {
  const index = engine.index
  let suggestions = loaded.get(index)
  if (suggestions) return suggestions
  if (!index.suggest) throw new SuggestionsUnavailableError(index.dir)
  const data = readSuggestData(index.suggest, join(index.dir, index.manifest.generation, SUGGEST_FILE), index.docs)
  suggestions = new SuggestIndex(data, engine.analyzer.segmenter)
  loaded.set(index, suggestions)
  return suggestions
}

/** Whether the suggestion index stored with `index` has been imported. */
export function suggestionsLoaded(index: SearchEngine['index']): boolean {
  return loaded.has(index)
}

/**
 * Imports the engine's suggestion index now rather than on the first keystroke someone types (0.2–1.5 s
 * at 100,000 posts, holding every request behind it). An index without suggestions, or with a damaged
 * file, is left to GET /suggest to report.
 */
export function warmSuggestions(engine: SearchEngine): void {
  try {
    suggestionsFor(engine)
  } catch {
    // Reported on request, as a 503 that says to rebuild.
  }
}
