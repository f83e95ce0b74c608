import { STATUS_CODES } from 'node:http'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { Logger } from 'pino'

/** The JSON body of every error response: `{"error": {"code", "message", "param"?}}` (CONTRACT.md). */
export interface ErrorBody {
  error: {
    code: string
    message: string
    /** The query parameter at fault, when one is. */
    param?: string
  }
}

/** An error whose status and message are meant for the client. */
export class HttpError extends Error {
  readonly status: number
  readonly code: string
  readonly param: string | undefined
  /** Response headers that go with the error, such as `Retry-After`. */
  readonly headers: Readonly<Record<string, string>>

  constructor(status: number, code: string, message: string, param?: string, headers: Record<string, string> = {}) {
    super(message)
    this.name = 'HttpError'
    this.status = status
    this.code = code
    this.param = param
    this.headers = headers
  }
}

export function badRequest(message: string, param?: string): HttpError {
  return new HttpError(400, 'bad_request', message, param)
}

/** For a path that answers GET alone (the API and the pages are read-only): 405 with Allow, rather than a 404 to a POST. */
export const getOnly: RequestHandler = (req, res, next) => {
  res.set('Allow', 'GET, HEAD')
  next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use GET.`))
}

/** Codes for the 4xx statuses that Express and its middleware raise on their own. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  414: 'uri_too_long',
  408: 'request_timeout',
  416: 'range_not_satisfiable',
  429: 'rate_limited',
}

/** Turns anything thrown in a request into the status and body the client gets; never leaks a stack. */
export function describeError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof HttpError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } }
    if (err.param !== undefined) body.error.param = err.param
    return { status: err.status, body }
  }
  // decodeURIComponent on a broken %-escape, wherever it happened.
  if (err instanceof URIError) {
    return { status: 400, body: { error: { code: 'bad_request', message: 'The URL is not valid: bad percent-encoding.' } } }
  }
  const status = statusOf(err)
  if (status !== undefined && status >= 400 && status < 500) {
    // http-errors marks client errors `expose`; their messages are written for clients.
    const exposed = typeof err === 'object' && err !== null && (err as { expose?: unknown }).expose === true
    const message = exposed && err instanceof Error ? err.message : (STATUS_CODES[status] ?? 'Bad request')
    const body: ErrorBody = { error: { code: CODE_BY_STATUS[status] ?? 'client_error', message } }
    const param = (err as { param?: unknown }).param
    if (exposed && typeof param === 'string') body.error.param = param
    return { status, body }
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'Internal error; it has been logged.' } } }
}

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown }
  if (typeof status === 'number') return status
  if (typeof statusCode === 'number') return statusCode
  return undefined
}

/** The one place errors become responses. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      // Too late for a clean answer; Express closes the connection.
      next(err)
      return
    }
    const { status, body } = describeError(err)
    if (status >= 500 && !(err instanceof HttpError)) log.error({ err, method: req.method, url: req.originalUrl }, 'request failed')
    if (err instanceof HttpError) res.set(err.headers)
    // A static file's handler may have labelled the response before failing (a 416 for a range past
    // its end): the body is this JSON, not the file, so its type and validators go.
    res.removeHeader('ETag')
    res.removeHeader('Last-Modified')
    res.status(status).set('Cache-Control', 'no-store').type('json').json(body)
  }
}

/** Unknown routes: JSON for programs, a small page for browsers that asked for HTML. */
export function notFound(notFoundPage: string): RequestHandler {
  return (req, res, next) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && req.accepts(['json', 'html']) === 'html') {
      // An answer, not a file being served: a probe asking for a range still sees a 404 (not 206 or 416).
      res.status(404).sendFile(notFoundPage, { acceptRanges: false, lastModified: false, cacheControl: false }, (err) => {
        if (err) next(new HttpError(404, 'not_found', `Nothing here: ${req.path}`))
      })
      return
    }
    next(new HttpError(404, 'not_found', `Nothing here: ${req.method} ${req.path}`))
  }
}
