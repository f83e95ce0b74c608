import { SearchEngine, type EngineOptions } from '../search/engine.js'
import { DEFAULT_SERVER_OPTIONS } from '../server/options.js'
import { parseSuggestQuery, suggester, type SuggestResponse } from '../server/suggest-route.js'
import { printApiError } from './errors.js'
import { printable, stdoutColors } from './terminal.js'

export interface SuggestCommandOptions {
  index: string
  json?: boolean
  /** The config's `limits.maxQueryLength`, as the server would apply it; the server's default when unset. */
  maxQueryLength?: number
}

/** `jiansuo suggest <typed>`: what GET /suggest would answer, as lines or (`--json`) its exact body. */
export function runSuggest(words: string[], options: SuggestCommandOptions, engineOptions: EngineOptions = {}): void {
  let body: SuggestResponse
  try {
    const q = parseSuggestQuery({ q: words.join(' ') }, { maxQueryLength: options.maxQueryLength ?? DEFAULT_SERVER_OPTIONS.maxQueryLength })
    body = { query: q, suggestions: suggester(SearchEngine.open(options.index, engineOptions)).suggest(q) }
  } catch (error) {
    if (options.json) printApiError(error)
    throw error
  }
  const q = body.query
  if (options.json) {
    process.stdout.write(JSON.stringify(body) + '\n')
    return
  }
  if (body.suggestions.length === 0) process.stdout.write(stdoutColors.dim(`no suggestions for “${q}”`) + '\n')
  for (const s of body.suggestions) {
    process.stdout.write(s.kind === 'title' ? `${printable(s.text)}  ${stdoutColors.dim(`文章 ${printable(s.id ?? '')}`)}\n` : `${stdoutColors.bold(printable(s.text))}\n`)
  }
}
