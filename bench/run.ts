/**
 * The scale benchmark (`npm run bench`): jiansuo against FlexSearch, MiniSearch and SQLite FTS5, all with
 * jieba words, on ../shared/corpus and a generated 100,000-post corpus. Build time, index bytes, load time,
 * peak RSS, top-10 query latency, and for jiansuo HTTP requests/s, suggestions and an incremental update.
 * Prints one Markdown table and writes the report (bench/results.md for a complete default run).
 * The HTTP load comes from wrk when it is installed (`apt-get install wrk`), else from autocannon in this
 * process, which competes with the server for the machine's cores; the report names the one used.
 *
 *   npm run bench -- --help      lists the options (--corpus, --systems, --posts, --out …)
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { loadavg } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { type Command, Option } from 'commander'
import type { Document } from '../src/ingest/document.js'
import { repoRoot, sharedDir } from './lib/corpus.js'
import { benchCommand, listOf, orUsageError, refuse, wholeNumber } from './lib/cli.js'
import { describeMachine, machineSpeedMs } from './lib/machine.js'
import { flushWrites } from './scale/disk.js'
import { sourceVersion } from './lib/source-version.js'
import { parseTopics } from './lib/trec.js'
import type { BuildResult, HttpResult, ParseResult, ServeResult } from './scale/child.js'
import { generateCorpus } from './scale/generate.js'
import { chooseLoadTool, measureHttp } from './scale/http-load.js'
import { copyWithEdits, editedCopyDir, removeCopy } from './scale/incremental.js'
import { readNdjson } from './scale/ndjson.js'
import { defaultQueryLogFile } from './scale/query-log.js'
import { summarizeProfiles } from './scale/profile.js'
import { buildQueryLog, COMMON_QUERIES, type LoggedQuery } from './scale/queries.js'
import { renderReport, summaryTable, type BenchRun, type CorpusRun, type SystemRun } from './scale/report.js'
import { runChild, startScriptFlags, startServing } from './scale/spawn.js'
import { SCALE_SYSTEMS } from './scale/systems/index.js'

/** passes: timed passes through the query log; each query's latency is its median over them. */
const DEFAULTS = { posts: 100_000, queries: 1000, seed: 1, httpSeconds: 10, connections: 10, passes: 3 }
/** Queries answered untimed before the timed passes. */
const WARMUP_QUERIES = 200
/**
 * Untimed load before each timed HTTP run. V8 compiles the search code over the first ~30 s of load:
 * cold, its compiler threads took ~1.3 ms of CPU per request at 100,000 posts, warm ~0.1 (serve-memory
 * --warmup). A server answers at the warm rate once it has run a while, so that is the one measured.
 */
const HTTP_WARMUP_SECONDS = 30
/** As `jiansuo serve` defaults: one search thread per core (`--http-workers` changes it), a 32 MB response cache. */
const HTTP_CACHE_MB = 32
/** Share of posts edited before the incremental build. */
const EDITED_SHARE = 0.01

const program: Command = benchCommand('npm run bench --', 'jiansuo against FlexSearch, MiniSearch and SQLite FTS5 with jieba words: build, index size, load, memory, query latency, and HTTP requests/s')
  .addOption(new Option('--corpus <which>', 'the shared posts, the generated corpus, or both').choices(['shared', '100k', 'both']).default('both'))
  .addOption(new Option('--systems <list>', 'systems to measure, comma-separated').argParser(listOf(Object.keys(SCALE_SYSTEMS))).default(Object.keys(SCALE_SYSTEMS), Object.keys(SCALE_SYSTEMS).join(',')))
  .option('--queries <n>', 'queries in the log', wholeNumber(1), DEFAULTS.queries)
  .option('--passes <n>', "timed passes through the log; a query's latency is its median over them", wholeNumber(1), DEFAULTS.passes)
  .option('--posts <n>', 'posts in the generated corpus (a small one makes a quick run)', wholeNumber(1), DEFAULTS.posts)
  .option('--seed <n>', 'seed of the generated corpus and the query log', wholeNumber(0), DEFAULTS.seed)
  .option('--http-seconds <n>', 'seconds of each timed HTTP run', wholeNumber(1), DEFAULTS.httpSeconds)
  .option('--connections <n>', 'HTTP connections', wholeNumber(1), DEFAULTS.connections)
  .addOption(new Option('--http-workers <n>', "the server's search threads (0: searches on its main thread)").argParser(wholeNumber(0)).default(availableParallelism(), 'one per core'))
  .addOption(new Option('--load-tool <tool>', 'HTTP load generator (default: wrk when on PATH, else autocannon)').choices(['wrk', 'autocannon']))
  .option('--profile', "run jiansuo's build and query children under node --cpu-prof and report their hotspots", false)
  .option('--out <file>', 'where to write the report (default bench/results.md for a complete default run)')
  .parse()
