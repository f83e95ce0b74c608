// Hot reload: a running server follows rebuilds of its index folder without failing a request,
// and keeps serving the last good index when a new one cannot be loaded.
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { MANIFEST, type Manifest } from '../../src/index/manifest.js'
import type { SearchResponse } from '../../src/search/types.js'
import { watchIndex, type ReloadingEngine, type ReloadOutcome } from '../../src/server/index-watcher.js'
import { startServer, type RunningServer } from '../../src/server/serve.js'
import { suggestionsLoaded } from '../../src/suggest/engine-suggestions.js'
import { homophonesLoaded } from '../../src/suggest/homophones.js'
import { rawRequest, searchShapeProblems, sharedTestIndex, writeMarkerPost as writeMarker } from './fixture.js'

const testIndex = sharedTestIndex()

const writeMarkerPost = (n: number) => writeMarker(testIndex.postsDir, n)

/** Waits until `engine` reports an outcome other than `unchanged`, or fails after `ms`. */
function nextOutcome(outcomes: ReloadOutcome[], seen: number, ms = 10_000): Promise<ReloadOutcome> {
  const deadline = Date.now() + ms
  return (async () => {
    while (Date.now() < deadline) {
      const outcome = outcomes.slice(seen).find((o) => o.status !== 'unchanged')
      if (outcome) return outcome
      await delay(20)
    }
    throw new Error(`no reload within ${ms} ms`)
  })()
}

interface Load {
  stop(): Promise<{ requests: number; errors: string[] }>
}

/** Clients searching in a loop over keep-alive connections; every answer must be a 200 of the right shape. */
function searchLoad(url: string, clients: number, queries: string[]): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  let running = true
  let requests = 0
  const errors: string[] = []
  const loops = Array.from({ length: clients }, async (_, c) => {
    // A broken server fails fast; stop early rather than pile up errors.
    for (let i = c; running && errors.length < 100; i++) {
      const q = queries[i % queries.length]!
      try {
        const response = await rawRequest(url, `/search?q=${encodeURIComponent(q)}&facets=category,year`, { agent })
        requests++
        if (response.status !== 200) errors.push(`${q}: status ${response.status} ${response.text.slice(0, 200)}`)
        else {
          const problems = searchShapeProblems(response.json())
          if (problems.length) errors.push(`${q}: wrong shape: ${problems.slice(0, 3).join('; ')}`)
        }
      } catch (err) {
        errors.push(`${q}: ${(err as Error).message}`)
      }
    }
  })
  return {
    async stop() {
      running = false
      await Promise.all(loops)
      agent.destroy()
      return { requests, errors }
    },
  }
}

