/**
 * A scaled benchmark corpus: N Jekyll posts made by recombining the real titles and paragraphs of the
 * shared corpus, seeded, so the same seed always writes the same files. Written to bench/tmp (gitignored)
 * and reused while its description matches; never committed.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/scale/generate.js [--posts 100000] [--seed 1] [--out dir]
 *
 * Each generated post copies the shape of a real post drawn at random (its category, tags, paragraph
 * count, HTML or Markdown body, source link), and fills it with a title and paragraphs drawn from all
 * posts of that category, so news stays news and the long Markdown weekly issues stay long.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Command } from 'commander'
import type { Document } from '../../src/ingest/index.js'
import { benchCommand, refuse, wholeNumber } from '../lib/cli.js'
import { loadCorpus, repoRoot, sharedDir } from '../lib/corpus.js'
import { mulberry32, randomBelow, type Random } from '../lib/prng.js'

/** Bump when the output for a given seed changes, so old caches are not mistaken for new ones. */
const GENERATOR_VERSION = 1
/** Written last into the corpus folder (not a post: the walk ignores `.json`), so a half-written folder is never reused. */
const STAMP = 'generated.json'

export interface GenerateOptions {
  /** The real posts to recombine (../shared/corpus). */
  sourceDir: string
  posts: number
  seed: number
  /** Folder to write into; by default bench/tmp/scale/corpus-<posts>-s<seed>. */
  outDir?: string
  /** The source posts already read (as ingest reads `sourceDir`), to save reading them again. */
  documents?: readonly Document[]
  log?: (line: string) => void
}

export interface GeneratedCorpus {
  dir: string
  posts: number
  /** Bytes of all post files written. */
  bytes: number
  /** True when an earlier run's folder was reused. */
  cached: boolean
}

interface Stamp {
  version: number
  posts: number
  seed: number
  sourceDocuments: number
  bytes: number
}

/** The default folder for a corpus of `posts` posts from `seed`. */
export function defaultCorpusDir(posts: number, seed: number): string {
  return join(repoRoot(), 'bench', 'tmp', 'scale', `corpus-${posts}-s${seed}`)
}

/** Generates the corpus, or returns the one already in `outDir` when it was written from the same inputs. */
export async function generateCorpus(options: GenerateOptions): Promise<GeneratedCorpus> {
  const dir = resolve(options.outDir ?? defaultCorpusDir(options.posts, options.seed))
  const log = options.log ?? (() => {})
  const previous = readStamp(dir)
  if (previous && previous.version === GENERATOR_VERSION && previous.posts === options.posts && previous.seed === options.seed) {
    log(`reusing ${dir} (${previous.posts} posts; delete it to regenerate)`)
    return { dir, posts: previous.posts, bytes: previous.bytes, cached: true }
  }
  let documents = options.documents
  if (!documents) {
    log(`reading ${options.sourceDir} to recombine it`)
    documents = (await loadCorpus(options.sourceDir)).documents
  }
  if (documents.length === 0) throw new Error(`no posts in ${options.sourceDir}`)
  const partial = `${dir}.partial`
  rmSync(partial, { recursive: true, force: true })
  log(`writing ${options.posts} posts into ${dir}`)
  const bytes = writePosts(documents, options, partial)
  const stamp: Stamp = { version: GENERATOR_VERSION, posts: options.posts, seed: options.seed, sourceDocuments: documents.length, bytes }
  writeFileSync(join(partial, STAMP), JSON.stringify(stamp, null, 2))
  rmSync(dir, { recursive: true, force: true })
  renameSync(partial, dir)
  return { dir, posts: options.posts, bytes, cached: false }
}

function readStamp(dir: string): Stamp | null {
  try {
    return JSON.parse(readFileSync(join(dir, STAMP), 'utf8')) as Stamp
  } catch {
    return null
  }
}

/** The real posts of one category: what a generated post of that category is made from. */
interface Pool {
  titles: string[]
  paragraphs: string[]
}

function poolsByCategory(docs: readonly Document[]): Map<string, Pool> {
  const pools = new Map<string, Pool>()
  for (const doc of docs) {
    const key = categoryOf(doc)
    let pool = pools.get(key)
    if (!pool) pools.set(key, (pool = { titles: [], paragraphs: [] }))
    if (doc.title) pool.titles.push(doc.title)
    for (const p of doc.paragraphs) pool.paragraphs.push(p)
  }
  return pools
}

function categoryOf(doc: Document): string {
  return doc.categories[0] ?? 'uncategorized'
}