const values = program.opts<{
  corpus: 'shared' | '100k' | 'both'
  systems: string[]
  queries: number
  passes: number
  posts: number
  seed: number
  httpSeconds: number
  connections: number
  httpWorkers: number
  loadTool?: 'wrk' | 'autocannon'
  profile: boolean
  out?: string
}>()
const { systems, queries: queryCount, passes, posts, seed, httpSeconds, connections, httpWorkers: HTTP_WORKERS } = values
const loadTool = orUsageError(program, () => chooseLoadTool(values.loadTool))

const root = repoRoot()
const shared = sharedDir()
if (!shared) refuse(program, `no ../shared beside ${root}: the scale benchmark needs shared/corpus and shared/eval`)
const work = join(root, 'bench', 'tmp', 'scale')
mkdirSync(work, { recursive: true })
const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`)
const uptime = () => {
  const [one, five, fifteen] = loadavg().map((n) => n.toFixed(2))
  return `load average ${one}, ${five}, ${fifteen}`
}
const started = performance.now()
const loadBefore = uptime()
const speedBefore = machineSpeedMs()
// Taken now, when `npm run bench` has just compiled src/: an edit made while the bench runs is not what it measures.
const source = sourceVersion(root)
log(`machine: ${describeMachine()}; ${loadBefore}; a fixed workload in ${speedBefore} ms`)

const scaledKey = posts === DEFAULTS.posts ? '100k' : `gen${posts}`
const scaledLabel = posts === DEFAULTS.posts ? 'generated 100k' : `generated ${posts.toLocaleString('en-US')}`

/** Parses a corpus in a child (timed, one thread) and keeps the Documents for the peers and the query log. */
async function parseCorpus(key: string, label: string, postsDir: string): Promise<CorpusRun & { documentsFile: string }> {
  const documentsFile = join(work, `documents-${key}.ndjson`)
  log(`${label}: parsing ${postsDir}`)
  const parse = await runChild<ParseResult>({ phase: 'parse', postsDir, documentsFile })
  log(`${label}: ${parse.documents} documents parsed in ${parse.seconds.toFixed(1)} s`)
  return { key, label, postsDir, parse, documentsFile }
}

const sharedCorpus = await parseCorpus('shared', 'shared 20k', join(shared, 'corpus'))
const corpora: (CorpusRun & { documentsFile: string })[] = values.corpus === '100k' ? [] : [sharedCorpus]

// The query log comes from the shared corpus whichever corpora are measured, so every row answers the same queries.
const sharedDocuments: Document[] = []
for await (const doc of readNdjson<Document>(sharedCorpus.documentsFile)) sharedDocuments.push(doc)
const topics = parseTopics(readFileSync(join(shared, 'eval', 'dev-topics.tsv'), 'utf8'))
const queries: LoggedQuery[] = buildQueryLog(sharedDocuments, topics, { count: queryCount, seed })
// Where the other benchmarks (compare, serve-memory) read it by default.
const queriesFile = defaultQueryLogFile()
writeFileSync(queriesFile, JSON.stringify(queries))
const byKind: Partial<Record<LoggedQuery['kind'], number>> = {}
for (const q of queries) byKind[q.kind] = (byKind[q.kind] ?? 0) + 1
log(`query log: ${queries.length} queries ${JSON.stringify(byKind)}`)

if (values.corpus !== 'shared') {
  const generated = await generateCorpus({ sourceDir: join(shared, 'corpus'), documents: sharedDocuments, posts, seed, log })
  corpora.push(await parseCorpus(scaledKey, scaledLabel, generated.dir))
}
sharedDocuments.length = 0

const runs: SystemRun[] = []
const profiles: BenchRun['profiles'] = []
const resultsJson = join(work, 'results.json')

function profileFlags(name: string): { nodeFlags: string[]; dir: string } | undefined {
  if (!values.profile) return undefined
  const dir = join(work, 'profiles', name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  return { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`], dir }
}

function collectProfile(title: string, profile: { dir: string } | undefined): void {
  if (!profile) return
  const summary = summarizeProfiles(profile.dir, root)
  profiles.push({ title, summary })
  log(`profile ${title}: top ${summary.functions.slice(0, 3).map((f) => `${f.name} ${(f.share * 100).toFixed(0)}%`).join('; ')}`)
}