describe('hot reload', () => {
  let engine: ReloadingEngine
  let server: RunningServer
  const outcomes: ReloadOutcome[] = []

  before(async () => {
    engine = watchIndex(testIndex.indexDir, { pollMs: 100, debounceMs: 20, onReload: (o) => outcomes.push(o) })
    server = await startServer({ engine, host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownSignals: [], rateLimit: false })
  })

  after(async () => {
    engine?.close()
    await server?.close()
  })

  const health = async () => (await rawRequest(server.url, '/healthz')).json() as { generation: string; documents: number }
  const find = async (q: string) => (await rawRequest(server.url, `/search?q=${encodeURIComponent(q)}`)).json() as SearchResponse

  test('rebuilds under a load of searches: each is picked up, no request fails or has the wrong shape', async (t) => {
    const load = searchLoad(server.url, 6, ['红旗区 断头路', '断头路', '橙色鲸鱼', '"高标准农田"', '农田 -原阳', 'title:农田', '重载', 'nothing-matches-this'])
    const swaps = 4
    let previousWord: string | null = null
    try {
      for (let n = 1; n <= swaps; n++) {
        const word = writeMarkerPost(n)
        const seen = outcomes.length
        const report = await buildIndex({ postsDir: testIndex.postsDir, outDir: testIndex.indexDir, workers: 1 })
        const outcome = await nextOutcome(outcomes, seen)
        assert.equal(outcome.status, 'loaded', `rebuild ${n}: ${outcome.status === 'failed' ? outcome.error.message : ''}`)
        assert.equal(outcome.generation, report.generation)
        assert.equal((await health()).generation, report.generation, 'healthz names the new build')
        // The new build's post is found, the previous build's is gone.
        assert.deepEqual((await find(`"${word}"`)).hits.map((h) => h.id), ['marker'])
        if (previousWord !== null) assert.equal((await find(`"${previousWord}"`)).total, 0)
        previousWord = word
        await delay(150) // let searches run on this generation too
      }
    } finally {
      await load.stop()
    }
    const { requests, errors } = await load.stop() // stopped already; reports the counts
    assert.deepEqual(errors, [], `${errors.length} of ${requests} searches failed`)
    assert.ok(requests >= 50, `the load kept searching through the rebuilds (${requests} searches)`)
    assert.equal(outcomes.filter((o) => o.status === 'loaded').length, swaps)
    t.diagnostic(`${requests} searches during ${swaps} rebuilds and swaps: ${errors.length} errors`)
  })

  test('a damaged new index is refused: the last good one keeps serving, and the next good build is loaded', async () => {
    const good = await health()
    const manifestPath = path.join(testIndex.indexDir, MANIFEST)
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest

    // A new generation whose grams.idx has one byte flipped, committed by a manifest naming it.
    const badGeneration = 'gen-damaged-copy'
    cpSync(path.join(testIndex.indexDir, manifest.generation), path.join(testIndex.indexDir, badGeneration), { recursive: true })
    const grams = path.join(testIndex.indexDir, badGeneration, 'grams.idx')
    const bytes = readFileSync(grams)
    const middle = bytes.length >> 1
    bytes[middle] = bytes[middle]! ^ 0xff
    writeFileSync(grams, bytes)
    const intactCopy = 'gen-intact-copy'
    cpSync(path.join(testIndex.indexDir, manifest.generation), path.join(testIndex.indexDir, intactCopy), { recursive: true })
    const damaged: [string, string, RegExp][] = [
      ['a file that fails its checksum', JSON.stringify({ ...manifest, generation: badGeneration }), /grams\.idx is damaged: checksum mismatch/],
      ['a manifest cut short', JSON.stringify(manifest).slice(0, 80), /manifest\.json is damaged: not valid JSON/],
      ['an index analysed differently', JSON.stringify({ ...manifest, generation: intactCopy, analysis: 'some-other-analyzer' }), /analyzed differently/],
      ['a generation folder that is missing', JSON.stringify({ ...manifest, generation: 'gen-gone' }), /cannot be read/],
    ]
    for (const [label, text, message] of damaged) {
      const seen = outcomes.length
      writeFileSync(manifestPath, text)
      const outcome = await nextOutcome(outcomes, seen)
      assert.equal(outcome.status, 'failed', label)
      assert.match(outcome.status === 'failed' ? outcome.error.message : '', message, label)
      assert.equal(engine.generation, good.generation, `${label}: still serving the last good build`)
      assert.equal((await health()).generation, good.generation)
      const answer = await rawRequest(server.url, `/search?q=${encodeURIComponent('红旗区 断头路')}`)
      assert.equal(answer.status, 200, label)
      assert.ok((answer.json() as SearchResponse).total > 0)
      assert.deepEqual(searchShapeProblems(answer.json()), [])
    }
    assert.ok(engine.lastError, 'the failure is remembered')

    const seen = outcomes.length
    const report = await buildIndex({ postsDir: testIndex.postsDir, outDir: testIndex.indexDir, workers: 1, full: true })
    const outcome = await nextOutcome(outcomes, seen)
    assert.equal(outcome.status, 'loaded')
    assert.equal((await health()).generation, report.generation)
    assert.equal(engine.lastError, null)
  })

  test('a manifest rewritten with the same generation does not reload', () => {
    const manifestPath = path.join(testIndex.indexDir, MANIFEST)
    writeFileSync(manifestPath, readFileSync(manifestPath))
    const outcome = engine.reload()
    assert.deepEqual(outcome, { status: 'unchanged', generation: engine.generation })
  })
})

describe('several servers sharing one index folder', () => {
  test('each picks up a build committed by one builder', async () => {
    const outcomes: ReloadOutcome[][] = [[], [], []]
    const engines = outcomes.map((list) => watchIndex(testIndex.indexDir, { pollMs: 100, debounceMs: 20, onReload: (o) => list.push(o) }))
    const servers = await Promise.all(engines.map((engine) => startServer({ engine, host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownSignals: [], rateLimit: false })))
    try {
      const word = writeMarkerPost(7)
      const report = await buildIndex({ postsDir: testIndex.postsDir, outDir: testIndex.indexDir, workers: 1 })
      for (const list of outcomes) assert.equal((await nextOutcome(list, 0)).status, 'loaded')
      for (const server of servers) {
        assert.equal(((await rawRequest(server.url, '/healthz')).json() as { generation: string }).generation, report.generation)
        const found = (await rawRequest(server.url, `/search?q=${encodeURIComponent(`"${word}"`)}`)).json() as SearchResponse
        assert.deepEqual(found.hits.map((h) => h.id), ['marker'])
      }
    } finally {
      for (const engine of engines) engine.close()
      await Promise.all(servers.map((server) => server.close()))
    }
  })
})

