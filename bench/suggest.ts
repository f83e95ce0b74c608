/**
 * Suggestion latency, in process: how long `SuggestIndex.suggest()` takes for what people type, over the
 * shared corpus (20,007 posts) and the generated 100,000-post corpus of the scale benchmark. Prints a
 * Markdown report and writes it to bench/suggest-results.md.
 *
 *   npx tsc -p tsconfig.json && node --max-old-space-size=16384 dist/bench/suggest.js [--corpus shared,100000]    (--help lists the rest)
 *
 * `--corpus` lists what to measure: `shared`, or a number of generated posts (bench/scale/generate.ts,
 * written once to bench/tmp/scale and reused). Each corpus is indexed into bench/tmp/suggest/ (reused while
 * its manifest is there; a 100,000-post build takes minutes and wants the larger heap above), unless
 * `--index` names an index to measure instead (then only one corpus).
 *
 * Typed text is drawn, seeded, the way it reaches /suggest while typing: every prefix of a title's opening
 * (长, 长江, 长江经 …, as characters are committed one by one), and every prefix of some Latin words.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, relative } from 'node:path'
import { type Command, InvalidArgumentError, Option } from 'commander'
import { buildIndex } from '../src/index/build.js'
import { MANIFEST } from '../src/index/manifest.js'
import { SearchEngine } from '../src/search/engine.js'
import { suggestionsFor } from '../src/suggest/engine-suggestions.js'
import { SUGGEST_FILE } from '../src/suggest/file.js'
import { benchCommand, refuse, wholeNumber } from './lib/cli.js'
import { repoRoot, sharedDir } from './lib/corpus.js'
import { describeMachine } from './lib/machine.js'
import { mulberry32, sampleWithoutReplacement } from './lib/prng.js'
import { generateCorpus } from './scale/generate.js'
import { summarize, timeEach, type LatencySummary } from './scale/latency.js'

const TARGET_MS = 2
const LONGEST_PREFIX = 6
const WARMUP = 500
const LATIN_WORDS = ['rust', 'python', 'github', 'javascript', 'linux', 'chrome', 'docker', 'openai', 'react', 'windows']

const program: Command = benchCommand('node --max-old-space-size=16384 dist/bench/suggest.js', 'suggestion latency in process, for what people type, over the shared corpus and a generated one')
  .addOption(new Option('--corpus <list>', 'what to measure, comma-separated: shared, or a number of generated posts').argParser(corpusList).default(['shared', '100000'], 'shared,100000'))
  .option('--seed <n>', 'seed of the sampled titles', wholeNumber(0), 1)
  .option('--samples <n>', 'titles sampled from each corpus', wholeNumber(1), 1500)
  .option('--index <dir>', 'measure this index instead (then give one --corpus, to label it)')
  .option('--out <file>', 'where to write the report (default bench/suggest-results.md)')
  .parse()
const values = program.opts<{ corpus: string[]; seed: number; samples: number; index?: string; out?: string }>()
const { seed, samples } = values
const corpora = values.corpus
if (values.index && corpora.length !== 1) refuse(program, '--index measures one index: give one --corpus to label it')

/** `shared` or a number of generated posts, comma-separated. */
function corpusList(text: string): string[] {
  const items = text.split(',').map((c) => c.trim()).filter(Boolean)
  if (items.length === 0 || !items.every((c) => c === 'shared' || /^[1-9]\d*$/.test(c))) throw new InvalidArgumentError('Give shared, or a number of generated posts, comma-separated.')
  return items
}

const root = repoRoot()
const log = (line: string) => process.stderr.write(`[suggest ${new Date().toISOString().slice(11, 19)}] ${line}\n`)

/** The index to measure for one corpus: given, reused, or built now. */
async function indexFor(corpus: string): Promise<string> {
  if (values.index) return values.index
  const shared = sharedDir()
  if (!shared) refuse(program, `no ../shared beside ${root}: give --index <dir>, or put the shared corpus there`)
  const dir = join(root, 'bench', 'tmp', 'suggest', corpus === 'shared' ? 'index-shared' : `index-${corpus}-s${seed}`)
  if (existsSync(join(dir, MANIFEST))) {
    log(`reusing ${relative(root, dir)} (delete it to rebuild)`)
    return dir
  }
  const postsDir =
    corpus === 'shared'
      ? join(shared, 'corpus')
      : (await generateCorpus({ sourceDir: join(shared, 'corpus'), posts: Number(corpus), seed, log })).dir
  mkdirSync(dir, { recursive: true })
  log(`indexing ${relative(root, postsDir) || postsDir} …`)
  const report = await buildIndex({ postsDir, outDir: dir })
  log(`${report.documents} documents indexed in ${report.seconds.toFixed(1)} s`)
  return dir
}

/** Every prefix (1..LONGEST_PREFIX code points) of the text, as it would be sent while typing. */
function prefixes(text: string): string[] {
  const chars = Array.from(text.trim())
  const out: string[] = []
  for (let n = 1; n <= Math.min(LONGEST_PREFIX, chars.length); n++) out.push(chars.slice(0, n).join(''))
  return out
}

