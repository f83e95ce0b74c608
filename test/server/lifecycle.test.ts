// Starting, limiting and stopping the server.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { Agent } from 'node:http'
import { connect } from 'node:net'
import { createInterface } from 'node:readline'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { SearchEngine } from '../../src/search/engine.js'
import type { SearchResponse } from '../../src/search/types.js'
import { resolveServerOptions } from '../../src/server/options.js'
import { fixedEngine } from '../../src/server/app.js'
import { browsableUrl, startServer, type RunningServer } from '../../src/server/serve.js'
import { buildTestIndex, engineWithSearchHook, EXAMPLE_FIRST_ID, EXAMPLE_QUERY, rawRequest, startTestServer, type TestIndex } from './fixture.js'

let index: TestIndex

before(async () => {
  index = await buildTestIndex()
})

after(() => index?.remove())

const exampleSearch = `/search?q=${encodeURIComponent(EXAMPLE_QUERY)}`

async function refused(url: string): Promise<boolean> {
  try {
    await rawRequest(url, '/healthz')
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED'
  }
}

describe('rate limiting', () => {
  test('/suggest, asked once per keystroke, has its own allowance of four times the search limit', async () => {
    const server = await startTestServer(index.indexDir, { rateLimit: { windowMs: 60_000, limit: 2 } })
    try {
      for (let i = 0; i < 8; i++) assert.equal((await rawRequest(server.url, '/suggest?q=%E7%BA%A2')).status, 200)
      const limited = await rawRequest(server.url, '/suggest?q=%E7%BA%A2')
      assert.equal(limited.status, 429)
      assert.match((limited.json() as { error: { message: string } }).error.message, /suggestion requests .* at most 8 per 60 s/)
      // Searches keep their own count.
      assert.equal((await rawRequest(server.url, exampleSearch)).status, 200)
    } finally {
      await server.close()
    }
  })

  test('answers 429 JSON past the configured limit, for /search', async () => {
    const server = await startTestServer(index.indexDir, { rateLimit: { windowMs: 60_000, limit: 3 } })
    try {
      // Other methods are answered 405 without using up a search.
      for (const method of ['OPTIONS', 'POST', 'OPTIONS']) assert.equal((await rawRequest(server.url, exampleSearch, { method })).status, 405)
      for (let i = 0; i < 3; i++) assert.equal((await rawRequest(server.url, exampleSearch)).status, 200)
      const limited = await rawRequest(server.url, exampleSearch)
      assert.equal(limited.status, 429)
      const body = limited.json() as { error: { code: string; message: string } }
      assert.equal(body.error.code, 'rate_limited')
      assert.match(body.error.message, /at most 3 per 60 s/)
      assert.ok(limited.headers['ratelimit'] ?? limited.headers['ratelimit-limit'], 'standard RateLimit headers')
      assert.ok(limited.headers['retry-after'])
      assert.equal((await rawRequest(server.url, '/healthz')).status, 200)
      assert.equal((await rawRequest(server.url, '/')).status, 200)
    } finally {
      await server.close()
    }
  })

  test('a client sending X-Forwarded-For or Forwarded without a trusted proxy prints nothing to stderr', async (t) => {
    const server = await startTestServer(index.indexDir, { rateLimit: { windowMs: 60_000, limit: 10 } })
    const printed: unknown[] = []
    t.mock.method(console, 'error', (...args: unknown[]) => printed.push(args))
    t.mock.method(console, 'warn', (...args: unknown[]) => printed.push(args))
    try {
      const sent: Record<string, string>[] = [{ forwarded: 'for=203.0.113.9' }, { 'x-forwarded-for': '203.0.113.9' }]
      for (const headers of sent) {
        for (const path of [exampleSearch, '/suggest?q=%E7%BA%A2', `/doc?id=${EXAMPLE_FIRST_ID}`]) assert.equal((await rawRequest(server.url, path, { headers })).status, 200)
      }
      // It printed express-rate-limit's ValidationError with its stack, once per route.
      assert.deepEqual(printed, [])
    } finally {
      await server.close()
    }
  })

  test('can be turned off', async () => {
    const server = await startTestServer(index.indexDir, { rateLimit: false })
    try {
      for (let i = 0; i < 40; i++) assert.equal((await rawRequest(server.url, exampleSearch)).status, 200)
    } finally {
      await server.close()
    }
  })
})

