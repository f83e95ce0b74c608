// Searching in worker threads over one shared copy of the index, and the /search response cache:
// same answers as the engine on this thread, reloads reach every worker and empty the cache, a
// crashed worker is replaced, shutdown lets searches in the workers finish.
import assert from 'node:assert/strict'
import { cpSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { readManifest } from '../../src/index/manifest.js'
import { loadIndexFiles } from '../../src/index/reader.js'
import { SearchEngine } from '../../src/search/engine.js'
import type { SearchParams, SearchResponse } from '../../src/search/types.js'
import { watchIndex, type ReloadingEngine } from '../../src/server/index-watcher.js'
import { cacheKey } from '../../src/server/response-cache.js'
import { SearchPool } from '../../src/server/search-pool.js'
import { startServer, type RunningServer } from '../../src/server/serve.js'
import { EXAMPLE_QUERY, FIXTURE_PHRASE, rawRequest, sharedTestIndex, writeMarkerPost as writeMarker } from './fixture.js'

const testIndex = sharedTestIndex()

const writeMarkerPost = (n: number) => writeMarker(testIndex.postsDir, n)

const QUERIES: SearchParams[] = [
  { q: EXAMPLE_QUERY, page: 1, size: 10 },
  { q: FIXTURE_PHRASE, page: 1, size: 5, facets: ['category', 'tag', 'year'] },
  { q: '农田', page: 2, size: 3, sort: 'date' },
  { q: '"红旗区"', page: 1, size: 10, category: 'xwlb' },
  { q: '水利 -农田', page: 1, size: 20, from: '2020-01-01', to: '2024-12-31' },
  { q: '没有这样的词语组合啊', page: 1, size: 10 },
]

const withoutTime = (response: SearchResponse) => ({ ...response, took_ms: 0 })
const parse = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8')) as SearchResponse
const markerOf = (response: SearchResponse) => /第(\d+)次/.exec(response.hits[0]?.title ?? '')?.[1]

describe('search pool', () => {
  test('answers the same JSON as the engine on this thread, whether this thread or the workers cut the queries', async () => {
    const engine = SearchEngine.open(testIndex.indexDir)
    const pool = new SearchPool(loadIndexFiles(testIndex.indexDir), { workers: 2 })
    try {
      for (const analyzer of [engine, undefined]) {
        const answers = await Promise.all(QUERIES.map((params) => pool.search(params, analyzer)))
        answers.forEach((encoded, i) => {
          const fromPool = parse(encoded.bytes)
          assert.deepEqual(withoutTime(fromPool), withoutTime(engine.search(QUERIES[i]!)), QUERIES[i]!.q)
          assert.equal(encoded.generation, engine.index.manifest.generation)
        })
      }
    } finally {
      await pool.close()
    }
  })

  test('a query cut for another generation is cut again by the worker', async () => {
    const engine = SearchEngine.open(testIndex.indexDir)
    const pool = new SearchPool(loadIndexFiles(testIndex.indexDir), { workers: 1 })
    // Cuts every query as a phrase no post holds, so an answer shows which cut the worker used.
    const misleading = (generation: string) => ({
      index: { manifest: { generation } },
      analyzeQuery: () => engine.analyzeQuery('"没有这样的词语组合"'),
    })
    try {
      const params: SearchParams = { q: EXAMPLE_QUERY, page: 1, size: 10 }
      const expected = withoutTime(engine.search(params))
      assert.ok(expected.total > 0)
      const current = parse((await pool.search(params, misleading(engine.index.manifest.generation))).bytes)
      assert.equal(current.total, 0, 'a query cut for the generation served is used as given')
      const stale = parse((await pool.search(params, misleading('gen-elsewhere'))).bytes)
      assert.deepEqual(withoutTime(stale), expected)
    } finally {
      await pool.close()
    }
  })

  test('a reload switches every worker to the new generation', async () => {
    const first = writeMarkerPost(1)
    await buildIndex({ postsDir: testIndex.postsDir, outDir: testIndex.indexDir, workers: 1 })
    const handle = watchIndex(testIndex.indexDir, { workers: 2, follow: false })
    try {
      const before = handle.generation
      const second = writeMarkerPost(2)
      await buildIndex({ postsDir: testIndex.postsDir, outDir: testIndex.indexDir, workers: 1 })
      assert.equal(handle.reload().status, 'loaded')
      assert.notEqual(handle.generation, before)
      // More searches than the pool holds at once, so every worker answers some.
      const answers = await Promise.all(Array.from({ length: 12 }, () => handle.pool!.search({ q: second, page: 1, size: 10 })))
      for (const encoded of answers) {
        assert.equal(encoded.generation, handle.generation)
        assert.match(parse(encoded.bytes).hits[0]?.title ?? '', /第2次/)
      }
      const old = await Promise.all(Array.from({ length: 12 }, () => handle.pool!.search({ q: first, page: 1, size: 10 })))
      for (const encoded of old) assert.ok(!parse(encoded.bytes).hits.some((hit) => hit.title.includes('第1次')))
    } finally {
      await handle.shutdown()
    }
  })

  test('a worker that dies mid-search is replaced, and its search is answered 500 JSON', async () => {
    const crashQuery = '让线程崩溃的查询'
    process.env.JIANSUO_FAILPOINT = `search-worker:${crashQuery}`
    const handle = watchIndex(testIndex.indexDir, { workers: 2, follow: false })
    delete process.env.JIANSUO_FAILPOINT // the workers copied the environment when they started
    const server = await serve(handle)
    try {
      const crashed = await rawRequest(server.url, `/search?q=${encodeURIComponent(crashQuery)}`)
      assert.equal(crashed.status, 500)
      assert.equal((crashed.json() as { error: { code: string } }).error.code, 'internal_error')
      for (let tries = 0; handle.pool!.alive < 2; tries++) {
        assert.ok(tries < 500, 'the pool did not replace the worker')
        await delay(10)
      }
      const healthy = await Promise.all(QUERIES.map((params) => rawRequest(server.url, `/search?q=${encodeURIComponent(params.q)}`)))
      assert.deepEqual(healthy.map((r) => r.status), Array(QUERIES.length).fill(200))
    } finally {
      await server.close()
      await handle.shutdown()
    }
  })

  test('a worker stuck in a search past the deadline is stopped and replaced, and the search rejected', async () => {
    const stallQuery = '让线程卡住的查询'
    process.env.JIANSUO_FAILPOINT = `search-worker-stall:${stallQuery}`
    // The deadline must exceed an honest search on a busy machine, or the watchdog stops healthy workers too.
    const pool = new SearchPool(loadIndexFiles(testIndex.indexDir), { workers: 1, searchDeadlineMs: 1000 })
    delete process.env.JIANSUO_FAILPOINT
    // Cut on this thread, as the server does: a worker cutting its first query loads jieba, which alone
    // can take most of a second on a shared machine.
    const engine = SearchEngine.open(testIndex.indexDir)
    try {
      await assert.rejects(pool.search({ q: stallQuery, page: 1, size: 10 }, engine), /exited/)
      const after = await pool.search({ q: EXAMPLE_QUERY, page: 1, size: 10 }, engine)
      assert.ok(after.hits > 0)
      assert.equal(pool.alive, 1)
    } finally {
      await pool.close()
    }
  })

  test('shutdown lets the searches already in the workers finish', async () => {
    // Each search of this query takes half a second in a worker, so both are surely inside one at once.
    const slowQuery = '让线程慢下来的查询'
    process.env.JIANSUO_FAILPOINT = `search-worker-slow:${slowQuery}`
    const handle = watchIndex(testIndex.indexDir, { workers: 2, follow: false })
    delete process.env.JIANSUO_FAILPOINT
    const server = await serve(handle, { cacheBytes: 0 })
    // As many as the two workers hold at once, so all of them are inside a worker when shutdown begins.
    const held = Array.from({ length: handle.pool!.concurrency }, () => slowQuery)
    const requests = held.map((q) => rawRequest(server.url, `/search?q=${encodeURIComponent(q)}`))
    let closing: Promise<void> | undefined
    try {
      for (let tries = 0; handle.pool!.inFlight < held.length; tries++) {
        assert.ok(tries < 1000, 'no search reached the workers')
        await delay(1)
      }
      closing = server.close().then(() => handle.shutdown())
      const answers = await Promise.all(requests)
      await closing
      assert.deepEqual(answers.map((r) => r.status), Array(held.length).fill(200))
      assert.equal(handle.pool!.alive, 0)
    } finally {
      // A failure above must not leave the workers running, which would keep the test process alive.
      if (closing === undefined) await server.close().then(() => handle.shutdown())
    }
  })
})

describe('response cache', () => {
  let handle: ReloadingEngine
  let server: RunningServer

  before(async () => {
    handle = watchIndex(testIndex.indexDir, { workers: 1, follow: false })
    server = await serve(handle)
  })

  after(async () => {
    await server.close()
    await handle.shutdown()
  })

  test('keys every parameter the engine reads, and nothing else', () => {
    const base: SearchParams = { q: '农田', page: 1, size: 10, sort: 'relevance' }
    assert.equal(cacheKey(base), cacheKey({ size: 10, sort: 'relevance', page: 1, q: '农田', category: undefined }))
    const variants: SearchParams[] = [
      { ...base, q: '农田 ' },
      { ...base, page: 2 },
      { ...base, size: 11 },
      { ...base, sort: 'date' },
      { ...base, category: 'xwlb' },
      { ...base, tag: 'xwlb' },
      { ...base, from: '2020-01-01' },
      { ...base, to: '2020-01-01' },
      { ...base, facets: ['year'] },
      { ...base, facets: ['year', 'tag'] },
    ]
    const keys = new Set([base, ...variants].map(cacheKey))
    assert.equal(keys.size, variants.length + 1)
  })

  test('a repeated search is answered from the cache, with its own took_ms', async () => {
    const url = `/search?q=${encodeURIComponent(EXAMPLE_QUERY)}&size=5`
    const first = await rawRequest(server.url, url)
    const second = await rawRequest(server.url, `/search?size=5&q=${encodeURIComponent(EXAMPLE_QUERY)}&page=1`)
    assert.equal(first.headers['x-cache'], 'miss')
    assert.equal(second.headers['x-cache'], 'hit')
    const [a, b] = [first.json() as SearchResponse, second.json() as SearchResponse]
    assert.deepEqual(withoutTime(b), withoutTime(a))
    assert.equal(second.headers['server-timing'], `search;dur=${b.took_ms}`)
    assert.equal(Number(second.headers['content-length']), second.body.length)
  })

  test('never answers one request with the body of different parameters', async () => {
    const variants = ['size=3', 'size=4', 'page=2&size=3', 'sort=date&size=3', 'category=xwlb&size=3', 'facets=year&size=3', 'from=2023-01-01&size=3']
    for (const round of ['miss', 'hit']) {
      for (const variant of variants) {
        const response = await rawRequest(server.url, `/search?q=${encodeURIComponent('农田')}&${variant}`)
        assert.equal(response.headers['x-cache'], round, variant)
        const body = response.json() as SearchResponse
        const expected = new URLSearchParams(variant)
        assert.equal(body.size, Number(expected.get('size')), variant)
        assert.equal(body.page, Number(expected.get('page') ?? 1), variant)
        assert.equal(body.facets !== undefined, expected.has('facets'), variant)
        if (expected.has('category')) assert.ok(body.hits.every((hit) => hit.categories.includes('xwlb')), variant)
      }
    }
  })

  test('a reload empties the cache: the next answer comes from the new index', async () => {
    const word = writeMarkerPost(3)
    await buildIndex({ postsDir: testIndex.postsDir, outDir: testIndex.indexDir, workers: 1 })
    handle.reload()
    const url = `/search?q=${encodeURIComponent(word)}`
    assert.equal((await rawRequest(server.url, url)).headers['x-cache'], 'miss')
    const cached = await rawRequest(server.url, url)
    assert.equal(cached.headers['x-cache'], 'hit')
    assert.equal(markerOf(cached.json() as SearchResponse), '3')
    const next = writeMarkerPost(4)
    await buildIndex({ postsDir: testIndex.postsDir, outDir: testIndex.indexDir, workers: 1 })
    assert.equal(handle.reload().status, 'loaded')
    const after = await rawRequest(server.url, url)
    assert.equal(after.headers['x-cache'], 'miss')
    assert.notEqual(markerOf(after.json() as SearchResponse), '3')
    assert.equal(markerOf((await rawRequest(server.url, `/search?q=${encodeURIComponent(next)}`)).json() as SearchResponse), '4')
  })
})

function serve(handle: ReloadingEngine, options: { cacheBytes?: number } = {}): Promise<RunningServer> {
  return startServer({ engine: handle, host: '127.0.0.1', port: 0, logLevel: 'silent', rateLimit: false, shutdownSignals: [], ...options })
}

describe('replaced generations', () => {
  /** This process's descriptors of files that were deleted (pruned generations it still holds open). */
  const deletedFiles = () =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).endsWith('(deleted)')
      } catch {
        return false
      }
    }).length

  test('reloading closes the files of the generation it replaced, in this thread and the search threads', { skip: !existsSync('/proc/self/fd') && 'needs /proc' }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'jiansuo-reloads-'))
    try {
      cpSync(testIndex.postsDir, join(work, 'posts'), { recursive: true })
      const indexDir = join(work, 'index')
      await buildIndex({ postsDir: join(work, 'posts'), outDir: indexDir, workers: 1 })
      const handle = watchIndex(indexDir, { workers: 2, follow: false })
      try {
        await handle.pool!.ready()
        const before = deletedFiles()
        for (let n = 1; n <= 6; n++) {
          writeMarker(join(work, 'posts'), n)
          await buildIndex({ postsDir: join(work, 'posts'), outDir: indexDir, workers: 1 })
          assert.equal(handle.reload().status, 'loaded')
          // Loading the same generation again resolves once every thread has handled both loads.
          await handle.pool!.load(loadIndexFiles(indexDir))
        }
        // Six generations built, four of them pruned: none is still held open.
        assert.equal(deletedFiles(), before)
      } finally {
        await handle.shutdown()
      }
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })

  test('a search thread given up after dying as it started makes /healthz say so, and comes back with the next generation', async () => {
    const work = mkdtempSync(join(tmpdir(), 'jiansuo-revive-'))
    const crashQuery = '让线程崩溃的查询'
    try {
      cpSync(testIndex.postsDir, join(work, 'posts'), { recursive: true })
      const indexDir = join(work, 'index')
      await buildIndex({ postsDir: join(work, 'posts'), outDir: indexDir, workers: 1 })
      process.env.JIANSUO_FAILPOINT = `search-worker:${crashQuery}`
      const handle = watchIndex(indexDir, { workers: 1, follow: false })
      delete process.env.JIANSUO_FAILPOINT
      const server = await serve(handle, { cacheBytes: 0 })
      const search = (q: string) => rawRequest(server.url, `/search?q=${encodeURIComponent(q)}`)
      try {
        // Its generation deleted under it, the crashed thread's replacements cannot open it and are given up.
        const first = readManifest(indexDir).generation
        writeMarker(join(work, 'posts'), 1)
        await buildIndex({ postsDir: join(work, 'posts'), outDir: indexDir, workers: 1 })
        rmSync(join(indexDir, first), { recursive: true, force: true })
        assert.equal((await search(crashQuery)).status, 500)
        for (let tries = 0; handle.pool!.alive > 0; tries++) {
          assert.ok(tries < 1000, 'the failing thread was not given up')
          await delay(10)
        }
        const down = await rawRequest(server.url, '/healthz')
        assert.equal(down.status, 503)
        assert.equal((down.json() as { status: string }).status, 'unavailable')
        assert.equal((await search(EXAMPLE_QUERY)).status, 503)
        // The next good generation starts the thread again.
        assert.equal(handle.reload().status, 'loaded')
        assert.equal(handle.pool!.alive, 1)
        await handle.pool!.ready()
        assert.equal((await rawRequest(server.url, '/healthz')).status, 200)
        assert.equal((await search(EXAMPLE_QUERY)).status, 200)
      } finally {
        await server.close()
        await handle.shutdown()
      }
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })
})
