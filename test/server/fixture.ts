// A real index over the demo posts plus this folder's fixture posts, and a real server over it.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before } from 'node:test'
import { Worker } from 'node:worker_threads'
import { buildIndex, type BuildReport } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'
import type { SearchParams } from '../../src/search/types.js'
import { fixedEngine, type EngineHandle, type ServerOptions } from '../../src/server/app.js'
import { openApiDocument } from '../../src/server/openapi.js'
import { DEFAULT_SERVER_OPTIONS } from '../../src/server/options.js'
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server/serve.js'
import { responseSchema, schemaProblems } from './json-schema.js'

/** The repository root (this file runs as dist/test/server/fixture.js). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

/** Posts written for these tests; copied into the indexed folder under `fixtures/`. */
export const FIXTURE_POSTS = path.join(repoRoot, 'test/server/fixtures/posts')

/** The demo post the example query `红旗区 断头路` should find first. */
export const EXAMPLE_QUERY = '红旗区 断头路'
export const EXAMPLE_FIRST_ID = '2023-03-28-202303280830126645'

/** Two fixture posts share this phrase: one mentions `<script>` in its title and text, one has no source link. */
export const FIXTURE_PHRASE = '橙色鲸鱼'
export const SCRIPT_POST_ID = '2024-02-14-202402141030000001'
export const NO_LINK_POST_ID = '2024-02-15-202402151200000002'

export interface TestIndex {
  indexDir: string
  /** The posts it was built from; write into it and `buildIndex` again to commit a new generation. */
  postsDir: string
  report: BuildReport
  remove(): void
}

/** Builds an index of demo/posts + the fixture posts in a temporary folder. */
export async function buildTestIndex(): Promise<TestIndex> {
  const root = mkdtempSync(path.join(tmpdir(), 'jiansuo-server-test-'))
  const postsDir = path.join(root, 'posts')
  cpSync(path.join(repoRoot, 'demo/posts'), postsDir, { recursive: true })
  cpSync(FIXTURE_POSTS, path.join(postsDir, 'fixtures'), { recursive: true })
  const report = await buildIndex({ postsDir, outDir: path.join(root, 'index-data'), workers: 1 })
  return { indexDir: report.indexDir, postsDir, report, remove: () => rmSync(root, { recursive: true, force: true }) }
}

/** A test index built before the calling file's tests run and removed after them. */
export function sharedTestIndex(): Pick<TestIndex, 'indexDir' | 'postsDir'> {
  let built: TestIndex | undefined
  before(async () => {
    built = await buildTestIndex()
  })
  after(() => built?.remove())
  return {
    get indexDir() {
      return built!.indexDir
    },
    get postsDir() {
      return built!.postsDir
    },
  }
}

/** A test index and a quiet server over it, started before the calling file's tests and stopped after them. */
export function sharedTestServer(options: Parameters<typeof startTestServer>[1] = {}): { readonly index: TestIndex; readonly server: RunningServer } {
  let index: TestIndex | undefined
  let server: RunningServer | undefined
  before(async () => {
    index = await buildTestIndex()
    server = await startTestServer(index.indexDir, options)
  })
  after(async () => {
    await server?.close()
    index?.remove()
  })
  return {
    get index() {
      return index!
    },
    get server() {
      return server!
    },
  }
}

/** Writes a post that exists only in build `n` (title `第n次重建的标记文章`), so each rebuild changes what a query finds; returns its one word. */
export function writeMarkerPost(postsDir: string, n: number): string {
  const word = `重载标记${'甲乙丙丁戊己庚辛壬癸'[n % 10]}${n}`
  writeFileSync(
    path.join(postsDir, 'marker.md'),
    `---\ntitle: "第${n}次重建的标记文章"\ndate: 2025-01-0${1 + (n % 9)} 08:00:00 +0800\ncategories: ceshi\ntags: [重载]\n---\n<p>这篇文章只在第${n}次重建里，口令是${word}。</p>\n`,
  )
  return word
}

/**
 * A handle on `engine` that calls `hook` at the start of every search, to act while a request is
 * inside its handler (start a shutdown, send a signal). Other uses of the engine do not trigger it.
 */
export function engineWithSearchHook(engine: SearchEngine, hook: () => void): EngineHandle {
  const hooked = Object.create(engine, {
    search: {
      value: (params: SearchParams) => {
        hook()
        return engine.search(params)
      },
    },
  }) as SearchEngine
  return { current: () => hooked }
}

/** A server on an ephemeral 127.0.0.1 port, quiet, not listening for signals. */
export async function startTestServer(
  indexDir: string,
  options: Partial<ServerOptions> & Partial<Pick<StartServerOptions, 'engine'>> = {},
): Promise<RunningServer> {
  return startServer({
    engine: fixedEngine(SearchEngine.open(indexDir)),
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    shutdownSignals: [],
    ...options,
  })
}

const searchSchema = (() => {
  const document = openApiDocument({ maxQueryLength: DEFAULT_SERVER_OPTIONS.maxQueryLength })
  return { document, schema: responseSchema(document, '/search', 200) }
})()

/** What is wrong with a `/search` body, judged by the schema /openapi.json publishes; empty when nothing is. */
export function searchShapeProblems(body: unknown): string[] {
  return schemaProblems(body, searchSchema.schema, searchSchema.document)
}

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  text: string
  json(): unknown
}

/**
 * One HTTP request with the path sent exactly as given (fetch would normalise a broken
 * %-escape) and the body left as the server encoded it, on a fresh connection unless an agent is given.
 */
export function rawRequest(
  baseUrl: string,
  pathAndQuery: string,
  init: { method?: string; headers?: Record<string, string>; agent?: Agent } = {},
): Promise<RawResponse> {
  const base = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: base.hostname, port: base.port, path: pathAndQuery, method: init.method ?? 'GET', headers: init.headers ?? {}, agent: init.agent ?? false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          const text = body.toString('utf8')
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) as unknown })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** Requests for `burst()` to fire at once. */
export interface BurstPlan {
  searches: string[]
  /** Requests sent by clients that hang up straight after sending. */
  hangUps?: string[]
  /** One more request, sent this long after the others. */
  probe?: { path: string; afterMs: number }
}

export interface TimedResponse {
  path: string
  /** 0 when the request failed; then `body` is the error. */
  status: number
  retryAfter: string | string[] | null
  body: string
  /** When the answer was complete, in ms from the start of the burst. */
  atMs: number
}

export interface BurstResult {
  responses: TimedResponse[]
  probe: TimedResponse | null
}

/**
 * Fires a plan of requests from a worker thread. A client in the test's own thread could not send
 * while the server (same thread) is busy searching, so its requests would arrive one at a time.
 */
export function burst(url: string, plan: BurstPlan): Promise<BurstResult> {
  const worker = new Worker(new URL('./fixtures/burst-worker.js', import.meta.url), { workerData: { url, plan } })
  return new Promise((resolve, reject) => {
    worker.once('message', (result: BurstResult) => resolve(result))
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`burst worker exited with code ${code}`)))
  })
}