describe('options', () => {
  test('defaults suit a public deployment', () => {
    const options = resolveServerOptions()
    assert.equal(options.maxQueryLength, 200)
    assert.deepEqual(options.rateLimit, { windowMs: 60_000, limit: 300 })
    assert.equal(options.compression, true)
    assert.equal(options.trustProxy, false)
  })

  test('nonsense is refused before the server starts, naming the option', () => {
    assert.throws(() => resolveServerOptions({ maxQueryLength: 0 }), /Invalid server option maxQueryLength/)
    assert.throws(() => resolveServerOptions({ rateLimit: { windowMs: 1000, limit: -1 } }), /Invalid server option rateLimit/)
    assert.throws(() => resolveServerOptions({ logLevel: 'loud' as 'info' }), /Invalid server option logLevel/)
  })
})

describe('startServer', () => {
  test('binds the requested host and reports the port it got', async () => {
    const server = await startTestServer(index.indexDir)
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.notEqual(new URL(server.url).port, '0')
    } finally {
      await server.close()
    }
  })

  test('a server on every interface reports the loopback address a browser can open, not 0.0.0.0', () => {
    // Tests listen on 127.0.0.1 only: the addresses a wildcard listen reports are given as Node reports them.
    assert.equal(browsableUrl({ address: '0.0.0.0', family: 'IPv4', port: 3000 }), 'http://127.0.0.1:3000')
    assert.equal(browsableUrl({ address: '::', family: 'IPv6', port: 3000 }), 'http://[::1]:3000')
    assert.equal(browsableUrl({ address: '192.168.1.20', family: 'IPv4', port: 80 }), 'http://192.168.1.20:80')
    assert.equal(browsableUrl({ address: 'fe80::1', family: 'IPv6', port: 8080 }), 'http://[fe80::1]:8080')
  })

  test('fails clearly when the port is taken', async () => {
    const first = await startTestServer(index.indexDir)
    try {
      const port = Number(new URL(first.url).port)
      const engine = fixedEngine(SearchEngine.open(index.indexDir))
      await assert.rejects(
        startServer({ engine, host: '127.0.0.1', port, logLevel: 'silent', shutdownSignals: [] }),
        /EADDRINUSE/,
      )
    } finally {
      await first.close()
    }
  })
})

describe('graceful shutdown', () => {
  test('close() lets the request in flight finish, then refuses new connections', async () => {
    const engine = SearchEngine.open(index.indexDir)
    let closing: Promise<void> | undefined
    const server: RunningServer = await startTestServer(index.indexDir, {
      // Shutdown begins while this request is inside its handler.
      engine: engineWithSearchHook(engine, () => {
        closing ??= server.close()
      }),
    })
    // A browser-like client keeps its connection open for more requests.
    const keepAlive = new Agent({ keepAlive: true })
    const response = await rawRequest(server.url, exampleSearch, { agent: keepAlive })
    assert.equal(response.status, 200)
    assert.equal((response.json() as SearchResponse).hits[0]?.id, EXAMPLE_FIRST_ID)
    assert.ok(closing, 'shutdown had begun during the request')
    // The idle keep-alive connection must not hold shutdown open until it times out (5 s).
    const outcome = await Promise.race([closing.then(() => 'closed'), delay(3000).then(() => 'still open')])
    assert.equal(outcome, 'closed')
    keepAlive.destroy()
    assert.equal(await refused(server.url), true)
    await server.close() // a second close is harmless
  })

  test('close() does not wait for a client that never finishes sending its request', async () => {
    const server = await startTestServer(index.indexDir)
    const { port } = new URL(server.url)
    const stalled = connect(Number(port), '127.0.0.1')
    stalled.on('error', () => {})
    await once(stalled, 'connect')
    // Half a request head: the server has a connection but no request to answer.
    stalled.write('GET /search?q=a HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    await delay(200)
    const ended = once(stalled, 'close')
    // Without this, shutdown waited for the 10 s deadline (or the client's header timeout).
    const outcome = await Promise.race([server.close().then(() => 'closed'), delay(3000).then(() => 'still open')])
    assert.equal(outcome, 'closed')
    await ended
    stalled.destroy()
  })

  test('SIGTERM finishes the request in flight and exits 0', async () => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/serve-child.js', import.meta.url)), index.indexDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    const lines = createInterface({ input: child.stdout })
    const [line] = (await once(lines, 'line')) as [string]
    const { url } = JSON.parse(line) as { url: string }
    const response = await rawRequest(url, exampleSearch)
    assert.equal(response.status, 200)
    assert.equal((response.json() as SearchResponse).hits[0]?.id, EXAMPLE_FIRST_ID)
    const [code, signal] = await exited
    assert.equal(signal, null, 'it exited by itself rather than being killed')
    assert.equal(code, 0)
    assert.equal(await refused(url), true)
  })
})
