/**
 * The scale benchmark's results as Markdown: one summary table (system × corpus), then the details
 * behind it, the targets of issue 5 against the measured figures, and the machine it ran on.
 */
import type { BuildResult, HttpResult, ParseResult, ServeResult } from './child.js'
import type { HttpLoad } from './http-load.js'
import type { LatencySummary } from './latency.js'
import type { ProfileSummary } from './profile.js'
import { renderProfile } from './profile.js'
import type { QueryKind } from './queries.js'

export interface CorpusRun {
  key: string
  label: string
  postsDir: string
  parse: ParseResult
}

export interface SystemRun {
  system: string
  name: string
  setup: string
  snippets: boolean
  corpus: string
  build?: BuildResult
  serve?: ServeResult
  /** `/search` with the response cache off: every request is a search. */
  http?: HttpLoad & { server: HttpResult }
  /** `/search` with the response cache on, after one pass through the query log. */
  httpCached?: HttpLoad & { server: HttpResult }
  incremental?: BuildResult & { edited: number; posts: number }
  error?: string
}

export interface BenchRun {
  date: string
  machine: string
  source: string
  loadBefore: string
  loadAfter: string
  /** machineSpeedMs() as the run began and ended (absent from runs before it was measured). */
  speedMs?: { before: number; after: number }
  command: string
  elapsedSeconds: number
  /** passes: timed passes through the log, each query's latency the median over them (absent: one pass, before it was counted). */
  queries: { count: number; seed: number; byKind: Partial<Record<QueryKind, number>>; common: readonly string[]; passes?: number }
  corpora: CorpusRun[]
  runs: SystemRun[]
  profiles: { title: string; summary: ProfileSummary }[]
}

const MB = 1e6
const mb = (bytes: number | undefined) => (bytes === undefined ? '—' : (bytes / MB).toFixed(1))
const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(1))
const secs = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(1))
const count = (n: number) => n.toLocaleString('en-US')

function corpusOf(run: BenchRun, key: string): CorpusRun | undefined {
  return run.corpora.find((c) => c.key === key)
}

/** Build seconds as the table shows them: jiansuo end to end; a peer's from parsed documents, its parsing added in brackets. */
function buildCell(bench: BenchRun, run: SystemRun): string {
  if (!run.build) return '—'
  if (run.system === 'jiansuo') return secs(run.build.seconds)
  const parse = corpusOf(bench, run.corpus)?.parse.seconds
  return `${secs(run.build.seconds)} (+${secs(parse)})`
}

