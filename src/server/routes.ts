import { Router } from 'express'
import type { EngineHandle } from './engine-handle.js'
import { HttpError } from './errors.js'
import { openApiDocument } from './openapi.js'
import type { QueryValues } from './query-string.js'
import type { RequestLogFields } from './request-log.js'
import { parseSearchParams, type SearchLimits } from './search-params.js'
import { SearchQueue, type SearchQueueLimits } from './search-queue.js'

/**
 * `GET /search`, `GET /healthz` and `GET /openapi.json`: validate, ask the engine, answer JSON.
 * No search logic here.
 */
export function apiRoutes(engine: EngineHandle, limits: SearchLimits & SearchQueueLimits): Router {
  const router = Router()
  const queue = new SearchQueue(limits)

  router.get('/search', async (req, res) => {
    const params = parseSearchParams(req.query as QueryValues, limits)
    // Before the response is written, 'close' means the client went away.
    let gone = false
    res.once('close', () => {
      gone = true
    })
    // The engine is fetched when the search's turn comes, so a reload meanwhile is already used.
    const response = await queue.run(
      () => engine.current().search(params),
      () => gone || req.destroyed || req.socket.destroyed,
    )
    if (response === undefined) return // the client hung up while waiting
    const logFields: RequestLogFields = { hits: response.hits.length, total: response.total }
    res.locals.logFields = logFields
    res.set('Cache-Control', 'no-cache')
    res.set('Server-Timing', `search;dur=${response.took_ms}`)
    res.json(response)
  })

  router.get('/healthz', (_req, res) => {
    const current = engine.current()
    res.set('Cache-Control', 'no-store')
    res.json({
      status: 'ok',
      documents: current.documentCount,
      // Which build is being served: after a rebuild, every process sharing the folder should show the new one.
      generation: current.index.manifest.generation,
      built_at: current.index.manifest.createdAt,
      queued_searches: queue.length,
    })
  })

  const openApi = JSON.stringify(openApiDocument(limits))
  router.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300')
    res.type('application/json').send(openApi)
  })

  // The API is read-only; say so rather than answering 404 to a POST.
  router.all(['/search', '/healthz', '/openapi.json'], (req, res, next) => {
    res.set('Allow', 'GET, HEAD')
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use GET.`))
  })

  return router
}
