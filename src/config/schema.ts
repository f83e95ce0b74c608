import { z } from 'zod'
import { serverOptionFields } from '../server/options.js'

/** A path in the config file; relative paths are relative to the file's own folder. */
const path = z.string().min(1, { error: 'must be a non-empty path' })

const weight = (max: number) => z.number().min(0).max(max)

/**
 * `jiansuo.config.json`: every key optional; a key also given on the command line is overridden
 * by the flag. Unknown keys are errors, so a typo is caught rather than silently ignored.
 */
export const configSchema = z.strictObject({
  /** Lets editors fetch a JSON schema for completion; ignored by jiansuo. */
  $schema: z.string().optional(),
  /** Folder of posts: what `index` reads, and what `serve` brings the index up to date with before serving. */
  posts: path.optional(),
  /** Index folder. Default `index-data`. */
  index: path.optional(),
  /** Jieba user dictionary (`word [freq [tag]]` per line), used both to build and to search. */
  dictionary: path.optional(),
  /** Synonym groups file, one group per line; stored with the index and applied to queries. */
  synonyms: path.optional(),
  /** Worker threads for `index`. Default: one per core. */
  workers: z.number().int().min(1).max(16).optional(),
  server: z
    .strictObject({
      host: z.string().min(1).optional(),
      port: z.number().int().min(0).max(65_535).optional(),
      logLevel: serverOptionFields.logLevel.optional(),
      trustProxy: z
        .union(serverOptionFields.trustProxy.options, {
          error: 'must be true, false, a number of proxy hops, or addresses/subnets as a string',
        })
        .optional(),
      compression: serverOptionFields.compression.optional(),
      /** Follow index rebuilds without a restart. Default true. */
      reload: z.boolean().optional(),
      /** How often the manifest is checked besides file-system events, in ms; 0 = events only. Default 2000. */
      reloadPollMs: z.number().int().min(0).max(3_600_000).optional(),
      /** Search threads sharing one copy of the index; 0 searches on the main thread. Default: one per core. */
      workers: z.number().int().min(0).max(64).optional(),
      /** Megabytes of /search responses cached for repeated queries; 0 = no cache. Default 32. */
      cacheMB: z.number().min(0).max(16_384).optional(),
    })
    .optional(),
  limits: z
    .strictObject({
      maxQueryLength: serverOptionFields.maxQueryLength.optional(),
      rateLimit: z
        .union(
          [
            z.literal(false),
            // Either field alone keeps the other's default.
            z.strictObject({
              windowMs: serverOptionFields.rateLimit.options[1].shape.windowMs.optional(),
              limit: serverOptionFields.rateLimit.options[1].shape.limit.optional(),
            }),
          ],
          { error: 'must be false (no limit) or {"windowMs": …, "limit": …}' },
        )
        .optional(),
      maxQueuedSearches: serverOptionFields.maxQueuedSearches.optional(),
      searchTimeoutMs: serverOptionFields.searchTimeoutMs.optional(),
      requestTimeoutMs: serverOptionFields.requestTimeoutMs.optional(),
    })
    .optional(),
  /** Field weights and BM25F parameters (src/search/rank.ts); the defaults were tuned on ../shared/eval. */
  ranking: z
    .strictObject({
      k1: z.number().gt(0).max(10).optional(),
      titleWeight: weight(100).optional(),
      titleB: weight(1).optional(),
      bodyB: weight(1).optional(),
      wordBonus: weight(10).optional(),
      proximity: weight(100).optional(),
      phrase: weight(100).optional(),
      lead: weight(100).optional(),
      exactTitle: weight(100).optional(),
    })
    .optional(),
})

export type JiansuoConfig = z.infer<typeof configSchema>

/** The keys holding paths, resolved against the config file's folder. */
export const PATH_KEYS = ['posts', 'index', 'dictionary', 'synonyms'] as const

/** How problems are reported: `source` (the file's name; none for flags) and each key as `name(path)` spells it. */
export interface ProblemLabels {
  source?: string
  name: (path: readonly PropertyKey[]) => string
}

/** The file's own spelling of a key: `server.port`. */
export const keyPath = (path: readonly PropertyKey[]): string => (path.length ? path.map(String).join('.') : '(top level)')

/** Validates `value` as a config; on failure, throws one error listing every problem, each naming its key. */
export function validateConfig(value: unknown, labels: ProblemLabels): JiansuoConfig {
  const parsed = configSchema.safeParse(value, { reportInput: true })
  if (parsed.success) return parsed.data
  const prefix = labels.source === undefined ? '' : `${labels.source}: `
  throw new ConfigError(parsed.error.issues.slice(0, 8).map((issue) => prefix + describeIssue(issue, labels.name)))
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `invalid configuration:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

function describeIssue(issue: z.core.$ZodIssue, where: (path: readonly PropertyKey[]) => string): string {
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(shapeAt(issue.path))
    const keys = issue.keys.map((key) => where([...issue.path, key]))
    return `unknown key ${keys.join(', ')}${known.length ? ` (known here: ${known.join(', ')})` : ''}`
  }
  const got = 'input' in issue && issue.input !== undefined ? ` (got ${shown(issue.input)})` : ''
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message.replace(/^Invalid input: /, '')
  return `${where(issue.path)}: ${message}${got}`
}

/** The keys the schema knows at an object path, to suggest the right spelling. */
function shapeAt(path: readonly PropertyKey[]): Record<string, unknown> {
  let schema: z.ZodType = configSchema
  for (const key of path) {
    const inner = unwrap(schema)
    if (!(inner instanceof z.ZodObject)) return {}
    schema = (inner.shape as Record<string, z.ZodType>)[String(key)] ?? z.never()
  }
  const inner = unwrap(schema)
  if (inner instanceof z.ZodObject) return inner.shape as Record<string, unknown>
  if (inner instanceof z.ZodUnion) {
    const object = inner.options.find((option) => option instanceof z.ZodObject)
    if (object instanceof z.ZodObject) return object.shape as Record<string, unknown>
  }
  return {}
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? unwrap(schema.unwrap() as z.ZodType) : schema
}

function shown(value: unknown): string {
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    // Nested deeper than JSON.stringify's stack reaches (a file of 100,000 `[`): "Maximum call stack size exceeded" named no file.
    return Array.isArray(value) ? '[…]' : '{…}'
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}
