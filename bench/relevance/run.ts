/**
 * Relevance benchmark: jiansuo and its peers over ../shared/corpus, scored on ../shared/eval, on our own judged
 * sets (bench/relevance/own*), by substring recall and by title known items. Prints one Markdown table and
 * writes the full report.
 *
 *   npm run bench:relevance -- [--systems a,b] [--limit N] [--out file]    (--help lists the rest)
 *
 * --limit N indexes a seeded subset of N posts (the judged ones first) for development; its report goes to
 * bench/tmp/ unless --out says otherwise, so the published results.md always describes the whole corpus.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { type Command, Option } from 'commander'
import { benchCommand, listOf, refuse, wholeNumber } from '../lib/cli.js'
import { loadCorpus, repoRoot, sharedDir, writeSubset } from '../lib/corpus.js'
import { uniqueTitleItems } from '../lib/known-items.js'
import { describeMachine } from '../lib/machine.js'
import { sourceVersion } from '../lib/source-version.js'
import { mulberry32, sampleWithoutReplacement } from '../lib/prng.js'
import { sampleSubstrings } from '../lib/substrings.js'
import { parseQrels, parseTopics, RELEVANT_GRADE } from '../lib/trec.js'
import { measureKnownItems, measureSubstringRecall, measureTopics, SUBSTRING_DEPTH } from './measure.js'
import { renderReport, summaryTable, type SystemResult } from './report.js'
import { SYSTEMS } from './systems.js'

/** Runs contained in more posts than this are redrawn, so top-1000 can always hold every match (2× slack). */
const MAX_CONTAINING = SUBSTRING_DEPTH / 2

const systemKeys = Object.keys(SYSTEMS)
const program: Command = benchCommand('npm run bench:relevance --', 'jiansuo and its peers over ../shared/corpus: nDCG@10 on the judged topics, substring recall, title known items')
  .addOption(new Option('--systems <list>', 'systems to measure, comma-separated').argParser(listOf(systemKeys)).default(systemKeys, systemKeys.join(',')))
  .option('--samples <n>', 'runs of 2–8 Chinese characters drawn for substring recall', wholeNumber(1), 2000)
  .option('--titles <n>', 'known-item titles to sample (default: every title only one post carries)', wholeNumber(1))
  .option('--limit <n>', 'index a seeded subset of n posts, the judged ones first (a development run; its report goes to bench/tmp/)', wholeNumber(1))
  .option('--seed <n>', 'seed of the samples and the subset', wholeNumber(1), 4)
  .option('--out <file>', 'where to write the report (default bench/relevance/results.md for the whole corpus)')
  .parse()
const values = program.opts<{ systems: string[]; samples: number; titles?: number; limit?: number; seed: number; out?: string }>()
const { systems: keys, samples: sampleCount, titles: titleCount, limit, seed } = values

const root = repoRoot()
const shared = sharedDir()
if (!shared) refuse(program, `no ../shared beside ${root}: the relevance benchmark needs shared/corpus and shared/eval`)
const workRoot = join(root, 'bench', 'tmp', 'relevance')
const topics = parseTopics(readFileSync(join(shared, 'eval', 'dev-topics.tsv'), 'utf8'))
const qrels = parseQrels(readFileSync(join(shared, 'eval', 'dev.qrels'), 'utf8'))
/** Our own judged sets, each `topics.tsv` and `qrels` in its folder (see their READMEs for how they were pooled). */
const ownSets = ['own', 'own2', 'own3', 'own4', 'own5'].map((name) => {
  const dir = join(root, 'bench', 'relevance', name)
  return { name, topics: parseTopics(readFileSync(join(dir, 'topics.tsv'), 'utf8')), qrels: parseQrels(readFileSync(join(dir, 'qrels'), 'utf8')) }
})

const graded = topics.filter((t) => [...(qrels.get(t.qid)?.values() ?? [])].some((g) => g >= RELEVANT_GRADE)).length
const log = (line: string) => process.stderr.write(`${line}\n`)