interface Measured {
  corpus: string
  documents: number
  words: number
  titles: number
  fileBytes: number
  openMs: number
  importMs: number
  queries: number
  perQuery: number
  rows: [label: string, summary: LatencySummary][]
}

async function measure(corpus: string): Promise<Measured> {
  const indexDir = await indexFor(corpus)
  let started = performance.now()
  const engine = SearchEngine.open(indexDir)
  const openMs = performance.now() - started
  started = performance.now()
  const suggester = suggestionsFor(engine)
  const importMs = performance.now() - started

  const random = mulberry32(seed)
  const docs = engine.index.docs
  const titles: string[] = []
  for (let doc = 0; doc < docs.count; doc++) {
    const { title } = docs.display(doc)
    if (/^\p{Script=Han}/u.test(title)) titles.push(title)
  }
  const typed = [...sampleWithoutReplacement(titles, samples, random).flatMap(prefixes), ...LATIN_WORDS.flatMap(prefixes)]
  // Every query timed once, in a shuffled order, after the first WARMUP ran untimed (JIT, jieba's first calls).
  const timed = sampleWithoutReplacement(typed, typed.length, random)
  const all = timeEach(timed, WARMUP, (q) => void suggester.suggest(q))
  const shown = timed.reduce((n, q) => n + suggester.suggest(q).length, 0)
  const bucket = (q: string) => Math.min(3, Array.from(q).length)
  const label = ['', '1 character', '2 characters', '3+ characters']
  const rows: Measured['rows'] = [['all', summarize(Float64Array.from(all))]]
  for (const n of [1, 2, 3]) rows.push([label[n]!, summarize(Float64Array.from(timed.flatMap((q, i) => (bucket(q) === n ? [all[i]!] : []))))])
  return {
    corpus,
    documents: engine.documentCount,
    words: suggester.wordCount,
    titles: suggester.titleCount,
    fileBytes: statSync(join(indexDir, engine.index.manifest.generation, SUGGEST_FILE)).size,
    openMs,
    importMs,
    queries: timed.length,
    perQuery: shown / timed.length,
    rows,
  }
}

// Other work on the machine shows up as outliers (and the maxima are mostly GC pauses); the load says how busy it was.
const load = () => loadavg().map((n) => n.toFixed(2)).join(', ')
const loadBefore = load()
const results: Measured[] = []
for (const corpus of corpora) {
  results.push(await measure(corpus))
  log(`${corpus}: done`)
}

const ms = (x: number) => x.toFixed(3)
const name = (m: Measured) => (m.corpus === 'shared' ? 'shared corpus' : `generated ${Number(m.corpus).toLocaleString('en')}`)
const report = [
  '# Suggestion latency',
  '',
  `\`node dist/bench/suggest.js --corpus ${corpora.join(',')} --seed ${seed} --samples ${samples}\` on ${new Date().toISOString().slice(0, 10)}; ${describeMachine()}; load average ${loadBefore} before, ${load()} after.`,
  '',
  `Typed text: every prefix up to ${LONGEST_PREFIX} characters of ${samples} sampled titles of each corpus, and of ${LATIN_WORDS.length} Latin words (${LATIN_WORDS.slice(0, 4).join(', ')} …), timed once each in a shuffled order after ${WARMUP} untimed calls. Generated corpora recombine the shared corpus's titles and paragraphs (bench/scale/generate.ts), so their distinct titles stay near the shared corpus's 16,336 while words reach the 50,000 cap: the 100,000-post row measures more words, not more titles.`,
  '',
  '| corpus | posts | words | distinct titles | suggest.idx | engine open | suggestion import | queries | suggestions each |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (m) =>
      `| ${name(m)} | ${m.documents.toLocaleString('en')} | ${m.words.toLocaleString('en')} | ${m.titles.toLocaleString('en')} | ${(m.fileBytes / 2 ** 20).toFixed(1)} MiB | ${m.openMs.toFixed(0)} ms | ${m.importMs.toFixed(0)} ms | ${m.queries} | ${m.perQuery.toFixed(1)} |`,
  ),
  '',
  `Milliseconds per \`suggest()\` call, in process (target: under ${TARGET_MS} ms at 100,000 posts):`,
  '',
  '| corpus | typed | p50 | p95 | p99 | max |',
  '|---|---|---:|---:|---:|---:|',
  ...results.flatMap((m) =>
    m.rows.map(([label, s]) => `| ${name(m)} | ${label} (${s.count}) | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`),
  ),
  '',
  ...results.map((m) => {
    const p99 = m.rows[0]![1].p99
    return `- ${name(m)}: p99 ${ms(p99)} ms, ${p99 < TARGET_MS ? 'under' : 'OVER'} the ${TARGET_MS} ms target.`
  }),
  '',
].join('\n')

process.stdout.write(report)
const out = values.out ?? join(root, 'bench', 'suggest-results.md')
writeFileSync(out, report)
log(`wrote ${relative(root, out)}`)
