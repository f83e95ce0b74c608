import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { IngestNote } from '../ingest/document.js'
import type { PostFile } from '../ingest/walk.js'
import { INGEST_VERSION } from '../ingest/ingest-version.js'
import type { Skip } from './build-worker.js'
import { MANIFEST } from './manifest.js'
import type { PreviousGrams } from './build-tail.js'
import { analysisVersion } from '../analysis/analyzer.js'
import { loadIndexFiles, openIndex, type IndexReader } from './reader.js'
import { readSources, type SourceRecord } from './sources.js'
import { readStamps, type GenerationStamps } from './file-stamps.js'
import type { BuildReport } from './build-options.js'

/** The current index of `outDir` with its source records, when today's analysis could update it. */
export interface PreviousGeneration {
  index: IndexReader
  /** Its grams file as loaded (shared memory), for the tail thread to merge from without reading it again. */
  grams: PreviousGrams
  sources: SourceRecord[]
  /** Its files' stamps (see file-stamps.ts), when it kept them. */
  stamps: GenerationStamps | null
  analysis: string
}

/**
 * The previous index to update, or why every post is read again: there is no usable previous index,
 * or it was analysed or its posts read differently (the build report says which).
 */
export function previousGeneration(outDir: string, userDictionary: string): PreviousGeneration | { why: string } {
  let index: IndexReader
  let grams: PreviousGrams
  try {
    // Loaded into shared memory, so the tail thread can merge the grams from the same bytes.
    const loaded = loadIndexFiles(outDir)
    index = openIndex(outDir, loaded)
    grams = { path: join(outDir, loaded.manifest.generation, 'grams.idx'), bytes: loaded.containers['grams.idx']! }
  } catch {
    return { why: existsSync(join(outDir, MANIFEST)) ? 'the previous index could not be read' : 'there was no index yet' }
  }
  const analysis = analysisVersion(userDictionary)
  const sources = readSources(outDir, index.manifest)
  // Documents read by an older reading of posts are read again: an upgrade's parsing fixes reach them too.
  if (!sources || index.manifest.analysis !== analysis || index.manifest.ingest !== INGEST_VERSION) {
    index.close()
    if (!sources) return { why: 'the previous index kept no record of its posts' }
    return { why: index.manifest.analysis !== analysis ? 'the text is cut another way (the dictionary, jieba or jiansuo changed)' : 'this jiansuo reads posts differently' }
  }
  // Counts of standalone words (see DocumentMarks) are updated by difference: an index without them is built afresh.
  if (index.words.standaloneDf === null) {
    index.close()
    return { why: 'an older jiansuo wrote the previous index, without the counts of standalone words' }
  }
  return { index, grams, sources, stamps: readStamps(join(outDir, index.manifest.generation), sources.length), analysis }
}

/** What the previous generation offers an update: its index, and which of today's files it already holds. */
export interface UpdatePlan {
  previous: { index: IndexReader; grams: PreviousGrams }
  /** Per file of today's listing: true when it must be read again. */
  changed: boolean[]
  /** Per file: its record in the previous generation when unchanged. */
  kept: (SourceRecord | undefined)[]
  /** Paths that held a document in the previous generation. */
  documentPaths: Set<string>
  reused: number
  /** Of the files to read, those at a path the previous generation did not list (new posts, renamed ones). */
  added: number
  analysis: string
}

/**
 * Compares today's files with the previous generation's by path, id and content hash. Returns null
 * (build everything) when so much changed that reading everything is as quick.
 */
export function planUpdate(previous: PreviousGeneration, files: PostFile[], hashes: string[]): UpdatePlan | null {
  const { index, grams, sources, analysis } = previous
  const byPath = new Map(sources.map((s) => [s.path, s]))
  const kept = files.map((file, i) => {
    const before = byPath.get(file.relPath)
    // No hash is a file that could not be read: still unreadable, its skip stands; read, it was never kept.
    const same = before !== undefined && before.hash === hashes[i] && (before.hash !== '' || before.doc < 0)
    return same && before.id === file.id ? before : undefined
  })
  const changed = kept.map((k) => k === undefined)
  const changedCount = changed.filter(Boolean).length
  if (changedCount > files.length / 2) return null
  const keptDocs = new Set(kept.filter((k) => k && k.doc >= 0).map((k) => k!.doc))
  return {
    previous: { index, grams },
    changed,
    kept,
    documentPaths: new Set(sources.filter((s) => s.doc >= 0).map((s) => s.path)),
    reused: keptDocs.size,
    added: files.filter((file) => !byPath.has(file.relPath)).length,
    analysis,
  }
}

/**
 * Whether the previous generation is already what this build would write: the same files, none of
 * them changed, and the same synonyms (the analysis was checked on opening it). Where the posts folder
 * is does not matter to the index, only to its manifest.
 */
export function upToDate(previous: PreviousGeneration, plan: UpdatePlan, files: PostFile[], synonyms: string): boolean {
  const { index, sources } = previous
  // Every file kept under its old path means every document kept: none was removed.
  return (
    plan.changed.every((c) => !c) &&
    sources.length === files.length &&
    sources.every((s, i) => s.path === files[i]!.relPath) &&
    index.synonyms === synonyms
  )
}

/** The report of an update that found the index up to date: the previous generation's, nothing read again. */
export function unchangedReport(previous: PreviousGeneration, plan: UpdatePlan, walk: { skipped: Skip[]; notes: IngestNote[] }, seconds: number, indexDir: string): BuildReport {
  const { index, sources } = previous
  return {
    documents: index.docs.count,
    skipped: [...walk.skipped, ...sources.filter((s) => s.skip).map((s) => ({ path: s.path, ...s.skip! }))],
    notes: [...walk.notes, ...sources.flatMap((s) => s.notes ?? [])],
    terms: index.grams.terms + index.words.terms,
    bytes: Object.values(index.manifest.files).reduce((sum, f) => sum + f.bytes, 0),
    seconds,
    indexDir,
    generation: index.manifest.generation,
    mode: 'incremental',
    reprocessed: 0,
    added: 0,
    changed: 0,
    reused: plan.reused,
    removed: 0,
    written: false,
    leftOver: [],
  }
}
