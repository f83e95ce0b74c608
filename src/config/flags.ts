import { Option, type Command } from 'commander'
import { DEFAULT_RANKING } from '../search/rank.js'
import { DEFAULT_SERVER_OPTIONS } from '../server/options.js'
import { resolvePaths } from './load.js'
import { ConfigError, validateConfig, type JiansuoConfig } from './schema.js'

/** A command-line flag that sets one key of the config; the flag wins over the file. */
export interface FlagSpec {
  /** As commander spells it: `--port <n>`, `--no-reload`. */
  flags: string
  description: string
  /** The config key it sets, e.g. `['server', 'port']`. */
  key: readonly string[]
  /** Turns the flag's text into the config value; the schema then checks it and names the flag if it is wrong. */
  value?: (raw: unknown) => unknown
}

/** `3000` → 3000; anything else stays text, so the schema reports it against the flag. */
function numeric(raw: unknown): unknown {
  return typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw
}

function trustProxy(raw: unknown): unknown {
  if (raw === 'true') return true
  if (raw === 'false') return false
  return numeric(raw)
}

/** `titleWeight=4,k1=1.1` → `{ titleWeight: 4, k1: 1.1 }`; the schema then checks each name and number. */
function ranking(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw
  const pairs = raw.split(',').filter((pair) => pair.trim() !== '')
  // `--ranking ,` (or "") set nothing, and the search ran with the defaults as if the flag had been understood.
  if (pairs.length === 0) throw notRanking('', raw)
  const entries = pairs.map((pair) => {
    const eq = pair.indexOf('=')
    const name = eq === -1 ? pair.trim() : pair.slice(0, eq).trim()
    // `k1` alone, `k1=` or `=2` is refused by the form it lacks: the schema could only say a number was expected and got "".
    if (eq === -1 || name === '' || pair.slice(eq + 1).trim() === '') throw notRanking(name, pair.trim())
    return [name, numeric(pair.slice(eq + 1))]
  })
  return Object.fromEntries(entries)
}

/** A --ranking value not in the name=number form, with an example for the name given (a generic one for none). */
function notRanking(name: string, got: string): ConfigError {
  const known = DEFAULT_RANKING[name as keyof typeof DEFAULT_RANKING] as number | undefined
  const example = known === undefined ? 'titleWeight=4,k1=1.1' : `${name}=${known}`
  return new ConfigError([`--ranking: expected name=number, such as ${example} (got ${JSON.stringify(got)})`])
}

const ranked = Object.entries(DEFAULT_RANKING).map(([key, value]) => `${key}=${value}`).join(',')
const defaults = DEFAULT_SERVER_OPTIONS

export const CONFIG_FLAG = '--config <file>'
export const CONFIG_FLAG_HELP = 'settings file (default ./jiansuo.config.json when present); flags override it'

export const INDEX_DIR_FLAG: FlagSpec = { flags: '--index <dir>', description: 'index folder (default index-data)', key: ['index'] }
export const DICTIONARY_FLAG: FlagSpec = {
  flags: '--dict <file>',
  description: 'jieba user dictionary, one word per line (`word [freq [tag]]`); the index must be built with the same one',
  key: ['dictionary'],
}
export const RANKING_FLAG: FlagSpec = {
  flags: '--ranking <weights>',
  description: `field weights and BM25F parameters, e.g. titleWeight=4 (defaults ${ranked})`,
  key: ['ranking'],
  value: ranking,
}
/** `limits.maxQueryLength`: `search` and `suggest` refuse what the server would, so they take the flag as `serve` does. */
const MAX_QUERY_LENGTH_FLAG: FlagSpec = {
  flags: '--max-query-length <n>',
  description: `longest query in characters (default ${defaults.maxQueryLength})`,
  key: ['limits', 'maxQueryLength'],
  value: numeric,
}
/** Synonym groups, one per line (`电动车, 新能源汽车`), stored with the index and applied to queries. */
const SYNONYMS_FLAG: FlagSpec = { flags: '--synonyms <file>', description: 'synonym groups, one per line: 电动车, 新能源汽车, 电动汽车', key: ['synonyms'] }

