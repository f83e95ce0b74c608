import { readdirSync } from 'node:fs'
import path from 'node:path'
import { constants as zlibConstants } from 'node:zlib'
import compression from 'compression'
import express from 'express'
import { rateLimit } from 'express-rate-limit'
import { docRoutes } from './doc-route.js'
import type { EngineHandle } from './engine-handle.js'
import { errorHandler, getOnly, HttpError, notFound } from './errors.js'
import { resolveServerOptions, type ServerOptions } from './options.js'
import { parseQueryString } from './query-string.js'
import { requestLog, serverLogger } from './request-log.js'
import { apiRoutes } from './routes.js'
import { securityHeaders } from './security.js'
import { suggestRoutes } from './suggest-route.js'

export type { EngineHandle } from './engine-handle.js'
export { fixedEngine } from './engine-handle.js'
export type { ServerOptions } from './options.js'

/**
 * gzip/brotli for clients that ask for it. A request without Accept-Encoding (scripts, load
 * balancers' probes, autocannon) skips the middleware, which otherwise costs about 0.1 ms of
 * negotiation and header hooks per response even when it compresses nothing (measured with
 * --cpu-prof on cached /search answers: 300 → 200 µs of server CPU per request). Vary is still set,
 * so a shared cache keeps the two forms apart. Bodies under 1 KB are never compressed.
 *
 * Brotli at quality 1, not the middleware's 4: every response is compressed as it is sent, and a browser
 * asks for brotli. On a hundred /search pages (9 KB of JSON each) quality 4 took ~3 × the CPU of quality 1
 * for 5% fewer bytes (3,241 against 3,418).
 */
function compressWhenAccepted(): express.RequestHandler {
  const compress = compression({ threshold: 1024, brotli: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } } })
  return (req, res, next) => {
    if (req.headers['accept-encoding'] !== undefined) {
      compress(req, res, next)
      return
    }
    res.setHeader('Vary', 'Accept-Encoding')
    next()
  }
}

/** How many times the search limit a client may ask /suggest for in the same window. */
const SUGGEST_RATE_FACTOR = 4

/**
 * The jiansuo web app: the search page at `/` (and an article's reading page, `/read.html`), `GET /search`,
 * `GET /suggest`, `GET /doc` and `GET /healthz` (CONTRACT.md, README).
 *
 * ```ts
 * const app = createApp(fixedEngine(SearchEngine.open('index-data')), { rateLimit: false })
 * ```
 */
export function createApp(engine: EngineHandle, options: Partial<ServerOptions> = {}): express.Express {
  const settings = resolveServerOptions(options)
  const log = serverLogger(settings)
  const app = express()

  app.set('query parser', parseQueryString)
  app.set('trust proxy', settings.trustProxy)
  app.set('x-powered-by', false)
  app.set('etag', 'weak')

  app.use(requestLog(log))
  app.use(securityHeaders())
  if (settings.compression) app.use(compressWhenAccepted())
  if (settings.rateLimit !== false) {
    const { windowMs, limit } = settings.rateLimit
    const perClient = (what: string, most: number) =>
      rateLimit({
        windowMs,
        limit: most,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        // Only a search or a suggestion counts; another method gets its 405 without using one up.
        skip: (req) => req.method !== 'GET' && req.method !== 'HEAD',
        // Headers any client may send: whether they are believed is `trustProxy` ("Deploying"); checked
        // here, they printed the library's stack trace to the server's stderr for anyone who sent one.
        validate: { xForwardedForHeader: false, forwardedHeader: false },
        handler: (_req, _res, next) => next(new HttpError(429, 'rate_limited', `Too many ${what} from this address; at most ${most} per ${Math.ceil(windowMs / 1000)} s.`)),
      })
    app.use('/search', perClient('searches', limit))
    // Reading an article is a page view, as a search is: the same allowance.
    app.use('/doc', perClient('document requests', limit))
    // The page asks for suggestions as the user types, a request per keystroke: a larger allowance.
    app.use('/suggest', perClient('suggestion requests', limit * SUGGEST_RATE_FACTOR))
  }

  app.use(apiRoutes(engine, settings, log))
  app.use(suggestRoutes(engine, settings))
  app.use(docRoutes(engine, settings))
  app.use(express.static(settings.webDir, { index: 'index.html', dotfiles: 'ignore', redirect: false }))
  // Another method on a page is a 405, as on the API: "Nothing here: POST /" was not true.
  app.all(['/', ...readdirSync(settings.webDir).map((name) => `/${name}`)], getOnly)
  app.use(notFound(path.join(settings.webDir, '404.html')))
  app.use(errorHandler(log))
  return app
}
