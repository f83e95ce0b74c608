/**
 * How often `did_you_mean` restores a query an input method spoiled, over the shared corpus: each judged
 * topic (../shared/eval and bench/relevance/own*) with one character of one of its words swapped for
 * another that reads the same and that the archive uses (长江 → 长将), kept when the spoiled query finds
 * nothing or is relaxed. Counts the offers, those that are the topic as typed or as folded (traditional
 * characters come back simplified), and the offers made to the topics themselves, which need none.
 *
 *   npm run bench:did-you-mean -- [--index dir] [--seed 1] [--rounds 6]    (--help says more)
 *
 * Without `--index`, the shared corpus is indexed into bench/tmp/did-you-mean/ (reused while there).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Command } from 'commander'
import { normalize } from '../src/analysis/normalize.js'
import { buildIndex } from '../src/index/build.js'
import { MANIFEST } from '../src/index/manifest.js'
import { SearchEngine } from '../src/search/engine.js'
import { readSuggestedWords, SUGGEST_FILE } from '../src/suggest/file.js'
import { benchCommand, orUsageError, refuse, wholeNumber } from './lib/cli.js'
import { repoRoot, sharedDir } from './lib/corpus.js'
import { mulberry32, randomBelow } from './lib/prng.js'

const program: Command = benchCommand('npm run bench:did-you-mean --', 'how often did_you_mean restores a judged topic with one character swapped for a homophone')
  .option('--index <dir>', 'the index to ask (default: the shared corpus, indexed into bench/tmp/did-you-mean/)')
  .option('--seed <n>', 'seed of the swaps', wholeNumber(0), 1)
  .option('--rounds <n>', 'spoiled versions of each topic', wholeNumber(1), 6)
  .parse()
const values = program.opts<{ index?: string; seed: number; rounds: number }>()
const { seed, rounds } = values

const root = repoRoot()
const shared = sharedDir()
if (!shared) refuse(program, `no ../shared beside ${root}: the topics and the corpus are there`)

async function indexDir(): Promise<string> {
  if (values.index) return values.index
  const dir = join(root, 'bench', 'tmp', 'did-you-mean', 'index')
  if (!existsSync(join(dir, MANIFEST))) {
    mkdirSync(dir, { recursive: true })
    await buildIndex({ postsDir: join(shared!, 'corpus'), outDir: dir })
  }
  return dir
}

const openDir = await indexDir()
const engine = orUsageError(program, () => SearchEngine.open(openDir))
const { index } = engine
if (!index.suggest) refuse(program, 'the index has no suggestions: rebuild it')
const { characterReadings } = readSuggestedWords(index.suggest, join(index.dir, index.manifest.generation, SUGGEST_FILE))
if (!characterReadings) refuse(program, 'the index has no table of character readings: rebuild it with this jiansuo')

// The characters each syllable is read from, among those the archive uses: what an input method offers.
const readingsOf = new Map<string, string[]>()
const charsOf = new Map<string, string[]>()
for (const entry of characterReadings.split(' ')) {
  const char = String.fromCodePoint(entry.codePointAt(0)!)
  const syllables = entry.slice(char.length).split(',')
  readingsOf.set(char, syllables)
  if (index.grams.lookup(char) < 0) continue
  for (const s of syllables) charsOf.set(s, [...(charsOf.get(s) ?? []), char])
}

const topicFiles = [join(shared, 'eval', 'dev-topics.tsv'), ...['own', 'own2', 'own3', 'own4', 'own5'].map((set) => join(root, 'bench', 'relevance', set, 'topics.tsv'))]
const topics = topicFiles.flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.split('\t')[1]?.trim())
    .filter((q): q is string => !!q),
)

const random = mulberry32(seed)
const findsTooLittle = (q: string) => {
  const r = engine.search({ q, page: 1, size: 10 })
  return { tooLittle: r.total === 0 || r.relaxed, offer: r.did_you_mean }
}
let tried = 0
let offered = 0
let exact = 0
let folded = 0
const wrong: string[] = []
for (let round = 0; round < rounds; round++) {
  for (const topic of topics) {
    const words = topic.split(/\s+/)
    const w = randomBelow(random, words.length)
    const chars = [...words[w]!]
    if (chars.length < 2 || !chars.every((c) => /\p{Script=Han}/u.test(c))) continue
    const at = randomBelow(random, chars.length)
    const offers = (charsOf.get(readingsOf.get(chars[at]!)?.[0] ?? '') ?? []).filter((c) => c !== chars[at])
    if (offers.length === 0) continue
    chars[at] = offers[randomBelow(random, offers.length)]!
    const spoiled = [...words.slice(0, w), chars.join(''), ...words.slice(w + 1)].join(' ')
    const { tooLittle, offer } = findsTooLittle(spoiled)
    if (!tooLittle) continue
    tried++
    if (offer === undefined) continue
    offered++
    if (offer === topic) exact++
    else if (normalize(offer) === normalize(topic)) folded++
    else wrong.push(`${spoiled} → ${offer} (topic ${topic})`)
  }
}
const unneeded = topics.filter((q) => findsTooLittle(q).offer !== undefined)

console.log(`# did_you_mean over ${topics.length} topics, ${rounds} rounds, seed ${seed} (${engine.documentCount} posts)`)
console.log(`spoiled queries finding nothing or too little: ${tried}`)
console.log(`offered a correction: ${offered} (${((offered / Math.max(1, tried)) * 100).toFixed(1)}%)`)
console.log(`  the topic as typed: ${exact}; as folded (traditional typed, simplified offered): ${folded}; another query: ${wrong.length}`)
for (const line of wrong) console.log(`    ${line}`)
console.log(`topics themselves offered a correction: ${unneeded.length}${unneeded.length ? ` (${unneeded.join(', ')})` : ''}`)