export function summaryTable(bench: BenchRun): string {
  const lines = [
    '| system | corpus | build s | index MB | load ms | peak RSS MB | p50 ms | p95 ms | p99 ms | QPS (HTTP) cache off / on | snippets |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ]
  for (const run of bench.runs) {
    const label = corpusOf(bench, run.corpus)?.label ?? run.corpus
    if (run.error && !run.serve) {
      lines.push(`| ${run.name} | ${label} | failed: ${run.error.split('\n')[0]!.slice(0, 80)} | | | | | | | | |`)
      continue
    }
    const lat = run.serve?.latency
    lines.push(
      `| ${run.name} | ${label} | ${buildCell(bench, run)} | ${mb(run.build?.bytes)} | ${ms(run.serve?.loadMs)} | ${mb(run.serve?.servingRssBytes)} | ${ms(lat?.p50)} | ${ms(lat?.p95)} | ${ms(lat?.p99)} | ${run.http ? count(Math.round(run.http.requestsPerSecond)) : '—'} / ${run.httpCached ? count(Math.round(run.httpCached.requestsPerSecond)) : '—'} | ${run.snippets ? 'yes' : 'no (ids)'} |`,
    )
  }
  return lines.join('\n')
}

function latencyRow(name: string, corpus: string, kind: string, l: LatencySummary | undefined): string {
  return `| ${name} | ${corpus} | ${kind} | ${l?.count ?? 0} | ${ms(l?.p50)} | ${ms(l?.p95)} | ${ms(l?.p99)} | ${ms(l?.max)} |`
}

function buildDetails(bench: BenchRun): string[] {
  const lines = [
    '| system | corpus | index s | save s | total s | CPU s | CPU s / wall s | build peak RSS MB | index ÷ text | index ÷ files |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const run of bench.runs) {
    const b = run.build
    if (!b) continue
    const corpus = corpusOf(bench, run.corpus)
    lines.push(
      `| ${run.name} | ${corpus?.label ?? run.corpus} | ${secs(b.indexSeconds)} | ${secs(b.saveSeconds)} | ${secs(b.seconds)} | ${secs(b.cpuSeconds)} | ${(b.cpuSeconds / Math.max(b.seconds, 1e-9)).toFixed(2)} | ${mb(b.maxRssBytes)} | ${corpus ? pct(b.bytes / corpus.parse.textBytes) : '—'} | ${corpus ? pct(b.bytes / corpus.parse.fileBytes) : '—'} |`,
    )
  }
  return lines
}

const pct = (ratio: number) => `${(ratio * 100).toFixed(0)}%`

function jiansuoDetails(bench: BenchRun): string[] {
  const out: string[] = []
  for (const run of bench.runs.filter((r) => r.system === 'jiansuo')) {
    const label = corpusOf(bench, run.corpus)?.label ?? run.corpus
    out.push(`**${label}**`, '')
    if (run.build) {
      const parts = Object.entries(run.build.files)
        .sort((a, b) => b[1] - a[1])
        .map(([name, bytes]) => `${name} ${mb(bytes)}`)
      out.push(`- Index files (MB): ${parts.join(', ')}.`)
    }
    if (run.serve) {
      out.push(`- Query CPU time: ${ms(run.serve.cpuMsPerQuery)} ms per query on average per timed pass (wall mean ${ms(run.serve.latency.mean)} ms).`)
      out.push(`- Load: \`SearchEngine.open\` ${ms(run.serve.loadMs)} ms, then the first query ${ms(run.serve.firstQueryMs)} ms; serving RSS ${mb(run.serve.servingRssBytes)} MB for an index of ${mb(run.build?.bytes)} MB; ${run.serve.zeroHitQueries} of ${run.serve.latency.count} queries found nothing.`)
      const s = run.serve.suggest
      if (s) out.push(`- Suggestions (\`suggestionsFor(engine).suggest(typed)\`, first 1–3 characters of each logged query, ${s.latency.count} distinct): import on first use ${ms(s.importMs)} ms; p50 ${ms(s.latency.p50)} / p95 ${ms(s.latency.p95)} / p99 ${ms(s.latency.p99)} ms.`)
    }
    for (const h of [run.http, run.httpCached]) {
      if (!h) continue
      const label = h.cache ? 'response cache on, every query of the log asked once before' : 'response cache off, every request a search'
      const tool = h.tool === 'wrk' ? 'wrk -t1 on the same machine' : 'autocannon in the bench process on the same machine'
      const warm = h.warmupSeconds === undefined ? '' : `, after ${h.warmupSeconds} s of untimed load`
      out.push(`- HTTP (${label}): ${count(Math.round(h.requestsPerSecond))} requests/s (${count(h.requests)} in ${h.seconds} s${warm}, ${h.connections} connections, ${tool}), latency p50 ${h.latencyP50Ms} / p99 ${h.latencyP99Ms} ms, ${h.non2xx} non-2xx, ${h.errors} errors; server peak RSS ${mb(h.server.maxRssBytes)} MB.`)
    }
    if (run.incremental) {
      const inc = run.incremental
      const d = inc.details
      out.push(`- Incremental update: ${inc.edited} of ${count(inc.posts)} posts edited (a paragraph added) → ${String(d.mode)} build in ${secs(inc.seconds)} s (${String(d.reprocessed)} re-read, ${String(d.reused)} reused; peak RSS ${mb(inc.maxRssBytes)} MB).`)
    }
    out.push('')
  }
  return out
}

interface Target {
  what: string
  target: string
  measured: string
  met: boolean | null
}

function jiansuoRun(bench: BenchRun, corpus: string): SystemRun | undefined {
  return bench.runs.find((r) => r.system === 'jiansuo' && r.corpus === corpus)
}

/** Issue 5's targets against this run; `met` is null when the run did not measure it. */
export function targets(bench: BenchRun, scaledKey: string): Target[] {
  const shared = jiansuoRun(bench, 'shared')
  const scaled = jiansuoRun(bench, scaledKey)
  const list: Target[] = []
  const sharedBuild = shared?.build
  const peers = bench.runs.filter((r) => r.corpus === 'shared' && r.system !== 'jiansuo' && r.build)
  const fastestPeer = peers.reduce<SystemRun | undefined>((best, r) => (!best || r.build!.seconds < best.build!.seconds ? r : best), undefined)
  list.push({
    what: 'Build, 20,007 shared posts, end to end',
    target: '≤ 10 s, faster than every jieba peer, both cores busy',
    measured: sharedBuild
      ? `${secs(sharedBuild.seconds)} s, CPU/wall ${(sharedBuild.cpuSeconds / sharedBuild.seconds).toFixed(2)}${fastestPeer ? `; fastest peer ${fastestPeer.name} ${secs(fastestPeer.build!.seconds)} s without parsing` : ''}`
      : 'not measured',
    met: sharedBuild ? sharedBuild.seconds <= 10 && (!fastestPeer || sharedBuild.seconds < fastestPeer.build!.seconds) : null,
  })
  const serve = scaled?.serve
  const ready = serve ? serve.loadMs + serve.firstQueryMs : undefined
  list.push({
    what: `Load, ${scaledLabel(bench, scaledKey)}: open, then the first query answered`,
    target: '< 1000 ms',
    measured: serve ? `${ms(ready)} ms (open ${ms(serve.loadMs)} + first query ${ms(serve.firstQueryMs)})` : 'not measured',
    met: ready === undefined ? null : ready < 1000,
  })
  const lat = scaled?.serve?.latency
  list.push({
    what: `Query top-10 with snippets, ${scaledLabel(bench, scaledKey)}, whole log`,
    target: 'p50 < 1 ms, p99 < 5 ms',
    measured: lat ? `p50 ${ms(lat.p50)} ms, p99 ${ms(lat.p99)} ms` : 'not measured',
    met: lat ? lat.p50 < 1 && lat.p99 < 5 : null,
  })
  const common = scaled?.serve?.byKind.common
  list.push({
    what: 'Query, very common words only',
    target: 'p50 < 1 ms, p99 < 5 ms',
    measured: common ? `p50 ${ms(common.p50)} ms, p99 ${ms(common.p99)} ms (${common.count} queries)` : 'not measured',
    met: common ? common.p50 < 1 && common.p99 < 5 : null,
  })
  // Judged on the uncached figure: the cached one measures the cache, not the engine.
  const qps = scaled?.http?.requestsPerSecond
  const cachedQps = scaled?.httpCached?.requestsPerSecond
  const cachedNote = cachedQps === undefined ? '' : `; ${count(Math.round(cachedQps))} with the response cache on and the log seen once`
  list.push({ what: `HTTP /search, ${scaledLabel(bench, scaledKey)}`, target: '≥ 3,000 requests/s', measured: qps === undefined ? 'not measured' : `${count(Math.round(qps))} requests/s with the response cache off${cachedNote}`, met: qps === undefined ? null : qps >= 3000 })
  // Judged on the HTTP server as `jiansuo serve` runs it (search threads, cache off): its peak RSS, not the
  // single-thread query process's, which loads one engine where the server loads one per thread.
  const rss = scaled?.http?.server.maxRssBytes
  const oneThreadRss = scaled?.serve?.servingRssBytes
  const bytes = scaled?.build?.bytes
  const oneThreadNote = oneThreadRss && bytes ? `; one thread, no server: ${mb(oneThreadRss)} MB = ${(oneThreadRss / bytes).toFixed(2)} ×` : ''
  list.push({
    what: `Memory serving ${scaledLabel(bench, scaledKey)}`,
    target: '< 1.5 × index size on disk',
    measured: rss && bytes ? `HTTP server's peak RSS ${mb(rss)} MB = ${(rss / bytes).toFixed(2)} × ${mb(bytes)} MB (${scaled?.http?.server.workers ?? '?'} search threads, cache off)${oneThreadNote}` : 'not measured',
    met: rss && bytes ? rss < 1.5 * bytes : null,
  })
  for (const [key, run] of [['shared', shared], [scaledKey, scaled]] as const) {
    const corpus = corpusOf(bench, key)
    if (!run?.build || !corpus) continue
    const ratio = run.build.bytes / corpus.parse.textBytes
    list.push({
      what: `Index size, ${corpus.label}`,
      target: '< 60% of the article text',
      measured: `${mb(run.build.bytes)} MB = ${pct(ratio)} of ${mb(corpus.parse.textBytes)} MB of titles and paragraphs (${pct(run.build.bytes / corpus.parse.fileBytes)} of ${mb(corpus.parse.fileBytes)} MB of post files)`,
      met: ratio < 0.6,
    })
  }
  return list
}

function scaledLabel(bench: BenchRun, key: string): string {
  return corpusOf(bench, key)?.label ?? key
}

/** How the latency figures were taken from the timed passes. */
function passesNote(bench: BenchRun): string {
  const passes = bench.queries.passes ?? 1
  return passes === 1 ? 'each query timed once.' : `each query's figure is its median over ${passes} timed passes through the log (a burst of other work on the shared machine moves it only when it hits that query in most passes).`
}

export function renderReport(bench: BenchRun, scaledKey: string): string {
  const kinds = Object.entries(bench.queries.byKind).map(([k, n]) => `${n} ${k}`).join(', ')
  const latencyLines = ['| system | corpus | queries | n | p50 ms | p95 ms | p99 ms | max ms |', '|---|---|---|---:|---:|---:|---:|---:|']
  for (const run of bench.runs) {
    if (!run.serve) continue
    const label = corpusOf(bench, run.corpus)?.label ?? run.corpus
    for (const [kind, l] of Object.entries(run.serve.byKind)) latencyLines.push(latencyRow(run.name, label, kind, l))
  }
  const targetLines = ['| target | wanted | measured | |', '|---|---|---|---|']
  for (const t of targets(bench, scaledKey)) targetLines.push(`| ${t.what} | ${t.target} | ${t.measured} | ${t.met === null ? '—' : t.met ? 'met' : '**missed**'} |`)
  const setups = [...new Map(bench.runs.map((r) => [r.system, r])).values()].map((r) => `- **${r.name}**: ${r.setup}`)
  return [
    '# Scale benchmark',
    '',
    `${bench.date} · ${bench.machine} · ${bench.source}`,
    '',
    `Command: \`${bench.command}\` (took ${(bench.elapsedSeconds / 60).toFixed(1)} min).`,
    `Machine load (\`uptime\`) before: ${bench.loadBefore}; after: ${bench.loadAfter}. The machine was shared with other work, so latencies and throughput are conservative.`,
    ...(bench.speedMs ? [speedLine(bench.speedMs)] : []),
    '',
    summaryTable(bench),
    '',
    'build s: jiansuo end to end (walk, parse, analyse in worker threads, write); a peer from already-parsed documents, with the single-threaded parsing of the same posts by jiansuo\'s ingest module in brackets; before each build and each query phase the file system\'s pending writes are flushed (`sync`), so that none of the bench\'s own writes is flushed during a timing. index MB: bytes of the files on disk (10⁶ bytes). load ms: opening the index from disk in a fresh process. peak RSS: of the single-thread process that loaded the index and answered the whole query log (the memory target is judged on the HTTP server\'s peak RSS instead, below). p50/p95/p99: one query at a time, top 10, after a warm-up; ' + passesNote(bench) + ' QPS: jiansuo\'s `/search` over HTTP on loopback (search threads, one per core), first with the response cache off (every request a search), then in a fresh server with the cache on after one pass through the query log (the timed run only repeats queries already asked); each timed run follows untimed load, during which V8 compiles the search code, so the figure is a server\'s that has been running a while.',
    '',
    '## Targets (issue 5)',
    '',
    ...targetLines,
    '',
    '## Corpora',
    '',
    ...bench.corpora.map(
      (c) =>
        `- **${c.label}** (\`${c.postsDir}\`): ${count(c.parse.documents)} posts${c.parse.skipped ? ` (${c.parse.skipped} skipped)` : ''}, ${mb(c.parse.fileBytes)} MB of files, ${mb(c.parse.textBytes)} MB of titles and paragraphs (UTF-8); parsing them with jiansuo's ingest module on one thread took ${secs(c.parse.seconds)} s (peak RSS ${mb(c.parse.maxRssBytes)} MB).`,
    ),
    '',
    `Query log: ${count(bench.queries.count)} queries (${kinds}), seed ${bench.queries.seed}: the ../shared/eval topics, very common words (${bench.queries.common.join('、')}), distinct titles, and runs of 2–4 consecutive jieba words from a clause of a body, joined by spaces. The same log is asked of every system on every corpus.`,
    '',
    '## Builds',
    '',
    ...buildDetails(bench),
    '',
    'CPU s / wall s above 1 means more than one core was busy. A peer\'s build peak RSS includes the parsed documents it was handed.',
    '',
    '## Latency by kind of query',
    '',
    ...latencyLines,
    '',
    '## jiansuo: load, HTTP, suggestions, incremental update',
    '',
    ...jiansuoDetails(bench),
    '## Setups',
    '',
    ...setups,
    '',
    'Every system runs in a child process of its own per phase (build; load + queries; HTTP server), so peak RSS is that system\'s alone (`process.resourceUsage().maxRSS`).',
    '',
    ...(bench.profiles.length ? ['## CPU profiles (jiansuo, `node --cpu-prof`)', '', ...bench.profiles.map((p) => renderProfile(p.title, p.summary))] : []),
    ...bench.runs.filter((r) => r.error).map((r) => `- ${r.name} on ${r.corpus} failed: \`${r.error!.split('\n')[0]}\``),
    '',
  ].join('\n')
}

/** The machine's speed as a results file says it: what tells a slower day from a slower jiansuo. */
export function speedLine(speed: { before: number; after: number }): string {
  return `Machine speed: a fixed single-thread workload (\`machineSpeedMs\` in bench/lib/machine.ts) took ${speed.before} ms before the run and ${speed.after} ms after; lower is faster. The same CPU model has run it at different speeds on different days, so compare this line before comparing two results files' figures.`
}
