import pc from 'picocolors'
import { SearchEngine, type EngineOptions } from '../search/engine.js'
import { DEFAULT_SERVER_OPTIONS } from '../server/options.js'
import { parseSuggestQuery, type SuggestResponse } from '../server/suggest-route.js'
import { suggestionsFor } from '../suggest/engine-suggestions.js'
import { printApiError } from './errors.js'

export interface SuggestCommandOptions {
  index: string
  json?: boolean
}

/** `jiansuo suggest <typed>`: what GET /suggest would answer, as lines or (`--json`) its exact body. */
export function runSuggest(words: string[], options: SuggestCommandOptions, engineOptions: EngineOptions = {}): void {
  let q: string
  try {
    q = parseSuggestQuery({ q: words.join(' ') }, { maxQueryLength: DEFAULT_SERVER_OPTIONS.maxQueryLength })
  } catch (error) {
    if (options.json) printApiError(error)
    throw error
  }
  const body: SuggestResponse = { query: q, suggestions: suggestionsFor(SearchEngine.open(options.index, engineOptions)).suggest(q) }
  if (options.json) {
    process.stdout.write(JSON.stringify(body) + '\n')
    return
  }
  if (body.suggestions.length === 0) process.stdout.write(pc.dim(`no suggestions for “${q}”`) + '\n')
  for (const s of body.suggestions) {
    process.stdout.write(s.kind === 'title' ? `${s.text}  ${pc.dim(`文章 ${s.id ?? ''}`)}\n` : `${pc.bold(s.text)}\n`)
  }
}
