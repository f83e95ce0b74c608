import { SearchEngine, type EngineOptions } from '../search/engine.js'
import { DEFAULT_SERVER_OPTIONS } from '../server/options.js'
import { parseSearchParams } from '../server/search-params.js'
import { printApiError } from './errors.js'
import { formatResults } from './terminal.js'

export interface SearchCommandOptions {
  index: string
  size: string
  page: string
  category?: string
  tag?: string
  from?: string
  to?: string
  sort: string
  facets?: string
  json?: boolean
  /** The config's `limits.maxQueryLength`, as the server would apply it; the server's default when unset. */
  maxQueryLength?: number
}

export async function runSearch(words: string[], options: SearchCommandOptions, engineOptions: EngineOptions = {}): Promise<void> {
  // The same validation as GET /search, so `--json` prints exactly what the API would answer.
  const given = {
    q: words.join(' '),
    page: options.page,
    size: options.size,
    category: options.category,
    tag: options.tag,
    from: options.from,
    to: options.to,
    sort: options.sort,
    facets: options.facets,
  }
  const values = Object.fromEntries(Object.entries(given).filter((e): e is [string, string] => e[1] !== undefined))
  let response: ReturnType<SearchEngine['search']>
  try {
    const params = parseSearchParams(values, { maxQueryLength: options.maxQueryLength ?? DEFAULT_SERVER_OPTIONS.maxQueryLength })
    response = SearchEngine.open(options.index, engineOptions).search(params)
  } catch (error) {
    if (options.json) printApiError(error)
    throw error
  }
  process.stdout.write(options.json ? JSON.stringify(response) + '\n' : formatResults(response) + '\n')
}
