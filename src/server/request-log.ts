import type { RequestHandler } from 'express'
import { pino, type Logger } from 'pino'
import type { ServerOptions } from './options.js'

/** The server's logger: the caller's, or JSON lines on stdout at the configured level. */
export function serverLogger(options: Pick<ServerOptions, 'logger' | 'logLevel'>): Logger {
  return options.logger ?? pino({ name: 'jiansuo', level: options.logLevel })
}

/** What a route tells the request log about its work (set on `res.locals.logFields`). */
export interface RequestLogFields {
  /** Hits on the page returned. */
  hits?: number
  /** All matches, as `total` in the response. */
  total?: number
  /** Whether a search was answered from the response cache. */
  cache?: 'hit' | 'miss'
}

/**
 * One line per finished request, with latency and, for searches, result counts.
 * Requests the client abandoned are logged too, marked `aborted`.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    if (!log.isLevelEnabled('info')) {
      next()
      return
    }
    const started = process.hrtime.bigint()
    const write = (aborted: boolean) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      const fields = res.locals.logFields as RequestLogFields | undefined
      log.info(
        { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 100) / 100, ip: req.ip, ...fields, ...(aborted ? { aborted } : {}) },
        'request',
      )
    }
    res.once('finish', () => write(false))
    res.once('close', () => {
      if (!res.writableFinished) write(true)
    })
    next()
  }
}