/** Settings of `index` (the posts folder is its argument, or `posts` in the file). */
export const INDEX_FLAGS: readonly FlagSpec[] = [
  { flags: '--out <dir>', description: 'where to write the index (default index-data)', key: ['index'] },
  { flags: '--workers <n>', description: 'worker threads for parsing and analysis (default: one per core)', key: ['workers'], value: numeric },
  DICTIONARY_FLAG,
  SYNONYMS_FLAG,
]

/** Settings of `search` that the config file can also hold. */
export const SEARCH_FLAGS: readonly FlagSpec[] = [INDEX_DIR_FLAG, DICTIONARY_FLAG, RANKING_FLAG, MAX_QUERY_LENGTH_FLAG]

/** Every setting of `serve`, each also a key of jiansuo.config.json. */
export const SERVE_FLAGS: readonly FlagSpec[] = [
  INDEX_DIR_FLAG,
  { flags: '--posts <dir>', description: 'posts folder to index (an update when the index exists) before serving (default when there is no index: the bundled demo posts)', key: ['posts'] },
  { flags: '--port <n>', description: 'port to listen on (default 3000)', key: ['server', 'port'], value: numeric },
  { flags: '--host <host>', description: 'address to listen on (default 127.0.0.1)', key: ['server', 'host'] },
  { flags: '--log-level <level>', description: `request log level: info, warn, silent … (default ${defaults.logLevel})`, key: ['server', 'logLevel'] },
  {
    flags: '--trust-proxy <value>',
    description: 'behind a reverse proxy: true, a hop count, or its addresses (default false)',
    key: ['server', 'trustProxy'],
    value: trustProxy,
  },
  { flags: '--no-compression', description: 'do not compress responses, gzip or brotli (a proxy does it)', key: ['server', 'compression'] },
  { flags: '--workers <n>', description: 'search threads sharing one copy of the index; 0 = search on the main thread (default: one per core)', key: ['server', 'workers'], value: numeric },
  { flags: '--cache <MB>', description: `megabytes of /search responses kept for repeated queries; 0 = no cache (default ${defaults.cacheBytes / 2 ** 20})`, key: ['server', 'cacheMB'], value: numeric },
  { flags: '--no-reload', description: 'do not follow index rebuilds (by default a committed rebuild is loaded without a restart)', key: ['server', 'reload'] },
  { flags: '--reload-poll <ms>', description: 'check the index for rebuilds this often besides file events; 0 = events only (default 2000)', key: ['server', 'reloadPollMs'], value: numeric },
  MAX_QUERY_LENGTH_FLAG,
  {
    flags: '--rate-limit <n>',
    description: `searches per client address per window (default ${defaults.rateLimit === false ? 'none' : defaults.rateLimit.limit})`,
    // The limit's own key, so that a bad value is reported as `--rate-limit: …`, not `--rate-limit limit: …`.
    key: ['limits', 'rateLimit', 'limit'],
    value: numeric,
  },
  { flags: '--no-rate-limit', description: 'turn off per-client rate limiting', key: ['limits', 'rateLimit'] },
  {
    flags: '--rate-window <ms>',
    description: `the rate limit's window (default ${defaults.rateLimit === false ? 60_000 : defaults.rateLimit.windowMs})`,
    key: ['limits', 'rateLimit', 'windowMs'],
    value: numeric,
  },
  {
    flags: '--max-queued-searches <n>',
    description: `searches that may wait for their turn before more are refused with 503 (default ${defaults.maxQueuedSearches})`,
    key: ['limits', 'maxQueuedSearches'],
    value: numeric,
  },
  {
    flags: '--search-timeout <ms>',
    description: `a search still waiting for its turn after this long is refused with 503 (default ${defaults.searchTimeoutMs})`,
    key: ['limits', 'searchTimeoutMs'],
    value: numeric,
  },
  {
    flags: '--request-timeout <ms>',
    description: `deadline for receiving a whole request (default ${defaults.requestTimeoutMs})`,
    key: ['limits', 'requestTimeoutMs'],
    value: numeric,
  },
  DICTIONARY_FLAG,
  SYNONYMS_FLAG,
  RANKING_FLAG,
]

