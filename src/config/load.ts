import { isUtf8 } from 'node:buffer'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { ConfigError, keyPath, PATH_KEYS, validateConfig, type JiansuoConfig, type ProblemLabels } from './schema.js'

/** The file looked for in the working folder when `--config` is not given. */
export const CONFIG_FILE = 'jiansuo.config.json'

export interface LoadedConfig {
  /** The file read, or null when there was none. */
  file: string | null
  /** Its settings, with paths made absolute against the file's folder. */
  config: JiansuoConfig
}

/**
 * The configuration in effect: `explicit` (from `--config`), which must exist, else
 * `./jiansuo.config.json` when there is one, else nothing. Throws a ConfigError naming the file
 * and the key at fault. The files of keys in `overridden` (given on the command line instead) are not
 * checked: a stale `dictionary` in the file does not stop `--dict other.txt`.
 *
 * ```ts
 * const { config } = loadConfig(undefined)   // reads ./jiansuo.config.json if present
 * config.server?.port                        // 8080
 * ```
 */
export function loadConfig(explicit: string | undefined, cwd = process.cwd(), overridden: ReadonlySet<keyof JiansuoConfig> = new Set()): LoadedConfig {
  // `--config ""` (an unset shell variable) would name the working folder itself.
  if (explicit !== undefined && explicit.trim() === '') throw new ConfigError(['--config names no file (an empty path)'])
  const file = explicit === undefined ? join(cwd, CONFIG_FILE) : resolve(cwd, explicit)
  if (explicit === undefined && !existsSync(file)) return { file: null, config: {} }
  const name = displayName(file, cwd)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(err)})`
    throw new ConfigError([`config file ${name} ${why}`])
  }
  const config = validateConfig(parseJson(text, name), { source: name, name: keyPath })
  return { file, config: resolvePaths(config, dirname(file), { source: name, name: keyPath }, overridden) }
}

/** JSON.parse with the line and column of a syntax error, which editors can jump to. */
function parseJson(text: string, name: string): unknown {
  const json = text.replace(/^\uFEFF/, '')
  try {
    return JSON.parse(json)
  } catch (err) {
    const message = (err as Error).message
    const before = json.slice(0, syntaxErrorAt(json, message))
    const where = ` at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`
    // V8 quotes the text around an unexpected token (`Unexpected token 'w', ..."level": warn\n  }"... is not
    // valid JSON`), newlines and all: the line and column say where, so the error stays one line.
    const what = message.replace(/ in JSON at position \d+.*$/s, '').replace(/^(Unexpected token .+?), (?:\.\.\.)?".*$/s, '$1')
    throw new ConfigError([`${name} is not valid JSON${where}: ${what}`])
  }
}

/**
 * The offset of the syntax error JSON.parse reported for `json`. Most of V8's messages give its
 * position; those for an unexpected token (a bare word such as `warn` or `True`, a single quote, a
 * comma before `]`) do not, so it is found as the length of the longest start of `json` that could
 * still begin a valid document (JSON.parse of it fails only for want of what would follow).
 */
function syntaxErrorAt(json: string, message: string): number {
  const at = /position (\d+)/.exec(message)
  if (at) return Number(at[1])
  const couldContinue = (length: number): boolean => {
    try {
      JSON.parse(json.slice(0, length))
      return true
    } catch (err) {
      const position = /position (\d+)/.exec((err as Error).message)
      return /end of JSON input/.test((err as Error).message) || (position !== null && Number(position[1]) >= length)
    }
  }
  if (couldContinue(json.length)) return json.length
  let good = 0
  let bad = json.length
  while (bad - good > 1) {
    const middle = (good + bad) >>> 1
    if (couldContinue(middle)) good = middle
    else bad = middle
  }
  return good
}

/** Keys naming files that are read at start-up, so checked to exist and to be UTF-8. */
export const CHECKED_FILES = ['dictionary', 'synonyms'] as const

/**
 * Makes the config's paths absolute against `base`, and checks that the dictionary and synonyms
 * files exist (both are read at start-up; the posts and index folders may legitimately not exist yet),
 * unless `overridden` says another file is used instead.
 */
export function resolvePaths(config: JiansuoConfig, base: string, labels: ProblemLabels, overridden: ReadonlySet<keyof JiansuoConfig> = new Set()): JiansuoConfig {
  const out: JiansuoConfig = { ...config }
  for (const key of PATH_KEYS) {
    const value = config[key]
    if (value !== undefined) out[key] = resolve(base, value)
  }
  // Every file's problem, each on its line, as the schema's are reported.
  const problems: string[] = []
  for (const key of CHECKED_FILES) {
    const value = out[key]
    if (value === undefined || overridden.has(key)) continue
    const prefix = labels.source === undefined ? '' : `${labels.source}: `
    if (!isFile(value)) problems.push(`${prefix}${labels.name([key])}: file ${value} does not exist or is not a file`)
    // Read as UTF-8, a file saved as GBK would become replacement characters, silently: synonyms that match nothing.
    else if (!isUtf8(readFileSync(value))) problems.push(`${prefix}${labels.name([key])}: file ${value} is not UTF-8 text; save it as UTF-8`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return out
}

function isFile(path: string): boolean {
  try {
    const stat = statSync(path)
    // /dev/null is how the README says to build without a dictionary or synonyms: it reads as empty.
    return stat.isFile() || stat.isCharacterDevice()
  } catch {
    return false
  }
}

function displayName(file: string, cwd: string): string {
  const rel = relative(cwd, file)
  return rel === '' ? '.' : rel.startsWith('..') ? file : rel
}
