import type { SearchParams } from '../search/types.js'
import type { EncodedSearch } from './encoded-search.js'

/** Map entry, key and bookkeeping, roughly, on top of the body's bytes. */
const ENTRY_OVERHEAD = 160

/**
 * The validated parameters of a search as one string: every field given, by name in a fixed order,
 * so two requests share an entry exactly when they ask the same thing (`?size=10` and no size,
 * `&category=` and none, parameters in another order). Built from whatever fields the params hold,
 * so a parameter added later is part of the key without anyone remembering to add it here.
 */
export function cacheKey(params: SearchParams): string {
  const fields = params as unknown as Record<string, unknown>
  const names = Object.keys(fields).filter((name) => fields[name] !== undefined).sort()
  return JSON.stringify(names.map((name) => [name, fields[name]]))
}

export interface ResponseCacheStats {
  entries: number
  bytes: number
  hits: number
  misses: number
}

/**
 * Recently answered `/search` bodies, least recently used evicted first, bounded by bytes. Entries
 * belong to one index generation: a lookup for another generation (a reload happened) empties the
 * cache, and a body computed by the previous generation is never stored after the switch.
 */
export class ResponseCache {
  private readonly entries = new Map<string, EncodedSearch>()
  private bytes = 0
  private generation = ''
  private hits = 0
  private misses = 0

  constructor(readonly maxBytes: number) {}

  /** The body stored for `key` under `generation`, marked as just used. */
  get(key: string, generation: string): EncodedSearch | undefined {
    if (generation !== this.generation) {
      this.clear()
      this.generation = generation
    }
    const found = this.entries.get(key)
    if (found === undefined) {
      this.misses++
      return undefined
    }
    this.hits++
    // A Map iterates in insertion order: re-inserting makes it the most recent.
    this.entries.delete(key)
    this.entries.set(key, found)
    return found
  }

  /** Stores a body answered by the current generation; one bigger than an eighth of the cache is not kept. */
  set(key: string, value: EncodedSearch): void {
    if (value.generation !== this.generation || value.tookStart < 0) return
    const size = sizeOf(key, value)
    if (size > this.maxBytes / 8) return
    const old = this.entries.get(key)
    if (old !== undefined) {
      this.entries.delete(key)
      this.bytes -= sizeOf(key, old)
    }
    this.entries.set(key, value)
    this.bytes += size
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.entries.delete(oldest)
      this.bytes -= sizeOf(oldest, entry)
    }
  }

  clear(): void {
    this.entries.clear()
    this.bytes = 0
  }

  get stats(): ResponseCacheStats {
    return { entries: this.entries.size, bytes: this.bytes, hits: this.hits, misses: this.misses }
  }
}

function sizeOf(key: string, value: EncodedSearch): number {
  return value.bytes.byteLength + key.length * 2 + value.generation.length * 2 + ENTRY_OVERHEAD
}
