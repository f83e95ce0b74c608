import { randomBytes } from 'node:crypto'
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { IngestNote } from '../ingest/document.js'
import { listPostFiles, type PostFile } from '../ingest/walk.js'
import { buildShard, type ShardResult, type ShardTask, type Skip } from './build-worker.js'
import { acquireBuildLock } from './build-lock.js'
import { writeContainer } from './container.js'
import { failpoint } from './failpoint.js'
import { docStoreSections } from './doc-store.js'
import { ensureDir, FORMAT_VERSION, MANIFEST, readManifest, syncDir, writeManifest, type Manifest } from './manifest.js'
import { mergeSpaces } from './term-space.js'
import { writeSuggestIndex } from '../suggest/build.js'
import { SUGGEST_FILE } from '../suggest/file.js'

export interface BuildOptions {
  postsDir: string
  outDir: string
  /** Worker threads for parsing and analysis; defaults to the machine's cores. */
  workers?: number
  /** Extra jieba dictionary lines (`word [freq [tag]]`). */
  userDictionary?: string
  onProgress?: (done: number, total: number) => void
}

export interface BuildReport {
  documents: number
  skipped: Skip[]
  notes: IngestNote[]
  /** Distinct terms across both term spaces. */
  terms: number
  /** Bytes of the written index files. */
  bytes: number
  seconds: number
  indexDir: string
  generation: string
}

/**
 * Builds a complete index beside the current one and commits it by renaming its manifest into place.
 * If anything fails before that rename, the previous index is untouched.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now()
  const postsDir = resolve(options.postsDir)
  const outDir = resolve(options.outDir)
  ensureDir(outDir)
  const release = acquireBuildLock(outDir)
  try {
    const walk = await listPostFiles(postsDir)
    failpoint('after-walk')
    const shards = await analyzeFiles(walk.files, options)
    failpoint('after-analysis')
    const skipped = [...walk.skipped, ...shards.flatMap((s) => s.skipped)]
    const notes = [...walk.notes, ...shards.flatMap((s) => s.notes)]
    const documents = shards.reduce((n, s) => n + s.records.length, 0)
    if (documents === 0) {
      const why = skipped.length ? `all ${skipped.length} post file(s) were skipped (first: ${skipped[0]!.path}: ${skipped[0]!.reason})` : 'no .md, .markdown or .html files were found'
      throw new Error(`nothing to index in ${postsDir}: ${why}; the previous index, if any, is untouched`)
    }
    const written = writeGeneration(outDir, shards, { skipped, notes }, options.userDictionary ?? '')
    return { ...written, documents, skipped, notes, seconds: (performance.now() - started) / 1000, indexDir: outDir }
  } finally {
    release()
  }
}

/** Parses, analyzes and inverts the files: in worker threads when there are enough of them to pay off. */
async function analyzeFiles(files: PostFile[], options: BuildOptions): Promise<ShardResult[]> {
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), 16))
  const task = (part: PostFile[]): ShardTask => ({ files: part, userDictionary: options.userDictionary ?? '' })
  const parts = partitionBySize(files, files.length < 400 ? 1 : workers)
  let done = 0
  const progress = (n: number) => {
    done += n
    options.onProgress?.(done, files.length)
  }
  return parts.length === 1
    ? [buildShard(task(parts[0]!), (d) => options.onProgress?.(d, files.length))]
    : await Promise.all(parts.map((part) => runWorker(task(part), progress)))
}

/**
 * Writes a new generation folder, syncs it, then commits it by renaming a new manifest into place.
 * Until that rename, readers keep seeing the previous generation; a failure removes the new folder.
 */
