import { Router } from 'express'
import type { EngineHandle } from './engine-handle.js'
import { HttpError } from './errors.js'
import type { QueryValues } from './query-string.js'
import type { RequestLogFields } from './request-log.js'
import { parseSearchParams, type SearchLimits } from './search-params.js'

/** `GET /search` and `GET /healthz`: validate, ask the engine, answer JSON. No search logic here. */
export function apiRoutes(engine: EngineHandle, limits: SearchLimits): Router {
  const router = Router()

  router.get('/search', (req, res) => {
    const params = parseSearchParams(req.query as QueryValues, limits)
    const response = engine.current().search(params)
    const logFields: RequestLogFields = { hits: response.hits.length, total: response.total }
    res.locals.logFields = logFields
    res.set('Cache-Control', 'no-cache')
    res.set('Server-Timing', `search;dur=${response.took_ms}`)
    res.json(response)
  })

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json({ status: 'ok', documents: engine.current().documentCount })
  })

  // The API is read-only; say so rather than answering 404 to a POST.
  router.all(['/search', '/healthz'], (req, res, next) => {
    res.set('Allow', 'GET, HEAD')
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use GET.`))
  })

  return router
}
