/**
 * The shared benchmark corpus (../shared beside the repository) read as Documents through the project's own
 * ingest module, so every system in a benchmark sees the same titles and paragraphs jiansuo indexes.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ingestFolder, listPostFiles, type Document } from '../../src/ingest/index.js'
import { mulberry32, sampleWithoutReplacement } from './prng.js'

/** The repository root: the nearest folder above this module holding jiansuo's package.json (works from src and dist). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'jiansuo') return dir
    const up = dirname(dir)
    if (up === dir) throw new Error('cannot find the jiansuo repository root above ' + fileURLToPath(import.meta.url))
    dir = up
  }
}

/** `../shared` next to the repository, or null when this checkout has no shared data beside it. */
export function sharedDir(): string | null {
  const dir = resolve(repoRoot(), '..', 'shared')
  return existsSync(join(dir, 'corpus')) && existsSync(join(dir, 'eval')) ? dir : null
}

export interface Corpus {
  postsDir: string
  documents: Document[]
  /** Files the ingest module declined, with its reason. */
  skipped: { path: string; code: string; reason: string }[]
}

/** Reads every post under `postsDir`, in the walk's order, as jiansuo's build does (without its workers). */
export async function loadCorpus(postsDir: string): Promise<Corpus> {
  const { documents, skipped } = await ingestFolder(postsDir)
  return { postsDir, documents, skipped }
}

export interface SubsetOptions {
  /** Posts to keep in all. */
  limit: number
  seed: number
  /** Post ids kept first, e.g. the judged documents, so a small run still exercises the judgments. */
  keep?: ReadonlySet<string>
}

/**
 * Copies a seeded sample of posts into `outDir` (emptied first), keeping sub-folders, and returns it, so that
 * systems which index a folder rather than Documents (jiansuo) see the same subset as the others.
 */
export async function writeSubset(postsDir: string, outDir: string, options: SubsetOptions): Promise<string> {
  const { files } = await listPostFiles(postsDir)
  const kept = files.filter((f) => options.keep?.has(f.id))
  const others = files.filter((f) => !options.keep?.has(f.id))
  const chosen = [
    ...kept.slice(0, options.limit),
    ...sampleWithoutReplacement(others, Math.max(0, options.limit - kept.length), mulberry32(options.seed)),
  ]
  rmSync(outDir, { recursive: true, force: true })
  for (const file of chosen) {
    const target = join(outDir, file.relPath)
    mkdirSync(dirname(target), { recursive: true })
    copyFileSync(file.absPath, target)
  }
  return outDir
}
