import type { ServerResponse } from 'node:http'
import { Router } from 'express'
import type { Logger } from 'pino'
import { CorruptIndexError } from '../index/container.js'
import type { SearchEngine } from '../search/engine.js'
import type { SearchParams } from '../search/types.js'
import { bodyOf, bodyWithTook, encodeSearch, roundMs, type EncodedSearch } from './encoded-search.js'
import type { EngineHandle } from './engine-handle.js'
import { getOnly, HttpError } from './errors.js'
import { openApiDocument } from './openapi.js'
import type { QueryValues } from './query-string.js'
import type { RequestLogFields } from './request-log.js'
import { cacheKey, ResponseCache } from './response-cache.js'
import { parseSearchParams, type SearchLimits } from './search-params.js'
import { SearchQueue, type SearchQueueLimits } from './search-queue.js'

export interface ApiLimits extends SearchLimits, SearchQueueLimits {
  /** Bytes of `/search` bodies kept for repeated queries; 0 keeps none. */
  cacheBytes: number
}

/**
 * `GET /search`, `GET /healthz` and `GET /openapi.json`: validate, ask the engine (or the
 * search threads), answer JSON. No search logic here.
 */
export function apiRoutes(engine: EngineHandle, limits: ApiLimits, log?: Logger): Router {
  const router = Router()
  const pool = engine.pool
  const queue = new SearchQueue(limits, pool?.concurrency ?? 1)
  const cache = limits.cacheBytes > 0 ? new ResponseCache(limits.cacheBytes) : undefined
  /**
   * A generation whose files were found damaged on disk while serving it (truncated or overwritten
   * after it was loaded): its searches answer 503 and /healthz says so, until another is loaded.
   */
  let damaged: string | undefined
  const isDamaged = () => damaged !== undefined && damaged === generationOf(engine.current())
  const markDamaged = (served: SearchEngine, error: Error) => {
    if (damaged !== generationOf(served)) log?.error({ err: error, generation: generationOf(served) }, 'the served index is damaged on disk; searches answer 503 until it is rebuilt')
    damaged = generationOf(served)
  }

  router.get('/search', async (req, res) => {
    const started = performance.now()
    const params = parseSearchParams(req.query as QueryValues, limits)
    // Answers cached before the damage was found would send readers to documents that can no longer be read.
    if (isDamaged()) throw indexDamaged()
    const key = cache === undefined ? undefined : cacheKey(params)
    if (key !== undefined) {
      const cached = cache!.get(key, generationOf(engine.current()))
      if (cached !== undefined) {
        // took_ms says what this request cost: the lookup, not the search that filled the entry.
        const tookMs = roundMs(performance.now() - started)
        sendSearch(res, cached, bodyWithTook(cached, tookMs), tookMs, 'hit')
        return
      }
    }
    // Before the response is written, 'close' means the client went away.
    let gone = false
    res.once('close', () => {
      gone = true
    })
    // The engine is fetched when the search's turn comes, so a reload meanwhile is already used.
    let served: SearchEngine | undefined
    let encoded: EncodedSearch | undefined
    try {
      encoded = await queue.run(
        () => {
          served = engine.current()
          return pool ? pool.search(params, served) : searchHere(served, params)
        },
        () => gone || req.destroyed || req.socket.destroyed,
      )
    } catch (error) {
      if (served === undefined || !(error instanceof Error) || error.name !== CorruptIndexError.name) throw error
      markDamaged(served, error)
      throw indexDamaged()
    }
    if (encoded === undefined) return // the client hung up while waiting
    if (key !== undefined) cache!.set(key, encoded)
    sendSearch(res, encoded, bodyOf(encoded), encoded.tookMs, cache === undefined ? undefined : 'miss')
  })

  router.get('/healthz', (_req, res) => {
    const current = engine.current()
    // A monitor learns of a texts' file cut short without waiting for a search to trip on it.
    if (!isDamaged() && current.index.cutShort()) markDamaged(current, new Error('a file of the served index was cut short on disk'))
    const damagedNow = isDamaged()
    // Search threads configured but none running: every search would be a 503 until one starts again.
    const noThreads = pool !== undefined && pool.alive === 0
    res.set('Cache-Control', 'no-store')
    res.status(damagedNow || noThreads ? 503 : 200).json({
      status: damagedNow ? 'damaged' : noThreads ? 'unavailable' : 'ok',
      documents: current.documentCount,
      // Which build is being served: after a rebuild, every process sharing the folder should show the new one.
      generation: generationOf(current),
      built_at: current.index.manifest.createdAt,
      queued_searches: queue.length,
      search_threads: pool?.alive ?? 0,
      ...(cache && { cache: cache.stats }),
    })
  })

  const openApi = JSON.stringify(openApiDocument(limits))
  router.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300')
    res.type('application/json').send(openApi)
  })

  // The API is read-only; say so rather than answering 404 to a POST.
  router.all(['/search', '/healthz', '/openapi.json'], getOnly)

  return router
}

const generationOf = (engine: SearchEngine): string => engine.index.manifest.generation

const indexDamaged = () =>
  new HttpError(503, 'index_damaged', 'The index on disk is damaged (changed after it was loaded); searches work again once it is rebuilt.')

function searchHere(engine: SearchEngine, params: SearchParams): EncodedSearch {
  return encodeSearch(engine.search(params), generationOf(engine))
}

/**
 * Writes a serialized body as it is: no second JSON.stringify, and no ETag, which would hash every
 * body although took_ms makes each one different anyway.
 */
function sendSearch(res: ServerResponse & { locals: Record<string, unknown> }, encoded: EncodedSearch, body: readonly Uint8Array[], tookMs: number, cache: 'hit' | 'miss' | undefined): void {
  const logFields: RequestLogFields = { hits: encoded.hits, total: encoded.total, ...(cache && { cache }) }
  res.locals.logFields = logFields
  res.statusCode = 200
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', body.reduce((sum, part) => sum + part.byteLength, 0))
  res.setHeader('Cache-Control', 'no-cache')
  res.setHeader('Server-Timing', `search;dur=${tookMs}`)
  if (cache !== undefined) res.setHeader('X-Cache', cache)
  // One end() with the parts joined: corking the response for several writes stalls the compression
  // middleware, whose compressed output then waits for a drain that a corked socket never gives.
  res.end(body.length === 1 ? body[0] : Buffer.concat(body))
}