/** Adds the flags to a command (plus `--config`). */
export function addConfigFlags(command: Command, specs: readonly FlagSpec[]): Command {
  command.option(CONFIG_FLAG, CONFIG_FLAG_HELP)
  for (const spec of specs) command.addOption(new Option(spec.flags, spec.description))
  return command
}

/**
 * The config the flags given on the command line amount to (defaults are not "given"). Throws a
 * ConfigError naming the flag when a value is wrong.
 */
export function configFromFlags(command: Command, specs: readonly FlagSpec[], cwd = process.cwd()): JiansuoConfig {
  const config: Record<string, unknown> = {}
  const options = command.opts<Record<string, unknown>>()
  const given: FlagSpec[] = []
  for (const spec of specs) {
    const name = new Option(spec.flags).attributeName()
    if (command.getOptionValueSource(name) !== 'cli') continue
    // `--rate-limit 5` and `--no-rate-limit` share one option value; only the spec matching its kind applies.
    const raw = options[name]
    if (spec.flags.startsWith('--no-') !== (raw === false)) continue
    // `--no-rate-limit --rate-window 5000`: the window would turn the limit back on; say so instead.
    const off = specs.find((other) => other.flags.startsWith('--no-') && options[new Option(other.flags).attributeName()] === false && isWithin(other.key, spec.key))
    if (off) throw new ConfigError([`${spec.flags.split(' ')[0]} has no effect with ${off.flags}`])
    // A number flag's word is refused here, by its flag: inside a union (limits.rateLimit) the schema could only name the union.
    if (spec.value === numeric && numeric(raw) === raw) throw new ConfigError([`${spec.flags.split(' ')[0]}: expected number, received string (got ${JSON.stringify(raw)})`])
    setPath(config, spec.key, spec.value ? spec.value(raw) : raw)
    given.push(spec)
  }
  // A problem is named after the flag given that holds it (`--ranking k1`), or that it holds (a problem
  // with limits.rateLimit, given as `--rate-limit`, whose key is limits.rateLimit.limit).
  const flagFor = (path: readonly PropertyKey[]) => {
    const holding = [...given].sort((a, b) => b.key.length - a.key.length).find((s) => s.key.every((k, i) => path[i] === k))
    const spec = holding ?? given.find((s) => path.every((k, i) => s.key[i] === k))
    if (spec === undefined) return path.join('.')
    const rest = path.slice(spec.key.length)
    const flag = spec.flags.split(' ')[0]!
    return rest.length ? `${flag} ${rest.join('.')}` : flag
  }
  const labels = { name: flagFor }
  return resolvePaths(validateConfig(config, labels), cwd, labels)
}

/** Whether `inner` is a key strictly inside `outer` (limits.rateLimit.windowMs inside limits.rateLimit). */
function isWithin(outer: readonly string[], inner: readonly string[]): boolean {
  return inner.length > outer.length && outer.every((part, i) => inner[i] === part)
}

function setPath(target: Record<string, unknown>, key: readonly string[], value: unknown): void {
  let at = target
  for (const part of key.slice(0, -1)) {
    const next = at[part]
    at = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : (at[part] = {})
  }
  at[key[key.length - 1]!] = value
}

/** `file` with `flags` laid over it, objects merged key by key. */
export function mergeConfig(file: JiansuoConfig, flags: JiansuoConfig): JiansuoConfig {
  return deepMerge(file, flags) as JiansuoConfig
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value)
  return out
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