function writeGeneration(
  outDir: string,
  shards: ShardResult[],
  report: { skipped: Skip[]; notes: IngestNote[] },
  userDictionary: string,
): { terms: number; bytes: number; generation: string } {
  const generation = `gen-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
  const genDir = join(outDir, generation)
  ensureDir(genDir)
  try {
    const base: number[] = []
    let total = 0
    for (const s of shards) {
      base.push(total)
      total += s.records.length
    }
    const records = shards.flatMap((s) => s.records)
    const docs = docStoreSections(records)
    const grams = mergeSpaces('grams', shards.map((s) => s.grams), base)
    const words = mergeSpaces('words', shards.map((s) => s.words), base)
    const files: Manifest['files'] = {}
    files['docs.idx'] = writeContainer(join(genDir, 'docs.idx'), docs.meta, docs.sections)
    failpoint('mid-write')
    files['grams.idx'] = writeContainer(join(genDir, 'grams.idx'), { space: 'grams' }, grams)
    files['words.idx'] = writeContainer(join(genDir, 'words.idx'), { space: 'words' }, words)
    files[SUGGEST_FILE] = writeSuggestIndex(join(genDir, SUGGEST_FILE), { records, words, grams, userDictionary })
    writeFileSync(join(genDir, 'build-report.json'), JSON.stringify(report, null, 1) + '\n')
    syncDir(genDir)
    failpoint('before-commit')
    const previous = currentGeneration(outDir)
    writeManifest(outDir, {
      format: 'jiansuo-index',
      version: FORMAT_VERSION,
      generation,
      createdAt: new Date().toISOString(),
      analysis: shards[0]?.analysisVersion ?? '',
      documents: records.length,
      files,
    })
    failpoint('after-commit')
    pruneGenerations(outDir, [generation, previous])
    return {
      terms: (grams['grams.df'] as Uint32Array).length + (words['words.df'] as Uint32Array).length,
      bytes: Object.values(files).reduce((s, f) => s + f.bytes, 0),
      generation,
    }
  } catch (error) {
    rmSync(genDir, { recursive: true, force: true })
    throw error
  }
}

/** Splits files into contiguous runs of similar total size, so workers finish together and ids stay in file order. */
function partitionBySize(files: PostFile[], parts: number): PostFile[][] {
  if (parts <= 1 || files.length === 0) return [files]
  const sizes = files.map((f) => {
    try {
      return statSync(f.absPath).size
    } catch {
      return 0
    }
  })
  const total = sizes.reduce((a, b) => a + b, 0)
  const out: PostFile[][] = []
  let current: PostFile[] = []
  let acc = 0
  files.forEach((file, i) => {
    current.push(file)
    acc += sizes[i]!
    if (acc >= (total * (out.length + 1)) / parts && out.length < parts - 1) {
      out.push(current)
      current = []
    }
  })
  out.push(current)
  return out.filter((p) => p.length > 0)
}

function runWorker(task: ShardTask, onProgress: (n: number) => void): Promise<ShardResult> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(new URL('./build-worker.js', import.meta.url), {
      workerData: { role: 'jiansuo-build', task },
    })
    let settled = false
    worker.on('message', (message: { type: 'progress'; done: number } | { type: 'done'; result: ShardResult }) => {
      if (message.type === 'progress') onProgress(message.done)
      else {
        settled = true
        resolvePromise(message.result)
        void worker.terminate()
      }
    })
    worker.on('error', (error) => {
      settled = true
      reject(error)
    })
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`index worker exited with code ${code}`))
    })
  })
}

function currentGeneration(outDir: string): string | null {
  try {
    return readManifest(outDir).generation
  } catch {
    return null
  }
}

/** Removes generations other than the current one and the one before it (a reader may still be opening that). */
function pruneGenerations(outDir: string, keep: (string | null)[]): void {
  for (const entry of readdirSync(outDir, { withFileTypes: true })) {
    const stale =
      (entry.isDirectory() && entry.name.startsWith('gen-') && !keep.includes(entry.name)) ||
      (entry.isFile() && entry.name.startsWith(`${MANIFEST}.tmp-`)) // left by a build that was killed
    if (stale) rmSync(join(outDir, entry.name), { recursive: true, force: true })
  }
}
