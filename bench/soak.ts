// Soak: concurrent /search on 127.0.0.1 for a while, with the server's memory sampled, to show
// there are no errors and no growth trend. The server runs in a child process, so its memory is its own.
//
//   npm run bench:soak -- [--index dir] [--seconds 60] [--clients 8]    (--help says more)
//
// Without --index it uses the shared corpus index that the tests cache (test/.cache/corpus-index), or
// builds one of the demo posts. test/server/soak.test.ts runs the same soak for 5 s.
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Command, Option } from 'commander'
import { readManifest } from '../src/index/manifest.js'
import { benchCommand, orUsageError, wholeNumber } from './lib/cli.js'

export interface SoakOptions {
  indexDir: string
  seconds: number
  /** Concurrent clients, each searching in a loop over a keep-alive connection. */
  clients: number
  /** Queries (each sent with a rotating set of page, sort and facet parameters). */
  queries: string[]
  /** How often the server's memory is sampled (after a forced GC). */
  sampleMs?: number
  /** Checks each 200 body; a non-empty answer counts as an error (wrong shape). */
  check?: (body: unknown) => string[]
}

export interface MemorySample {
  atS: number
  rssMB: number
  heapMB: number
}

export interface SoakReport {
  seconds: number
  requests: number
  errors: string[]
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  samples: MemorySample[]
  rssStartMB: number
  rssEndMB: number
  /** Least-squares slope over the samples after the first fifth (warm-up), in MB per minute. */
  rssTrendMBPerMin: number
  heapTrendMBPerMin: number
}

const VARIANTS = ['', '&page=2', '&sort=date', '&facets=category,tag,year', '&size=50', '&page=3&size=5&facets=year']

/** Runs the soak and returns its figures; the server child is stopped at the end whatever happens. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { indexDir, seconds, clients, queries, sampleMs = 500, check } = options
  const child = fork(fileURLToPath(import.meta.url), ['--serve', indexDir], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  try {
    const url = await once<{ url: string }>(child, (m) => 'url' in m).then((m) => m.url)
    const { hostname, port } = new URL(url)
    const agent = new Agent({ keepAlive: true, maxSockets: clients })
    const latencies: number[] = []
    const errors: string[] = []
    const samples: MemorySample[] = []
    const started = performance.now()
    const deadline = started + seconds * 1000
    const sample = async () => {
      child.send({ sample: true })
      const m = await once<{ rss: number; heapUsed: number }>(child, (msg) => 'rss' in msg)
      samples.push({ atS: (performance.now() - started) / 1000, rssMB: m.rss / 2 ** 20, heapMB: m.heapUsed / 2 ** 20 })
    }
    await sample()
    const sampler = (async () => {
      while (performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, sampleMs))
        await sample()
      }
    })()
    const loops = Array.from({ length: clients }, async (_, c) => {
      for (let i = c * 7; performance.now() < deadline && errors.length < 100; i++) {
        const q = queries[i % queries.length]!
        const path = `/search?q=${encodeURIComponent(q)}${VARIANTS[i % VARIANTS.length]}`
        const t = performance.now()
        try {
          const { status, body } = await get(hostname, Number(port), path, agent)
          latencies.push(performance.now() - t)
          if (status !== 200) errors.push(`${path}: ${status} ${body.slice(0, 120)}`)
          else if (check) {
            const problems = check(JSON.parse(body))
            if (problems.length) errors.push(`${path}: ${problems.slice(0, 2).join('; ')}`)
          }
        } catch (err) {
          errors.push(`${path}: ${(err as Error).message}`)
        }
      }
    })
    await Promise.all(loops)
    await sampler
    agent.destroy()
    const elapsed = (performance.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
    const settled = samples.slice(Math.floor(samples.length / 5))
    return {
      seconds: elapsed,
      requests: latencies.length,
      errors,
      requestsPerSecond: latencies.length / elapsed,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: latencies[latencies.length - 1] ?? 0,
      samples,
      rssStartMB: samples[0]?.rssMB ?? 0,
      rssEndMB: samples[samples.length - 1]?.rssMB ?? 0,
      rssTrendMBPerMin: slope(settled.map((s) => [s.atS, s.rssMB])) * 60,
      heapTrendMBPerMin: slope(settled.map((s) => [s.atS, s.heapMB])) * 60,
    }
  } finally {
    child.kill()
  }
}

function get(host: string, port: number, path: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** The next IPC message from `child` that `wanted` accepts. */
function once<T>(child: ChildProcess, wanted: (message: Record<string, unknown>) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (!wanted(message)) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(message as T)
    }
    const onExit = (code: number | null) => reject(new Error(`soak server exited (code ${code})`))
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length
  if (n < 2) return 0
  const mx = points.reduce((s, p) => s + p[0], 0) / n
  const my = points.reduce((s, p) => s + p[1], 0) / n
  let num = 0
  let den = 0
  for (const [x, y] of points) {
    num += (x - mx) * (y - my)
    den += (x - mx) ** 2
  }
  return den === 0 ? 0 : num / den
}