describe('watchIndex', () => {
  test('loads jieba before the first search, and reuses it for a generation cut with the same dictionary', () => {
    const engine = watchIndex(testIndex.indexDir, { follow: false })
    const manifestPath = path.join(testIndex.indexDir, MANIFEST)
    const manifest = readFileSync(manifestPath, 'utf8')
    const { generation } = JSON.parse(manifest) as Manifest
    const copy = 'gen-analyzer-copy'
    try {
      const first = engine.current()
      assert.ok(first.analyzerLoaded, 'loaded as the index was opened, not by the first search')
      assert.ok(homophonesLoaded(first.index), 'the homophones a mistyped query is corrected with, too')
      assert.ok(suggestionsLoaded(first.index), 'and the suggestions, before the server listens')
      // A new generation: the served one's files committed under another name.
      cpSync(path.join(testIndex.indexDir, generation), path.join(testIndex.indexDir, copy), { recursive: true })
      writeFileSync(manifestPath, JSON.stringify({ ...(JSON.parse(manifest) as Manifest), generation: copy }))
      assert.equal(engine.reload().status, 'loaded')
      const next = engine.current()
      assert.notEqual(next, first)
      assert.ok(next.analyzerLoaded, 'ready before any search of the new generation')
      assert.equal(next.analyzer, first.analyzer, 'not loaded again')
      assert.ok(homophonesLoaded(next.index), 'the new generation\'s homophones are read before it serves')
      assert.ok(suggestionsLoaded(next.index), 'its suggestions are imported before the first keystroke')
    } finally {
      engine.close()
      writeFileSync(manifestPath, manifest)
      rmSync(path.join(testIndex.indexDir, copy), { recursive: true, force: true })
    }
  })

  test('refuses to start without a loadable index, naming the folder', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'jiansuo-no-index-'))
    try {
      assert.throws(() => watchIndex(empty), /no index in .*jiansuo-no-index-/)
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})

describe('a served index damaged on disk after it was loaded', () => {
  test('/healthz says damaged before any search trips on it, and cached answers are refused too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jiansuo-damaged-'))
    cpSync(testIndex.indexDir, dir, { recursive: true })
    const engine = watchIndex(dir, { pollMs: 100, debounceMs: 20, workers: 1 })
    const server = await startServer({ engine, host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownSignals: [], rateLimit: false })
    try {
      const search = '/search?q=%E6%96%AD%E5%A4%B4%E8%B7%AF'
      assert.equal((await rawRequest(server.url, search)).status, 200) // now in the response cache
      const docs = path.join(dir, (JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest).generation, 'docs.idx')
      writeFileSync(docs, readFileSync(docs).subarray(0, 4096))
      const health = await rawRequest(server.url, '/healthz')
      assert.equal(health.status, 503)
      assert.equal((health.json() as { status: string }).status, 'damaged')
      const cached = await rawRequest(server.url, search)
      assert.equal(cached.status, 503)
      assert.equal((cached.json() as { error: { code: string } }).error.code, 'index_damaged')
    } finally {
      await server.close()
      await engine.shutdown()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  for (const workers of [0, 1]) {
    test(`answers 503 index_damaged and /healthz says damaged, until a rebuild is loaded (${workers ? 'search threads' : 'main thread'})`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'jiansuo-damaged-'))
      const outcomes: ReloadOutcome[] = []
      cpSync(testIndex.indexDir, dir, { recursive: true })
      const engine = watchIndex(dir, { pollMs: 100, debounceMs: 20, workers, onReload: (o) => outcomes.push(o) })
      const server = await startServer({ engine, host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownSignals: [], rateLimit: false, cacheBytes: 0 })
      try {
        assert.equal((await rawRequest(server.url, '/search?q=%E6%96%AD%E5%A4%B4%E8%B7%AF')).status, 200)
        // The posts' texts are read from docs.idx a range at a time: cut the file, as a careless copy would.
        const docs = path.join(dir, (JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest).generation, 'docs.idx')
        writeFileSync(docs, readFileSync(docs).subarray(0, 4096))
        const refused = await rawRequest(server.url, '/search?q=%E6%96%AD%E5%A4%B4%E8%B7%AF')
        assert.equal(refused.status, 503)
        assert.equal((refused.json() as { error: { code: string } }).error.code, 'index_damaged')
        assert.doesNotMatch(refused.text, /docs\.idx|\//, 'no path of the server in the answer')
        const health = await rawRequest(server.url, '/healthz')
        assert.equal(health.status, 503)
        assert.equal((health.json() as { status: string }).status, 'damaged')
        const seen = outcomes.length
        await buildIndex({ postsDir: testIndex.postsDir, outDir: dir, workers: 1, full: true })
        assert.equal((await nextOutcome(outcomes, seen)).status, 'loaded')
        assert.equal((await rawRequest(server.url, '/healthz')).status, 200)
        assert.equal((await rawRequest(server.url, '/search?q=%E6%96%AD%E5%A4%B4%E8%B7%AF')).status, 200)
      } finally {
        await server.close()
        await engine.shutdown()
        rmSync(dir, { recursive: true, force: true })
      }
    })
  }
})