async function measure(corpus: CorpusRun & { documentsFile: string }, key: string): Promise<SystemRun> {
  const system = await SCALE_SYSTEMS[key]!()
  const run: SystemRun = { system: key, name: system.name, setup: system.setup, snippets: system.snippets, corpus: corpus.key }
  const indexDir = join(work, 'index', corpus.key, key)
  const tag = `${system.name} on ${corpus.label}`
  try {
    rmSync(indexDir, { recursive: true, force: true })
    mkdirSync(indexDir, { recursive: true })
    flushWrites()
    log(`${tag}: building`)
    const buildProfile = key === 'jiansuo' ? profileFlags(`build-${corpus.key}`) : undefined
    run.build = await runChild<BuildResult>(
      { phase: 'build', system: key, postsDir: corpus.postsDir, documentsFile: system.wantsDocuments ? corpus.documentsFile : null, indexDir },
      buildProfile ? { nodeFlags: buildProfile.nodeFlags } : {},
    )
    collectProfile(`build, ${corpus.label}`, buildProfile)
    log(`${tag}: built in ${run.build.seconds.toFixed(1)} s, ${(run.build.bytes / 1e6).toFixed(1)} MB; loading and querying`)
    const serveProfile = key === 'jiansuo' ? profileFlags(`query-${corpus.key}`) : undefined
    flushWrites()
    run.serve = await runChild<ServeResult>(
      { phase: 'serve', system: key, indexDir, queriesFile, warmup: WARMUP_QUERIES, passes },
      serveProfile ? { nodeFlags: serveProfile.nodeFlags } : {},
    )
    collectProfile(`load + ${queries.length} queries + suggestions, ${corpus.label}`, serveProfile)
    const l = run.serve.latency
    log(`${tag}: load ${run.serve.loadMs.toFixed(0)} ms, p50 ${l.p50.toFixed(2)} / p95 ${l.p95.toFixed(2)} / p99 ${l.p99.toFixed(2)} ms, RSS ${(run.serve.servingRssBytes / 1e6).toFixed(0)} MB`)
    if (key === 'jiansuo') {
      // Twice, in fresh servers: cache off (every request is a search), then cache on after one pass through the log.
      for (const cache of [false, true]) {
        const label = cache ? 'response cache on, log seen once' : 'response cache off'
        log(`${tag}: HTTP, ${label}, ${HTTP_WORKERS} search threads, ${connections} connections, ${httpSeconds} s, ${loadTool}`)
        const httpProfile = profileFlags(`http-${cache ? 'cached' : 'uncached'}-${corpus.key}`)
        const task = { phase: 'http' as const, indexDir, workers: HTTP_WORKERS, cacheMB: cache ? HTTP_CACHE_MB : 0 }
        const server = await startServing<HttpResult>(task, { nodeFlags: [...startScriptFlags(), ...(httpProfile?.nodeFlags ?? [])] })
        try {
          const load = await measureHttp({ url: server.url, queries, tool: loadTool, connections, seconds: httpSeconds, warmupSeconds: HTTP_WARMUP_SECONDS, seenOnce: cache })
          const measured = { ...load, server: await server.stop() }
          if (cache) run.httpCached = measured
          else run.http = measured
          log(`${tag}: ${Math.round(measured.requestsPerSecond)} requests/s (${label})`)
        } catch (err) {
          await server.stop().catch(() => undefined)
          throw err
        }
        collectProfile(`HTTP server under ${loadTool}, ${label}, ${corpus.label}`, httpProfile)
      }
      log(`${tag}: incremental update`)
      const copy = await copyWithEdits(corpus.postsDir, editedCopyDir(work, corpus.key), EDITED_SHARE, seed)
      try {
        flushWrites()
        const incremental = await runChild<BuildResult>({ phase: 'build', system: key, postsDir: copy.dir, documentsFile: null, indexDir })
        run.incremental = { ...incremental, edited: copy.edited, posts: copy.files }
      } finally {
        removeCopy(copy)
      }
      log(`${tag}: incremental (${run.incremental.edited} edited) ${run.incremental.seconds.toFixed(1)} s, mode ${String(run.incremental.details.mode)}`)
    } else {
      // Peers' exports are large and not needed afterwards; jiansuo's index is kept for profiling.
      rmSync(indexDir, { recursive: true, force: true })
    }
  } catch (err) {
    run.error = err instanceof Error ? err.message : String(err)
    log(`${tag}: FAILED ${run.error}`)
  }
  return run
}

for (const corpus of corpora) {
  for (const key of systems) {
    runs.push(await measure(corpus, key))
    writeFileSync(resultsJson, JSON.stringify({ corpora, runs }, null, 2))
  }
}

const args = process.argv.slice(2).join(' ')
const bench: BenchRun = {
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  machine: describeMachine(),
  source,
  loadBefore,
  loadAfter: uptime(),
  speedMs: { before: speedBefore, after: machineSpeedMs() },
  command: `npm run bench${args ? ` -- ${args}` : ''}`,
  elapsedSeconds: (performance.now() - started) / 1000,
  queries: { count: queries.length, seed, byKind, common: COMMON_QUERIES, passes },
  // Paths relative to the repository (../shared/corpus, bench/tmp/…), the same on every checkout.
  corpora: corpora.map(({ documentsFile: _, ...c }) => ({ ...c, postsDir: relative(root, c.postsDir) })),
  runs,
  profiles,
}
const complete = values.corpus === 'both' && posts === DEFAULTS.posts && systems.length === Object.keys(SCALE_SYSTEMS).length && HTTP_WORKERS === availableParallelism()
const out = values.out ?? (complete ? join(root, 'bench', 'results.md') : join(work, 'results-partial.md'))
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, renderReport(bench, scaledKey))
writeFileSync(resultsJson, JSON.stringify(bench, null, 2))
console.log(summaryTable(bench))
log(`report written to ${relative(process.cwd(), out) || out}${existsSync(resultsJson) ? `; raw figures in ${relative(process.cwd(), resultsJson)}` : ''}`)
if (runs.some((r) => r.error)) process.exitCode = 1