function writePosts(docs: readonly Document[], options: GenerateOptions, outDir: string): number {
  const random = mulberry32(options.seed)
  const pools = poolsByCategory(docs)
  const span = dateSpan(docs)
  const markdown = new Map<string, boolean>()
  const width = String(options.posts - 1).length
  const madeDirs = new Set<string>()
  let bytes = 0
  for (let i = 0; i < options.posts; i++) {
    const template = docs[randomBelow(random, docs.length)]!
    const category = categoryOf(template)
    const pool = pools.get(category)!
    const when = new Date(span.from + Math.floor(random() * (span.to - span.from)))
    const title = pool.titles.length ? pool.titles[randomBelow(random, pool.titles.length)]! : ''
    const count = Math.max(1, template.paragraphs.length)
    const paragraphs: string[] = []
    for (let k = 0; k < count; k++) paragraphs.push(pool.paragraphs[randomBelow(random, pool.paragraphs.length)] ?? '')
    const isMarkdown = markdown.get(template.path) ?? writtenInMarkdown(options.sourceDir, template.path, markdown)
    const day = beijingTime(when).slice(0, 10)
    const relDir = join(safeSegment(category), day.slice(0, 4))
    const file = join(outDir, relDir, `${day}-g${String(i).padStart(width, '0')}.md`)
    if (!madeDirs.has(relDir)) {
      mkdirSync(dirname(file), { recursive: true })
      madeDirs.add(relDir)
    }
    const text = renderPost({ title, date: beijingTime(when), categories: template.categories, tags: template.tags, url: template.url, paragraphs }, isMarkdown)
    writeFileSync(file, text)
    bytes += Buffer.byteLength(text)
    if (options.log && (i + 1) % 20_000 === 0) options.log(`  ${i + 1} posts written`)
  }
  return bytes
}

/** Whether the real post's body is Markdown (the weekly issues) rather than `<p>` paragraphs; remembered per file. */
function writtenInMarkdown(sourceDir: string, relPath: string, memo: Map<string, boolean>): boolean {
  const raw = readFileSync(join(sourceDir, relPath), 'utf8')
  const body = raw.replace(/^---\n[\s\S]*?\n---\n/, '')
  const isMarkdown = !/^\s*<p[\s>]/m.test(body)
  memo.set(relPath, isMarkdown)
  return isMarkdown
}

/** The earliest and latest post dates of the real corpus, in epoch milliseconds. */
function dateSpan(docs: readonly Document[]): { from: number; to: number } {
  let from = Infinity
  let to = -Infinity
  for (const doc of docs) {
    if (!doc.date) continue
    const t = Date.parse(doc.date)
    if (Number.isNaN(t)) continue
    from = Math.min(from, t)
    to = Math.max(to, t)
  }
  if (!Number.isFinite(from)) throw new Error('no dated posts to spread the generated dates over')
  return { from, to: Math.max(to, from + 1) }
}

/** `YYYY-MM-DD HH:MM:SS +0800`, the archive's front-matter date. */
function beijingTime(when: Date): string {
  const iso = new Date(when.getTime() + 8 * 3_600_000).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0800`
}

/** A category slug as a folder name (slugs are pinyin or Latin; anything else becomes `_`). */
function safeSegment(text: string): string {
  return text.replace(/[^A-Za-z0-9-]/g, '_') || '_'
}

interface PostText {
  title: string
  date: string
  categories: string[]
  tags: string[]
  url: string | null
  paragraphs: string[]
}

/** A post in the archive's format: front matter, the body, the source link line, the navigation footer. */
export function renderPost(post: PostText, markdown: boolean): string {
  const lines = [
    '---',
    'layout: post',
    // JSON strings are YAML double-quoted scalars.
    `title: ${JSON.stringify(post.title)}`,
    `date: ${post.date}`,
    `categories: ${post.categories.length === 1 ? post.categories[0] : `[${post.categories.join(', ')}]`}`,
    `tags: ${post.tags.length === 1 ? JSON.stringify(post.tags[0]) : `[${post.tags.map((t) => JSON.stringify(t)).join(', ')}]`}`,
    '---',
  ]
  const body = markdown ? post.paragraphs.map(markdownParagraph).join('\n\n') : post.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')
  const tail: string[] = []
  if (post.url) tail.push(`<${post.url}>`)
  if (!markdown) tail.push(`[返回${post.tags[0] ?? '列表'}](/${safeSegment(post.categories[0] ?? '')}/)｜[返回首页](/)`)
  return `${lines.join('\n')}\n${body}\n\n${tail.join('\n\n')}\n`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
}

/** Plain text as one Markdown paragraph: marks that would start markup are escaped, and lines joined. */
function markdownParagraph(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[\\`*_[\]<>&#|~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+=]|\d+[.)])/, (_, space: string, mark: string) => `${space}${mark.replace(/[-+=.)]$/, (m) => `\\${m}`)}`)
}

// Run directly: generate (or confirm) the corpus and print where it is.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const program: Command = benchCommand('node dist/bench/scale/generate.js', "generate (or confirm) the scale benchmark's corpus: the shared posts' paragraphs and titles, recombined")
    .option('--posts <n>', 'posts to generate', wholeNumber(1), 100_000)
    .option('--seed <n>', 'seed of the recombination', wholeNumber(0), 1)
    .option('--out <dir>', 'where to write it (default bench/tmp/scale/corpus-<posts>-s<seed>)')
    .parse()
  const values = program.opts<{ posts: number; seed: number; out?: string }>()
  const { posts, seed } = values
  const shared = sharedDir()
  if (!shared) refuse(program, 'no ../shared/corpus beside the repository to recombine')
  const started = performance.now()
  const corpus = await generateCorpus({
    sourceDir: join(shared, 'corpus'),
    posts,
    seed,
    ...(values.out ? { outDir: values.out } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  })
  console.log(`${corpus.dir}: ${corpus.posts} posts, ${(corpus.bytes / 1e6).toFixed(1)} MB${corpus.cached ? ' (cached)' : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}
