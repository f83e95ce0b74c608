import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../lib/corpus.js'
import type { LoggedQuery } from './queries.js'

/** Where `npm run bench` leaves its query log, which the other benchmarks ask again by default. */
export function defaultQueryLogFile(): string {
  return join(repoRoot(), 'bench', 'tmp', 'scale', 'queries.json')
}

/** A query log written by `npm run bench`; throws a message a user can act on when there is none, or it is not one. */
export function readQueryLog(file: string = defaultQueryLogFile()): LoggedQuery[] {
  if (!existsSync(file)) throw new Error(`no query log at ${file}: \`npm run bench\` writes one (a quick run will do: --corpus shared --systems jiansuo), or give --queries <file>`)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file} is not a query log: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((entry) => typeof entry?.q === 'string' && typeof entry?.kind === 'string')) {
    throw new Error(`${file} is not a query log: it should be a non-empty JSON array of { kind, q }`)
  }
  return parsed as LoggedQuery[]
}
