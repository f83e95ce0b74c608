import { fileURLToPath } from 'node:url'
import type { LevelWithSilent, Logger } from 'pino'
import proxyAddr from 'proxy-addr'
import { z } from 'zod'

/** How the server behaves; every field has a default that suits a public deployment. */
export interface ServerOptions {
  /**
   * Longest `q` accepted, in characters; longer queries get a 400. Default 200.
   * Raising it lets clients ask for more work per request.
   */
  maxQueryLength: number
  /**
   * Requests to `/search` allowed per client IP in each window; `false` turns limiting off
   * (benchmarks, or when a reverse proxy already limits). Default 300 per minute.
   */
  rateLimit: { windowMs: number; limit: number } | false
  /** Request log level (`info` logs one line per request; `silent` for tests). Default `info`. */
  logLevel: LevelWithSilent
  /** A logger to write to instead of a new one on stdout; `logLevel` is then ignored. */
  logger: Logger | undefined
  /**
   * Express's `trust proxy`: set it when running behind a reverse proxy, so rate limiting and logs
   * see the client's address rather than the proxy's. Default false.
   */
  trustProxy: boolean | number | string
  /**
   * Searches allowed to wait for their turn (searches run one at a time); past this, a search is
   * answered 503 with `Retry-After` at once instead of adding to everyone's wait. Default 100.
   */
  maxQueuedSearches: number
  /** A search that waited this long for its turn is answered 503 with `Retry-After` instead of run. Default 5000 ms. */
  searchTimeoutMs: number
  /**
   * Deadline for receiving a whole request, headers and body (Node's `requestTimeout`); a client
   * dribbling its request (slowloris) is cut off with 408. Default 30 000 ms.
   */
  requestTimeoutMs: number
  /** gzip/brotli responses when the client accepts it. Default true. */
  compression: boolean
  /**
   * Bytes of `/search` responses kept for repeated queries (an LRU keyed by the validated
   * parameters and the index generation, so a reload empties it). 0 turns the cache off. Default 32 MiB.
   */
  cacheBytes: number
  /** Folder of the search page's files. Default: the package's `web/`. */
  webDir: string
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  maxQueryLength: 200,
  rateLimit: { windowMs: 60_000, limit: 300 },
  logLevel: 'info',
  logger: undefined,
  trustProxy: false,
  maxQueuedSearches: 100,
  searchTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  compression: true,
  cacheBytes: 32 * 1024 * 1024,
  // dist/src/server/options.js → the package root's web/
  webDir: fileURLToPath(new URL('../../../web/', import.meta.url)),
}

/**
 * Whether Express will take `value` as its `trust proxy` list (`loopback, 10.0.0.0/8`): it splits it at
 * commas and hands it to proxy-addr, which throws on anything but addresses, subnets and the names
 * loopback, linklocal, uniquelocal. Checked here, so a typo is refused before the server starts.
 */
function isProxyList(value: string): boolean {
  try {
    proxyAddr.compile(value.split(',').map((part) => part.trim()))
    return true
  } catch {
    return false
  }
}

/** Bounds of each option, shared with the config file's schema (src/config) so both refuse the same values. */
export const serverOptionFields = {
  maxQueryLength: z.number().int().min(1).max(100_000),
  rateLimit: z.union([
    z.literal(false),
    z.strictObject({ windowMs: z.number().int().min(1).max(86_400_000), limit: z.number().int().min(1) }),
  ]),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  trustProxy: z.union([z.boolean(), z.number().int().min(0), z.string().min(1).refine(isProxyList, { error: 'must be true, false, a number of proxy hops, or addresses and subnets (or loopback, linklocal, uniquelocal) separated by commas' })]),
  maxQueuedSearches: z.number().int().min(1).max(100_000),
  searchTimeoutMs: z.number().int().min(1).max(600_000),
  requestTimeoutMs: z.number().int().min(1).max(3_600_000),
  compression: z.boolean(),
  cacheBytes: z.number().int().min(0).max(2 ** 34),
}

const optionsSchema = z.object({
  ...serverOptionFields,
  logger: z.custom<Logger>().optional(),
  webDir: z.string().min(1),
})

/** Fills in defaults and rejects nonsense (a zero limit, a negative window) before the server starts. */
export function resolveServerOptions(given: Partial<ServerOptions> = {}): ServerOptions {
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined))
  const merged = { ...DEFAULT_SERVER_OPTIONS, ...defined }
  const parsed = optionsSchema.safeParse(merged)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`Invalid server option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  return { ...merged, logger: given.logger }
}
