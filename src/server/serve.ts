import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { AddressInfo, Socket } from 'node:net'
import { createApp } from './app.js'
import { appMessageClasses } from './app-prototypes.js'
import type { EngineHandle } from './engine-handle.js'
import { badRequest, describeError, HttpError } from './errors.js'
import { resolveServerOptions, type ServerOptions } from './options.js'
import { serverLogger } from './request-log.js'

export interface StartServerOptions extends Partial<ServerOptions> {
  engine: EngineHandle
  host: string
  /** 0 picks a free port; the chosen one is in the returned `url`. */
  port: number
  /**
   * Signals that shut the server down gracefully and then exit the process. Default SIGTERM and
   * SIGINT; a second signal during shutdown is not caught, so it stops the process at once.
   * Pass `[]` when the caller handles signals itself (tests, an embedding program).
   */
  shutdownSignals?: NodeJS.Signals[]
  /** How long in-flight requests may take to finish after shutdown begins. Default 10 s. */
  shutdownTimeoutMs?: number
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  url: string
  /** Stops accepting connections, lets in-flight requests finish, then resolves. Safe to call twice. */
  close(): Promise<void>
}

/**
 * Serves the app on `host:port` until `close()` or a shutdown signal.
 *
 * ```ts
 * const server = await startServer({ engine: fixedEngine(engine), host: '127.0.0.1', port: 3000 })
 * console.log(`serving on ${server.url}`)
 * ```
 */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const { engine, host, port, shutdownSignals = ['SIGTERM', 'SIGINT'], shutdownTimeoutMs = 10_000, ...given } = opts
  const settings = resolveServerOptions(given)
  const log = serverLogger(settings)
  const app = createApp(engine, { ...settings, logger: log })

  const server = createServer(
    {
      requestTimeout: settings.requestTimeoutMs,
      headersTimeout: Math.min(60_000, settings.requestTimeoutMs),
      // Node checks those deadlines on this interval (30 s by default), so a short deadline needs a shorter one.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(settings.requestTimeoutMs / 4))),
      // Node would answer a request without Host with a bare 400; the app answers it in JSON (hostRequired).
      requireHostHeader: false,
      ...appMessageClasses(app),
    },
    hostRequired(app),
  )
  let closing: Promise<void> | undefined
  server.on('clientError', answerClientError)
  // What Node would otherwise answer with an empty body, or not at all.
  server.on('checkExpectation', (_req, res: ServerResponse) => sendError(res, new HttpError(417, 'expectation_failed', 'Only "Expect: 100-continue" is understood.')))
  server.on('connect', (_req, socket: Duplex) => endSocket(socket, new HttpError(405, 'method_not_allowed', 'CONNECT is not allowed here; use GET.')))

  // Connections, and those of them whose request is being answered: at shutdown the others (between
  // requests, or still sending a request's head) have nothing to finish, so they are closed at once
  // instead of holding shutdown open until the deadline.
  const connections = new Set<Socket>()
  const answering = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    connections.add(socket)
    socket.once('close', () => {
      connections.delete(socket)
      answering.delete(socket)
    })
  })

  server.on('request', (req: IncomingMessage, res) => {
    answering.add(req.socket as Socket)
    res.once('close', () => answering.delete(req.socket as Socket))
    if (closing !== undefined) {
      // Shutting down: answer what is already here, then let the connection go.
      res.setHeader('Connection', 'close')
      return
    }
    // A response that was in flight when shutdown began leaves an idle keep-alive connection
    // that would hold close() open until it timed out.
    res.once('finish', () => {
      if (closing !== undefined) setImmediate(() => server.closeIdleConnections())
    })
  })

  // Search threads open their engines in parallel with the above; the first requests should not wait for them.
  await engine.pool?.ready()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const url = browsableUrl(server.address() as AddressInfo)

  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down: finishing in-flight requests')
    close().then(
      () => process.exit(),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  for (const signal of shutdownSignals) process.once(signal, onSignal)

  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve, reject) => {
      for (const signal of shutdownSignals) process.off(signal, onSignal)
      // Past the deadline, whatever is still open is cut off so shutdown always ends.
      const deadline = setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs)
      deadline.unref()
      server.close((err) => {
        clearTimeout(deadline)
        if (err) reject(err)
        else resolve()
      })
      // Idle keep-alive sockets, and clients that never finish sending a request, would hold close()
      // open; busy ones close after their response.
      for (const socket of connections) if (!answering.has(socket)) socket.destroy()
    })
    return closing
  }

  log.info({ url }, 'listening')
  return { url, close }
}

/**
 * Requests Node's HTTP parser refuses before the app sees them: a request line and headers over
 * 16 KB (a query of thousands of characters), a request that took longer than `requestTimeoutMs`
 * to arrive, a malformed request. They get the same JSON error body as every other error,
 * instead of Node's bare status line.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request line and headers are too large (at most 16 KB): the query is far too long.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive.']
        : err.code === 'HPE_INVALID_URL'
          ? // Most often a shell client sending 断头路 as raw bytes; browsers and fetch encode it themselves.
            [400, 'bad_request', 'The URL holds characters that must be percent-encoded (q=%E6%96%AD… rather than q=断…; with curl: -G --data-urlencode "q=…").']
          : [400, 'bad_request', 'The HTTP request is malformed.']
  endSocket(socket, new HttpError(status, code, message))
}

/** Answers on the bare socket with the JSON error body, and closes it. */
function endSocket(socket: Duplex, error: HttpError): void {
  const { status, body: errorBody } = describeError(error)
  const body = JSON.stringify(errorBody)
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  )
}

/** A response that never reached the app, answered with the JSON error body and closed. */
function sendError(res: ServerResponse, error: HttpError): void {
  const { status, body: errorBody } = describeError(error)
  const body = JSON.stringify(errorBody)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', Connection: 'close' })
  res.end(body)
}

/** HTTP/1.1 requires a Host header; a request without one is refused as Node would, but in JSON. */
function hostRequired(app: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) sendError(res, badRequest('The request has no Host header.'))
    else app(req, res)
  }
}

/**
 * The address a browser on this machine opens: a server listening on every interface (0.0.0.0, ::) is
 * reached through the loopback one, and http://0.0.0.0:3000 is no address to visit.
 */
export function browsableUrl(address: Pick<AddressInfo, 'address' | 'family' | 'port'>): string {
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address
  return `http://${address.family === 'IPv6' ? `[${host}]` : host}:${address.port}`
}
