import { readFileSync } from 'node:fs'
import { SearchEngine, type EngineOptions } from '../search/engine.js'
import { DEFAULT_SERVER_OPTIONS } from '../server/options.js'
import { parseSearchParams } from '../server/search-params.js'
import { printApiError } from './errors.js'
import { formatResults } from './terminal.js'

/** A search option's value, or its values when it was given more than once (refused, as GET /search refuses `tag=a&tag=b`). */
type OptionValue = string | string[]

export interface SearchCommandOptions {
  index: string
  size?: OptionValue
  page?: OptionValue
  category?: OptionValue
  tag?: OptionValue
  from?: OptionValue
  to?: OptionValue
  sort?: OptionValue
  facets?: OptionValue
  json?: boolean
  /** The config's `limits.maxQueryLength`, as the server would apply it; the server's default when unset. */
  maxQueryLength?: number
  /** The synonyms file the config names: searches use the index's, so a different one is pointed out. */
  synonymsFile?: string
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
  const values = Object.fromEntries(Object.entries(given).filter((e): e is [string, OptionValue] => e[1] !== undefined))
  let response: ReturnType<SearchEngine['search']>
  try {
    const params = parseSearchParams(values, { maxQueryLength: options.maxQueryLength ?? DEFAULT_SERVER_OPTIONS.maxQueryLength })
    const engine = SearchEngine.open(options.index, engineOptions)
    // `serve` would update the index first; a search cannot, and must not leave the user guessing why a group is ignored.
    if (options.synonymsFile !== undefined && readFileSync(options.synonymsFile, 'utf8') !== engine.index.synonyms) {
      process.stderr.write(`note: ${options.synonymsFile} differs from the synonyms ${options.index} was built with; searching with the index's (update it with \`jiansuo index\`)\n`)
    }
    // Cut before the clock starts, as the server does on its main thread: took_ms would otherwise count
    // loading jieba's dictionary (0.2–2 s), not the search.
    response = engine.search(params, engine.analyzeQuery(params.q))
  } catch (error) {
    if (options.json) printApiError(error)
    throw error
  }
  process.stdout.write(options.json ? JSON.stringify(response) + '\n' : formatResults(response) + '\n')
}
