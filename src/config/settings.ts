import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { EngineOptions } from '../search/engine.js'
import type { RankingOptions } from '../search/rank.js'
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from '../server/options.js'
import { configFromFlags, mergeConfig, type FlagSpec } from './flags.js'
import { CHECKED_FILES, loadConfig } from './load.js'
import type { JiansuoConfig } from './schema.js'

export interface EffectiveConfig {
  /** The config file read, or null. */
  file: string | null
  /** The file's settings with the command line's laid over them. */
  config: JiansuoConfig
}

/**
 * What a command runs with: `--config <file>` (or ./jiansuo.config.json when present), overridden by
 * the flags actually given on its command line.
 */
export function effectiveConfig(command: Command, specs: readonly FlagSpec[], cwd = process.cwd()): EffectiveConfig {
  const explicit = command.opts<{ config?: string }>().config
  const flags = configFromFlags(command, specs, cwd)
  const overridden = new Set(CHECKED_FILES.filter((key) => flags[key] !== undefined))
  const loaded = loadConfig(explicit, cwd, overridden)
  return { file: loaded.file, config: mergeConfig(loaded.config, flags) }
}

export const DEFAULT_INDEX_DIR = 'index-data'
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_PORT = 3000
export const DEFAULT_RELOAD_POLL_MS = 2000

/** The server options a config sets; unset ones are left out so the server's defaults apply. */
export function serverOptionsOf(config: JiansuoConfig): Partial<ServerOptions> {
  const limits = config.limits ?? {}
  const server = config.server ?? {}
  const defaultRate = DEFAULT_SERVER_OPTIONS.rateLimit || { windowMs: 60_000, limit: 300 }
  const rateLimit =
    limits.rateLimit === undefined ? undefined : limits.rateLimit === false ? false : { ...defaultRate, ...defined(limits.rateLimit) }
  return defined({
    maxQueryLength: limits.maxQueryLength,
    rateLimit,
    maxQueuedSearches: limits.maxQueuedSearches,
    searchTimeoutMs: limits.searchTimeoutMs,
    requestTimeoutMs: limits.requestTimeoutMs,
    logLevel: server.logLevel,
    trustProxy: server.trustProxy,
    compression: server.compression,
    cacheBytes: server.cacheMB === undefined ? undefined : Math.round(server.cacheMB * 2 ** 20),
  })
}

/**
 * How the engine is opened: the ranking overrides, and the user dictionary only when one is named
 * (otherwise the engine uses the one stored with the index, which is always the right one).
 */
export function engineOptionsOf(config: JiansuoConfig): EngineOptions {
  return {
    ranking: defined(config.ranking ?? {}) as Partial<RankingOptions>,
    userDictionary: config.dictionary === undefined ? undefined : readFileSync(config.dictionary, 'utf8'),
  }
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
