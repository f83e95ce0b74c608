/**
 * Suggestion latency, in process: how long `SuggestIndex.suggest()` takes for what people type, over the
 * shared corpus's index. Prints a Markdown report and writes it to bench/suggest-results.md.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/suggest.js [--index dir] [--samples N] [--seed N] [--out file]
 *
 * Without --index it builds the corpus index into bench/tmp/suggest-index (about a minute) or reuses it.
 * Typed text is drawn, seeded, the way it reaches /suggest while typing: every prefix of a title's
 * opening (长, 长江, 长江经 …, as characters are committed one by one), and every prefix of a suggested
 * Latin word (r, ru, rus …, as letters are typed).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { buildIndex } from '../src/index/build.js'
import { MANIFEST } from '../src/index/manifest.js'
import { SearchEngine } from '../src/search/engine.js'
import { suggestionsFor } from '../src/suggest/engine-suggestions.js'
import { SUGGEST_FILE } from '../src/suggest/file.js'
import { repoRoot, sharedDir } from './lib/corpus.js'
import { describeMachine } from './lib/machine.js'
import { mulberry32, sampleWithoutReplacement } from './lib/prng.js'

const TARGET_MS = 2
const LONGEST_PREFIX = 6

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    samples: { type: 'string', default: '1500' },
    seed: { type: 'string', default: '7' },
    out: { type: 'string' },
  },
})
const samples = Number(values.samples)
const seed = Number(values.seed)
if (!Number.isInteger(samples) || samples <= 0) throw new Error(`--samples wants a positive integer, got ${values.samples}`)
if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed wants a whole number, got ${values.seed}`)

const root = repoRoot()
const log = (line: string) => process.stderr.write(`${line}\n`)

async function corpusIndexDir(): Promise<string> {
  if (values.index) return values.index
  const shared = sharedDir()
  if (!shared) throw new Error(`no ../shared beside ${root}: give --index <dir> or put the shared corpus there`)
  const dir = join(root, 'bench', 'tmp', 'suggest-index')
  if (existsSync(join(dir, MANIFEST))) {
    log(`reusing ${relative(root, dir)} (delete it to rebuild)`)
    return dir
  }
  mkdirSync(dir, { recursive: true })
  log('building the corpus index …')
  const report = await buildIndex({ postsDir: join(shared, 'corpus'), outDir: dir })
  log(`built ${report.documents} documents in ${report.seconds.toFixed(1)} s`)
  return dir
}

/** Every prefix (1..LONGEST_PREFIX code points) of the text, as it would be sent while typing. */
function prefixes(text: string): string[] {
  const chars = Array.from(text.trim())
  const out: string[] = []
  for (let n = 1; n <= Math.min(LONGEST_PREFIX, chars.length); n++) out.push(chars.slice(0, n).join(''))
  return out
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

const indexDir = await corpusIndexDir()
let started = performance.now()
const engine = SearchEngine.open(indexDir)
const openMs = performance.now() - started
started = performance.now()
const suggester = suggestionsFor(engine)
const importMs = performance.now() - started
const fileBytes = statSync(join(indexDir, engine.index.manifest.generation, SUGGEST_FILE)).size

// Typed text: title openings and Latin word prefixes, drawn with a fixed seed.
const random = mulberry32(seed)
const docs = engine.index.docs
const titles = Array.from({ length: docs.count }, (_, doc) => docs.display(doc).title).filter((t) => /^\p{Script=Han}/u.test(t))
const latinWords = ['rust', 'python', 'github', 'javascript', 'linux', 'chrome', 'docker', 'openai', 'react', 'windows']
const typed = [
  ...sampleWithoutReplacement(titles, samples, random).flatMap(prefixes),
  ...latinWords.flatMap(prefixes),
]

// Warm up (JIT, jieba's first calls), then time every query once, in a shuffled order.
for (const q of typed.slice(0, 500)) suggester.suggest(q)
const order = sampleWithoutReplacement(typed, typed.length, random)
const times = new Float64Array(order.length)
let shown = 0
order.forEach((q, i) => {
  const t0 = performance.now()
  shown += suggester.suggest(q).length
  times[i] = performance.now() - t0
})
const byLength = new Map<string, number[]>()
order.forEach((q, i) => {
  const n = Array.from(q).length
  const bucket = n >= 3 ? '3+ characters' : `${n} character${n === 1 ? '' : 's'}`
  const list = byLength.get(bucket) ?? []
  list.push(times[i]!)
  byLength.set(bucket, list)
})

const sorted = Float64Array.from(times).sort()
const ms = (x: number) => x.toFixed(3)
const row = (label: string, values: Float64Array) =>
  `| ${label} | ${values.length} | ${ms(percentile(values, 0.5))} | ${ms(percentile(values, 0.95))} | ${ms(percentile(values, 0.99))} | ${ms(values[values.length - 1]!)} |`

const report = [
  '# Suggestion latency',
  '',
  `\`node dist/bench/suggest.js --samples ${samples} --seed ${seed}\` on ${new Date().toISOString().slice(0, 10)}.`,
  '',
  `- Index: ${engine.documentCount.toLocaleString('en')} posts (the shared corpus; no scaled-corpus generator exists in bench/ yet, so this is not the 100,000 posts the target names).`,
  `- Suggestion index: ${suggester.wordCount.toLocaleString('en')} words, ${suggester.titleCount.toLocaleString('en')} distinct titles; ${SUGGEST_FILE} ${(fileBytes / 2 ** 20).toFixed(1)} MiB.`,
  `- Start-up: engine open ${openMs.toFixed(0)} ms, then suggestion import ${importMs.toFixed(0)} ms (read from the file, not rebuilt).`,
  `- Typed text: every prefix up to ${LONGEST_PREFIX} characters of ${samples} sampled titles, and of ${latinWords.length} Latin words; ${order.length} queries, ${(shown / order.length).toFixed(1)} suggestions each on average.`,
  `- Machine: ${describeMachine()}.`,
  '',
  `Milliseconds per \`suggest()\` call (target: under ${TARGET_MS} ms):`,
  '',
  '| typed | queries | p50 | p95 | p99 | max |',
  '|---|---:|---:|---:|---:|---:|',
  row('all', sorted),
  ...[...byLength.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, list]) => row(label, Float64Array.from(list).sort())),
  '',
  percentile(sorted, 0.99) < TARGET_MS ? `p99 is under the ${TARGET_MS} ms target.` : `p99 is OVER the ${TARGET_MS} ms target.`,
  '',
].join('\n')

process.stdout.write(report)
const out = values.out ?? join(root, 'bench', 'suggest-results.md')
writeFileSync(out, report)
log(`wrote ${relative(root, out)}`)
