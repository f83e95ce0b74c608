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
 * and the key at fault.
 *
 * ```ts
 * const { config } = loadConfig(undefined)   // reads ./jiansuo.config.json if present
 * config.server?.port                        // 8080
 * ```
 */
export function loadConfig(explicit: string | undefined, cwd = process.cwd()): LoadedConfig {
  const file = explicit === undefined ? join(cwd, CONFIG_FILE) : resolve(cwd, explicit)
  if (explicit === undefined && !existsSync(file)) return { file: null, config: {} }
  const name = displayName(file, cwd)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ConfigError([`config file ${name} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(err)})`}`])
  }
  const config = validateConfig(parseJson(text, name), { source: name, name: keyPath })
  return { file, config: resolvePaths(config, dirname(file), { source: name, name: keyPath }) }
}

/** JSON.parse with the line and column of a syntax error, which editors can jump to. */
function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    const message = (err as Error).message
    const at = /position (\d+)/.exec(message)
    let where = ''
    if (at) {
      const before = text.slice(0, Number(at[1]))
      const line = before.split('\n').length
      where = ` at line ${line}, column ${Number(at[1]) - before.lastIndexOf('\n')}`
    }
    throw new ConfigError([`${name} is not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`])
  }
}

/**
 * Makes the config's paths absolute against `base`, and checks that the dictionary and synonyms
 * files exist (both are read at start-up; the posts and index folders may legitimately not exist yet).
 */
export function resolvePaths(config: JiansuoConfig, base: string, labels: ProblemLabels): JiansuoConfig {
  const out: JiansuoConfig = { ...config }
  for (const key of PATH_KEYS) {
    const value = config[key]
    if (value !== undefined) out[key] = resolve(base, value)
  }
  for (const key of ['dictionary', 'synonyms'] as const) {
    const value = out[key]
    if (value !== undefined && !isFile(value)) {
      const prefix = labels.source === undefined ? '' : `${labels.source}: `
      throw new ConfigError([`${prefix}${labels.name([key])}: file ${value} does not exist or is not a file`])
    }
  }
  return out
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function displayName(file: string, cwd: string): string {
  const rel = relative(cwd, file)
  return rel.startsWith('..') ? file : rel
}
