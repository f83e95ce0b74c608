/**
 * Query latency of two builds of jiansuo in one process: both engines open the same index (or, with
 * `--index-b`, each its own: an index written differently by the second build), every query
 * of the log is timed on each in turn (which goes first alternates), and each query keeps its fastest
 * round. On a shared machine, runs of one build minutes apart differ by more than most changes do;
 * alternating query by query lets both builds meet the same noise.
 *
 *   npm run bench:compare -- --a <other checkout>/dist --b dist [--check]    (--help lists the rest)
 *
 * `--a` and `--b` are compiled trees (`dist/` after `tsc`); `--check` also counts queries whose responses
 * differ (took_ms aside) and, for ranking changes, whose first hit differs and how much the top tens overlap.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type Command } from 'commander'
import { benchCommand, orUsageError, refuse, wholeNumber } from './lib/cli.js'
import { repoRoot } from './lib/corpus.js'
import { summarize } from './scale/latency.js'
import { readQueryLog } from './scale/query-log.js'

type EngineModule = typeof import('../src/search/engine.js')
type Engine = import('../src/search/engine.js').SearchEngine

const program: Command = benchCommand('npm run bench:compare --', 'query latency of two builds of jiansuo in one process, query by query in turn')
  .requiredOption('--a <dist>', "build A's compiled tree (dist/ of another checkout, after tsc)")
  .requiredOption('--b <dist>', "build B's compiled tree (usually dist)")
  .option('--index <dir>', 'the index both builds open (default bench/tmp/scale/index/100k/jiansuo)')
  .option('--index-b <dir>', 'an index of its own for build B (one it writes differently)')
  .option('--queries <file>', 'query log (default bench/tmp/scale/queries.json, written by npm run bench)')
  .option('--rounds <n>', "rounds through the log; each query keeps its fastest", wholeNumber(1), 5)
  .option('--check', 'also count the queries whose responses differ, and for a ranking change how the top tens differ', false)
  .parse()
const values = program.opts<{ a: string; b: string; index?: string; indexB?: string; queries?: string; rounds: number; check: boolean }>()
const rounds = values.rounds
const indexDir = values.index ?? join(repoRoot(), 'bench', 'tmp', 'scale', 'index', '100k', 'jiansuo')
const logged = orUsageError(program, () => readQueryLog(values.queries))
const queries = logged.map((l) => l.q)

async function openBuild(dist: string, indexDir: string): Promise<Engine> {
  const file = join(resolve(dist), 'src', 'search', 'engine.js')
  if (!existsSync(file)) refuse(program, `${file} does not exist: pass a compiled tree (run \`npx tsc -p tsconfig.json\` in that checkout)`)
  const module = (await import(pathToFileURL(file).href)) as EngineModule
  return orUsageError(program, () => module.SearchEngine.open(indexDir))
}

const builds = [await openBuild(values.a, indexDir), await openBuild(values.b, values.indexB ?? indexDir)] as const
const ask = (engine: Engine, q: string) => engine.search({ q, page: 1, size: 10 })
for (const q of queries) for (const engine of builds) ask(engine, q)

const fastest = builds.map(() => new Float64Array(queries.length).fill(Infinity))
for (let round = 0; round < rounds; round++) {
  queries.forEach((q, i) => {
    const first = (round + i) % 2
    for (const which of [first, 1 - first]) {
      const started = performance.now()
      ask(builds[which]!, q)
      fastest[which]![i] = Math.min(fastest[which]![i]!, performance.now() - started)
    }
  })
}

// The middle half by A's time: the typical queries, without the cheapest and the heaviest.
const byA = queries.map((_, i) => i).sort((x, y) => fastest[0]![x]! - fastest[0]![y]!)
const middle = byA.slice(Math.floor(queries.length / 4), Math.floor((3 * queries.length) / 4))
for (const [which, label] of [[0, 'A'], [1, 'B']] as const) {
  const times = fastest[which]!
  const sum = times.reduce((s, t) => s + t, 0)
  const middleSum = middle.reduce((s, i) => s + times[i]!, 0)
  const { p50, p95, p99 } = summarize(Float64Array.from(times))
  console.log(`${label}: p50 ${p50.toFixed(2)} / p95 ${p95.toFixed(2)} / p99 ${p99.toFixed(2)} ms, sum ${sum.toFixed(0)} ms, middle half ${middleSum.toFixed(0)} ms (fastest of ${rounds} per query, ${queries.length} queries)`)
}
// By kind of query: a change may cost one kind what it saves another.
const kinds = [...new Set(logged.map((l) => l.kind))]
const byKind = kinds.map((kind) => {
  const sums = [0, 1].map((which) => logged.reduce((s, l, i) => (l.kind === kind ? s + fastest[which]![i]! : s), 0))
  return `${kind} ${sums[0]!.toFixed(0)} → ${sums[1]!.toFixed(0)}`
})
console.log(`sum by kind, A → B ms: ${byKind.join(', ')}`)

if (values.check) {
  // For a change meant to keep every answer, the first count must be 0; for a ranking change, the
  // others say how far the pages moved.
  let differing = 0
  let firstHitMoved = 0
  let overlap = 0
  let example: string | undefined
  for (const q of queries) {
    const [a, b] = builds.map((engine) => ({ ...ask(engine, q), took_ms: 0 }))
    const [idsA, idsB] = [a!.hits.map((h) => h.id), b!.hits.map((h) => h.id)]
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      differing++
      example ??= q
    }
    if (idsA[0] !== idsB[0]) firstHitMoved++
    overlap += idsA.length === 0 ? 1 : idsA.filter((id) => idsB.includes(id)).length / idsA.length
  }
  console.log(`responses differing: ${differing}${example === undefined ? '' : ` (first: ${JSON.stringify(example)})`}; first hit differing: ${firstHitMoved}; mean top-10 overlap ${((overlap / queries.length) * 100).toFixed(2)}%`)
}