let postsDir = join(shared, 'corpus')
if (limit) {
  const judged = new Set([qrels, ...ownSets.map((set) => set.qrels)].flatMap((all) => [...all.values()].flatMap((judgments) => [...judgments.keys()])))
  postsDir = await writeSubset(postsDir, join(workRoot, `posts-${limit}`), { limit, seed, keep: judged })
}
log(`reading posts from ${postsDir}`)
const corpus = await loadCorpus(postsDir)
const docs = corpus.documents
log(`${docs.length} documents (${corpus.skipped.length} skipped)`)

const sampling = sampleSubstrings(docs, { count: sampleCount, seed, minLength: 2, maxLength: 8, maxContaining: MAX_CONTAINING })
const allTitles = uniqueTitleItems(docs)
const titles = titleCount ? sampleWithoutReplacement(allTitles, titleCount, mulberry32(seed)) : allTitles
log(`${sampling.samples.length} substring samples (${sampling.tooCommon} redrawn), ${titles.length} of ${allTitles.length} unique titles`)

const results: SystemResult[] = []
for (const key of keys) {
  const peer = await SYSTEMS[key]!({ postsDir, workDir: join(workRoot, `index-${key}`) })
  log(`${peer.name}: building`)
  const started = performance.now()
  await peer.build(docs)
  const buildSeconds = (performance.now() - started) / 1000
  const indexBytes = peer.indexBytes?.()
  log(`${peer.name}: built in ${buildSeconds.toFixed(1)} s${indexBytes === undefined ? '' : `, ${(indexBytes / 1e6).toFixed(1)} MB on disk`}; judged topics`)
  const topicMeasure = await measureTopics(peer, topics, qrels)
  const ownMeasures = []
  for (const set of ownSets) ownMeasures.push({ name: set.name, measure: await measureTopics(peer, set.topics, set.qrels) })
  log(`${peer.name}: substring recall`)
  const substrings = await measureSubstringRecall(peer, sampling.samples)
  log(`${peer.name}: title known items`)
  const knownItems = await measureKnownItems(peer, titles)
  await peer.close?.()
  const result = { key, name: peer.name, setup: peer.setup, buildSeconds, indexBytes, topics: topicMeasure, ownSets: ownMeasures, substrings, knownItems }
  results.push(result)
  log(summaryTable([result]).split('\n')[2]!)
}

const command = `npx tsc -p tsconfig.json && node dist/bench/relevance/run.js ${process.argv.slice(2).join(' ')}`.trim()
const report = renderReport(
  {
    date: new Date().toISOString().slice(0, 10),
    machine: `${describeMachine()} · ${sourceVersion(root)}`,
    command,
    topics: `${topics.length} dev topics; MRR@10 and P@5 are means over the ${graded} that have a post judged ${RELEVANT_GRADE} or more.`,
    corpus: `${relative(root, postsDir) || postsDir}: ${docs.length} posts read by jiansuo's ingest module${corpus.skipped.length ? `, ${corpus.skipped.length} skipped` : ''}${limit ? ` (a seeded subset of ${limit}, judged posts first)` : ''}.`,
    substrings: `${sampling.samples.length} runs of 2–8 consecutive Chinese characters (length uniform, then a post uniformly, then a start uniformly) copied from post bodies, seed ${seed}; a run is found when its post is in the top ${SUBSTRING_DEPTH}. Runs contained in more than ${MAX_CONTAINING} posts were redrawn (${sampling.tooCommon} of ${sampling.draws} draws), so a system that matches exactly the posts containing the run can list them all within its top ${SUBSTRING_DEPTH}; a miss means the post was not matched, or was outranked by more than ${SUBSTRING_DEPTH} looser matches (a run cut into separate words, or with its function words dropped).`,
    knownItems: `the exact title as the query must rank its post first; ${titles.length === allTitles.length ? `all ${allTitles.length}` : `${titles.length} sampled (seed ${seed}) of the ${allTitles.length}`} posts whose title no other post carries.`,
  },
  results,
  new Map(topics.map((t) => [t.qid, t.query])),
)
const out = values.out ?? (limit ? join(workRoot, `results-${limit}.md`) : join(root, 'bench', 'relevance', 'results.md'))
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, report)
console.log(summaryTable(results))
log(`report written to ${relative(process.cwd(), out) || out}`)