/** Queries of the kinds people type, on the demo posts and the shared corpus alike. */
export const SOAK_QUERIES = [
  '红旗区 断头路', '断头路', '高标准农田', '长江 禁渔', '"十年禁渔"', '新能源汽车 OR 电动车', 'title:农田', '学校 -医院',
  '中国 经济 发展', '人工智能', 'rust', '2024', '习近平 会议', '疫情防控', '乡村振兴', '红旗', '的', '不存在的词语组合',
]

/** The child: serves the index and answers memory samples. */
async function serveChild(indexDir: string): Promise<void> {
  const { startServer } = await import('../src/server/serve.js')
  const { watchIndex } = await import('../src/server/index-watcher.js')
  // Searches on this thread with no response cache: the soak cycles a few queries, and is meant to
  // watch the engine's memory under load, not a cache answering repeats.
  const engine = watchIndex(indexDir)
  const server = await startServer({ engine, host: '127.0.0.1', port: 0, logLevel: 'silent', rateLimit: false, cacheBytes: 0, shutdownSignals: [] })
  const gc = (globalThis as { gc?: () => void }).gc
  process.on('message', (message: { sample?: boolean }) => {
    if (!message.sample) return
    gc?.()
    const { rss, heapUsed } = process.memoryUsage()
    process.send!({ rss, heapUsed })
  })
  process.on('disconnect', () => {
    engine.close()
    void server.close().then(() => process.exit(0))
  })
  process.send!({ url: server.url })
}

async function main(): Promise<void> {
  const program: Command = benchCommand('npm run bench:soak --', 'concurrent /search on 127.0.0.1 for a while, with the server\'s memory sampled: errors and growth')
    .option('--index <dir>', 'the index to serve (default: the shared corpus index the tests cache, else the demo posts)')
    .option('--seconds <n>', 'seconds of load', wholeNumber(1), 60)
    .option('--clients <n>', 'concurrent clients', wholeNumber(1), 8)
    // The server's own process, started by the soak with the index's folder.
    .addOption(new Option('--serve <dir>').hideHelp())
    .parse()
  const values = program.opts<{ index?: string; seconds: number; clients: number; serve?: string }>()
  if (values.serve !== undefined) return serveChild(values.serve)
  const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
  const given = values.index
  if (given !== undefined) orUsageError(program, () => readManifest(given))
  let indexDir = given
  if (indexDir === undefined) {
    const cached = path.join(repoRoot, 'test/.cache/corpus-index')
    if (existsSync(path.join(cached, 'manifest.json'))) indexDir = cached
    else {
      const { buildIndex } = await import('../src/index/build.js')
      indexDir = path.join(mkdtempSync(path.join(tmpdir(), 'jiansuo-soak-')), 'index')
      await buildIndex({ postsDir: path.join(repoRoot, 'demo/posts'), outDir: indexDir })
    }
  }
  const { seconds, clients } = values
  process.stderr.write(`soak: ${seconds} s, ${clients} clients, index ${indexDir}\n`)
  const r = await runSoak({ indexDir, seconds, clients, queries: SOAK_QUERIES })
  const mb = (x: number) => x.toFixed(1)
  process.stdout.write(
    [
      `requests ${r.requests} in ${r.seconds.toFixed(1)} s (${r.requestsPerSecond.toFixed(0)}/s), errors ${r.errors.length}`,
      `latency p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms`,
      `RSS start ${mb(r.rssStartMB)} MB, end ${mb(r.rssEndMB)} MB, trend ${r.rssTrendMBPerMin.toFixed(2)} MB/min; heap trend ${r.heapTrendMBPerMin.toFixed(2)} MB/min (after GC)`,
      `RSS samples (s: MB): ${r.samples.filter((_, i) => i % Math.max(1, Math.floor(r.samples.length / 12)) === 0).map((s) => `${s.atS.toFixed(0)}: ${mb(s.rssMB)}`).join(', ')}`,
      ...r.errors.slice(0, 5).map((e) => `error: ${e}`),
    ].join('\n') + '\n',
  )
  if (r.errors.length > 0) process.exitCode = 1
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
