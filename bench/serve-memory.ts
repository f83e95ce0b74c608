/**
 * Serving memory under load: starts `bin/jiansuo.js serve` in a child with the given Node flags, drives
 * `/search` with the bench's query log, and prints the server's peak RSS (VmHWM) when idle and after
 * the load, with the requests per second. For comparing serving set-ups (Node flags, threads, cache)
 * on one machine within minutes; `npm run bench` judges the memory target.
 *
 *   npm run bench:serve-memory -- --index bench/tmp/scale/index/100k/jiansuo [--warmup 30]    (--help lists the rest)
 *
 * `serve` sets `--heap-growing-percent=30` itself unless the flags name one (`=0` keeps V8's own, to compare).
 * The query log is the one `npm run bench` writes; with `--cache N` (MB) the log is asked once first,
 * so the timed run repeats cached queries. `--bin` serves with another checkout's build (an older commit).
 * The load comes from wrk when it is on PATH (`--load-tool` chooses), as in `npm run bench`.
 * `cpuMsPerRequest` splits the server's CPU per request by thread (Linux /proc): where a request's cost
 * lies (the HTTP main thread, the search threads, the collector's helpers), which requests per second
 * on a shared machine cannot show. `--warmup N` loads the server for N seconds first, unmeasured: for the first
 * ~30 s of load V8's threads are busy compiling the search code (at 100,000 posts, 0.4–0.5 ms of their CPU per
 * request in a 12 s run from a cold start, ~0.1 ms once warm), which a run without it counts.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Command, Option } from 'commander'
import { readManifest } from '../src/index/manifest.js'
import { benchCommand, orUsageError, wholeNumber } from './lib/cli.js'
import { repoRoot } from './lib/corpus.js'
import { chooseLoadTool, measureHttp } from './scale/http-load.js'
import { readQueryLog } from './scale/query-log.js'

const program: Command = benchCommand('npm run bench:serve-memory --', "a server's peak memory and requests per second under the bench's query log")
  .requiredOption('--index <dir>', 'the index to serve (e.g. bench/tmp/scale/index/100k/jiansuo after npm run bench)')
  .option('--node-flags <flags>', 'Node flags for the server, e.g. "--max-semi-space-size=1"', '')
  .option('--workers <n>', "the server's search threads", wholeNumber(0), 2)
  .option('--cache <mb>', "the server's response cache in MB (0: off)", wholeNumber(0), 0)
  .option('--seconds <n>', 'seconds of measured load', wholeNumber(1), 20)
  .option('--warmup <n>', 'seconds of unmeasured load first', wholeNumber(0), 0)
  .option('--connections <n>', 'HTTP connections', wholeNumber(1), 10)
  .addOption(new Option('--load-tool <tool>', 'HTTP load generator (default: wrk when on PATH, else autocannon)').choices(['wrk', 'autocannon']))
  .option('--queries <file>', 'query log (default bench/tmp/scale/queries.json, written by npm run bench)')
  .option('--bin <file>', "serve with another checkout's bin/jiansuo.js")
  .option('--port <n>', 'port on 127.0.0.1 (0: any free one)', wholeNumber(0), 0)
  .parse()
const values = program.opts<{
  index: string
  nodeFlags: string
  workers: number
  cache: number
  seconds: number
  warmup: number
  connections: number
  loadTool?: 'wrk' | 'autocannon'
  queries?: string
  bin?: string
  port: number
}>()
// serve builds the demo posts where there is no index: that would measure them, not the index asked for.
orUsageError(program, () => readManifest(values.index))
const root = repoRoot()
const queries = orUsageError(program, () => readQueryLog(values.queries))
const nodeFlags = values.nodeFlags.split(/\s+/).filter(Boolean)
const tool = orUsageError(program, () => chooseLoadTool(values.loadTool))

const server = spawn(
  process.execPath,
  [...nodeFlags, values.bin ?? join(root, 'bin', 'jiansuo.js'), 'serve', '--index', values.index, '--host', '127.0.0.1', '--port', String(values.port),
    '--workers', String(values.workers), '--cache', String(values.cache), '--no-rate-limit', '--no-reload', '--log-level', 'silent'],
  { stdio: ['ignore', 'ignore', 'pipe'] },
)
const url = await new Promise<string>((resolve, reject) => {
  let said = ''
  server.stderr.on('data', (chunk: Buffer) => {
    said += chunk.toString()
    const found = /serving \d+ documents on (http:\/\/\S+)/.exec(said)
    if (found) resolve(found[1]!)
  })
  server.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${said}`)))
})

/** The server process's peak resident memory so far, in MB (Linux). */
const peakMB = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024

/**
 * CPU seconds each of the server's threads has used so far (Linux: utime + stime of /proc/<pid>/task/*),
 * by thread id; the main thread's id is the process id.
 */
function threadCpuSeconds(): Map<number, number> {
  const ticksPerSecond = 100 // USER_HZ on Linux
  const out = new Map<number, number>()
  for (const tid of readdirSync(`/proc/${server.pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${server.pid}/task/${tid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / ticksPerSecond)
    } catch {
      // the thread ended meanwhile
    }
  }
  return out
}

await new Promise((resolve) => setTimeout(resolve, 1500)) // suggestions are prepared just after listening
const idle = peakMB()
const stop = (err: unknown) => {
  server.kill('SIGTERM')
  throw err
}
if (values.warmup > 0) {
  await measureHttp({ url, queries, tool, connections: values.connections, seconds: values.warmup, warmupSeconds: 0 }).catch(stop)
}
const cpuBefore = threadCpuSeconds()
// A failed load (wrk exiting non-zero) still stops the server.
const load = await measureHttp({ url, queries, tool, connections: values.connections, seconds: values.seconds, warmupSeconds: 0, seenOnce: values.cache > 0 })
  .catch(stop)
const loaded = peakMB()
// Per request of the timed run (with --cache, the pass that filled it counts too): the main thread's CPU,
// then every other thread that used any, busiest first (the search threads, then V8's and libuv's helpers).
const cpuMs = [...threadCpuSeconds()]
  .map(([tid, seconds]) => ({ main: tid === server.pid, ms: (1000 * (seconds - (cpuBefore.get(tid) ?? 0))) / load.requests }))
  .filter((t) => t.ms >= 0.001)
const round3 = (ms: number) => Math.round(ms * 1000) / 1000
const cpuMsPerRequest = {
  main: round3(cpuMs.find((t) => t.main)?.ms ?? 0),
  others: cpuMs.filter((t) => !t.main).map((t) => round3(t.ms)).sort((a, b) => b - a),
  total: round3(cpuMs.reduce((sum, t) => sum + t.ms, 0)),
}
server.kill('SIGTERM')
console.log(JSON.stringify({ tool, queries: queries.length, nodeFlags, warmupSeconds: values.warmup, workers: values.workers, cacheMB: values.cache, peakIdleMB: Math.round(idle), peakMB: Math.round(loaded), requestsPerSecond: Math.round(load.requestsPerSecond), cpuMsPerRequest, non2xx: load.non2xx, errors: load.errors }))
