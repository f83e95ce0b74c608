import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { IngestNote } from '../ingest/document.js'
import { listPostFiles, postsFolderSign, type PostFile } from '../ingest/walk.js'
import { INGEST_VERSION } from '../ingest/parse-post.js'
import type { ShardResult, ShardStart, Skip } from './build-worker.js'
import { sliceTexts, type StoredTexts } from './doc-store-text.js'
import { acquireBuildLock, ensureWritableIndexFolder } from './build-lock.js'
import { writeContainer, writeTextFile } from './container.js'
import { failpoint } from './failpoint.js'
import { docStoreSections } from './doc-store.js'
import { DICTIONARY_FILE, ensureDir, FORMAT_VERSION, MANIFEST, readManifest, refuseManifestFolder, SYNONYMS_FILE, syncDir, writeManifest, type Manifest } from './manifest.js'
import type { FieldLengths } from './block-max.js'
import { mergeSpaces } from './term-space.js'
import { startBuildTail, type BuildTail, type PreviousGrams } from './build-tail.js'
import { analysisVersion } from '../analysis/analyzer.js'
import type { SectionData } from './container.js'
import type { TitleSuggestions } from '../suggest/suggest-index.js'
import type { DocumentRecord } from './doc-store.js'
import { loadIndexFiles, openIndex, type IndexReader } from './reader.js'
import { mergeRenumbered, sourceOfShard, sourceOfSpace } from './renumber-merge.js'
import { readSources, SOURCES, writeSources, type SourceRecord } from './sources.js'
import { hashChanged, readStamps, writeStamps, type FileStamp, type GenerationStamps } from './file-stamps.js'
import { SUGGEST_FILE } from '../suggest/file.js'
import { titledDocuments, titleSuggestionsOf, wordSuggestionsOf, writeSuggestHalves } from '../suggest/build.js'
import { createSegmenter } from '../analysis/segment.js'
import { sectionDictionary, summedDictionary, type TermDictionary } from '../suggest/term-dictionary.js'
import { isSuggestedGram } from '../suggest/vocabulary.js'

export interface BuildOptions {
  postsDir: string
  outDir: string
  /** Worker threads for parsing and analysis; defaults to the machine's cores. */
  workers?: number
  /** Extra jieba dictionary lines (`word [freq [tag]]`). */
  userDictionary?: string
  /** Synonym groups, one per line (`电动车, 新能源汽车`); applied to queries, so changing them needs no re-analysis. */
  synonyms?: string
  /** Re-read every post even when the previous index could be updated in place. */
  full?: boolean
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
  /** How the build went about it: a full build, or an update of the previous index. */
  mode: 'full' | 'incremental'
  /** Why a full build read every post (no index yet, asked for, the dictionary changed …); absent for an update. */
  fullBecause?: string
  /** Post files read and analyzed this time (all of them in a full build). */
  reprocessed: number
  /** Documents carried over unchanged from the previous index. */
  reused: number
  /**
   * Documents of the previous index that are gone from the new one: their file was deleted, renamed or
   * is no longer a post. An edited post read again is not counted here but in `reprocessed`.
   */
  removed: number
  /** False when the index was already what this build would write, and was kept as it is. */
  written: boolean
  /**
   * Old generation folders this build could not remove (another user's files, a reader holding them on
   * a network file system), each with the reason: the new index is committed and whole; the next build
   * tries again.
   */
  leftOver: { path: string; reason: string }[]
}

/**
 * Builds a complete index beside the current one and commits it by renaming its manifest into place.
 * If anything fails before that rename, the previous index is untouched.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now()
  // Before any file is looked at: what the next update weighs this build's file stamps against.
  const checkedAt = Date.now()
  const postsDir = resolve(options.postsDir)
  const outDir = resolve(options.outDir)
  const firstBuild = !existsSync(outDir)
  if (!firstBuild && !statSync(outDir).isDirectory()) throw new Error(`the index folder ${outDir} is a file, not a folder`)
  refusePostsFolder(outDir, postsDir)
  ensureWritableIndexFolder(outDir)
  refuseManifestFolder(outDir)
  const release = acquireBuildLock(outDir)
  let tail: BuildTail | null = null
  let failed = false
  let previous: PreviousGeneration | null = null
  try {
    const walk = await listPostFiles(postsDir)
    const found = options.full ? { why: 'a full build was asked for' } : previousGeneration(outDir, options.userDictionary ?? '')
    previous = 'index' in found ? found : null
    // An update compares content hashes before reading anything (reading only posts whose stamps changed);
    // a full build takes them from the workers' one read.
    const hashed = previous ? hashChanged(walk.files, previous) : null
    failpoint('after-walk')
    const plan = previous && hashed ? planUpdate(previous, walk.files, hashed.hashes) : null
    if (previous && hashed && plan && upToDate(previous, plan, walk.files, options.synonyms ?? '')) {
      // The index already is what a build would write: keep it, and only refresh the stamps.
      writeStamps(join(outDir, previous.index.manifest.generation), { checkedAt, stamps: hashed.stamps })
      // The same posts in a folder that moved: only the manifest changes, to say where they are now.
      if (previous.index.manifest.posts !== postsDir) writeManifest(outDir, { ...previous.index.manifest, posts: postsDir })
      const leftOver = pruneAbandoned(outDir, previous.index.manifest.generation)
      const report = unchangedReport(previous, plan, walk, (performance.now() - started) / 1000, outDir)
      // The folder's own skips and notes (a dangling link, an _drafts folder) may have changed all the same.
      writeBuildReport(join(outDir, previous.index.manifest.generation), report)
      return { ...report, leftOver }
    }
    const toRead = plan ? walk.files.filter((_, i) => plan.changed[i]) : walk.files
    const dictionary = options.userDictionary ?? ''
    tail = startBuildTail(walk.files.length, dictionary)
    const analysis = analyzeFiles(toRead, options)
    analysis.catch(() => {}) // awaited just below; a failure meanwhile is not unhandled
    const shards = await analysis
    failpoint('after-analysis')
    const { hashes, stamps: fileStamps } = recordedHashes(walk.files, plan?.changed ?? null, hashed, shards)
    const stamps = { checkedAt, stamps: fileStamps }
    const assembled = plan ? assembleUpdate(plan, walk.files, hashes, shards, tail, dictionary) : assembleFull(walk.files, hashes, shards, tail)
    const skipped = [...walk.skipped, ...assembled.skipped]
    const notes = [...walk.notes, ...assembled.notes]
    const documents = assembled.records.length
    // An index of nothing is refused (a mistyped folder must not empty an index), unless it is an update
    // of the folder the index was built from: its posts were deleted, and must not be found any more.
    if (documents === 0 && currentManifest(outDir)?.posts !== postsDir) {
      const why = skipped.length ? `all ${skipped.length} post file(s) were skipped (first: ${skipped[0]!.path}: ${skipped[0]!.reason})` : 'no .md, .markdown or .html files were found'
      throw new Error(`nothing to index in ${postsDir}: ${why}; the previous index, if any, is untouched`)
    }
    const written = await writeGeneration(outDir, assembled, { skipped, notes }, { dictionary, synonyms: options.synonyms ?? '', postsDir, stamps })
    return {
      ...written,
      documents,
      skipped,
      notes,
      seconds: (performance.now() - started) / 1000,
      indexDir: outDir,
      mode: plan ? 'incremental' : 'full',
      ...(!plan && { fullBecause: 'why' in found ? found.why : 'more than half of the posts were added, changed or deleted' }),
      reprocessed: toRead.length,
      reused: plan ? plan.reused : 0,
      removed: assembled.removed ?? 0,
      written: true,
    }
  } catch (error) {
    failed = true
    throw error
  } finally {
    await tail?.close()
    // index --watch builds again and again: the previous generation's file must not stay open until collected.
    previous?.index.close()
    release()
    // A first build that failed leaves no empty index folder behind.
    if (failed && firstBuild) removeIfEmpty(outDir)
  }
}

/** Removes `dir` when it is empty, and leaves it as it is otherwise. */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // Not empty (or already gone): nothing of ours to remove.
  }
}

/** Everything a new generation is written from. */
interface Assembled {
  records: DocumentRecord[]
  /** The texts as the workers laid them out, run by run (see {@link docStoreSections}). */
  storedTexts?: StoredTexts[]
  /** The titles' half of the suggestions: made by the tail in a full build, by this thread in an update. */
  titles: Promise<TitleSuggestions>
  /** An update's count of previous documents gone from the index (see BuildReport.removed). */
  removed?: number
  /** Merged by the tail, in parallel with the words space. */
  grams: Promise<Record<string, SectionData>>
  /**
   * The grams the suggestions read (isSuggestedGram), when known before the merge (a full build sums
   * them from the shards): this thread then writes the suggestions while the tail merges the grams.
   */
  suggestGrams: TermDictionary | null
  words: Record<string, SectionData>
  tail: BuildTail
  sources: SourceRecord[]
  skipped: Skip[]
  notes: IngestNote[]
  analysis: string
}

/** A full build: shards cover the files in order, so their lists are simply appended. */
function assembleFull(files: PostFile[], hashes: string[], shards: ShardResult[], tail: BuildTail): Assembled {
  const base: number[] = []
  let total = 0
  for (const s of shards) {
    base.push(total)
    total += s.records.length
  }
  const records = shards.flatMap((s) => s.records)
  // Asked first: the tail indexes the titles, cut by the workers, while this thread sends it the grams.
  const titles = tail.titleSuggestions(titledDocuments(records, false), shards.flatMap((s) => s.titleTerms))
  titles.catch(() => {}) // awaited when the generation is written; a failure meanwhile is not unhandled
  // Read before the shards move to the tail thread, which merges the grams while this one merges words.
  const suggestGrams = summedDictionary(shards.map((s) => s.grams), isSuggestedGram)
  const grams = tail.mergeGrams(shards.map((s) => s.grams), base, fieldLengths(records))
  return {
    records,
    storedTexts: shards.map((s) => s.text),
    titles,
    tail,
    grams,
    suggestGrams,
    words: mergeSpaces('words', shards.map((s) => s.words), base),
    sources: sourceRecords(files, hashes, shards, () => undefined),
    skipped: shards.flatMap((s) => s.skipped),
    notes: shards.flatMap((s) => s.notes),
    analysis: shards[0]?.analysisVersion ?? '',
  }
}

/** The documents' field lengths in their final order: the grams' block maxima are computed from them. */
function fieldLengths(records: readonly DocumentRecord[]): FieldLengths {
  return { titleUnits: Uint32Array.from(records, (r) => r.titleUnits), bodyUnits: Uint32Array.from(records, (r) => r.bodyUnits) }
}

/** What the previous generation offers an update: its index, and which of today's files it already holds. */
interface UpdatePlan {
  previous: { index: IndexReader; grams: PreviousGrams }
  /** Per file of today's listing: true when it must be read again. */
  changed: boolean[]
  /** Per file: its record in the previous generation when unchanged. */
  kept: (SourceRecord | undefined)[]
  /** Paths that held a document in the previous generation. */
  documentPaths: Set<string>
  reused: number
  analysis: string
}

/**
 * An index is never written among posts: `--index` and `--posts` mixed up, or the posts folder given as
 * both, would leave generation folders in the user's archive (and index them next time).
 */
function refusePostsFolder(outDir: string, postsDir: string): void {
  const where = 'write the index to a folder of its own (--out for `index`, --index for `serve`; default index-data)'
  if (outDir === postsDir) throw new Error(`the index folder ${outDir} is the posts folder: ${where}`)
  if (existsSync(join(outDir, MANIFEST))) return
  const sign = postsFolderSign(outDir)
  if (sign !== null) throw new Error(`the index folder ${outDir} holds posts (${sign}), not an index: ${where}`)
}

/** The current index of `outDir` with its source records, when today's analysis could update it. */
interface PreviousGeneration {
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
function previousGeneration(outDir: string, userDictionary: string): PreviousGeneration | { why: string } {
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
  return { index, grams, sources, stamps: readStamps(join(outDir, index.manifest.generation), sources.length), analysis }
}

/**
 * Compares today's files with the previous generation's by path, id and content hash. Returns null
 * (build everything) when so much changed that reading everything is as quick.
 */
function planUpdate(previous: PreviousGeneration, files: PostFile[], hashes: string[]): UpdatePlan | null {
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
    analysis,
  }
}

/**
 * Whether the previous generation is already what this build would write: the same files, none of
 * them changed, and the same synonyms (the analysis was checked on opening it). Where the posts folder
 * is does not matter to the index, only to its manifest.
 */
function upToDate(previous: PreviousGeneration, plan: UpdatePlan, files: PostFile[], synonyms: string): boolean {
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
function unchangedReport(previous: PreviousGeneration, plan: UpdatePlan, walk: { skipped: Skip[]; notes: IngestNote[] }, seconds: number, indexDir: string): BuildReport {
  const { index, sources } = previous
  return {
    documents: index.docs.count,
    skipped: [...walk.skipped, ...sources.filter((s) => s.skip).map((s) => ({ path: s.path, ...s.skip! }))],
    notes: [...walk.notes, ...sources.flatMap((s) => s.notes ?? [])],
    terms: index.grams.df.length + index.words.df.length,
    bytes: Object.values(index.manifest.files).reduce((sum, f) => sum + f.bytes, 0),
    seconds,
    indexDir,
    generation: index.manifest.generation,
    mode: 'incremental',
    reprocessed: 0,
    reused: plan.reused,
    removed: 0,
    written: false,
    leftOver: [],
  }
}

/**
 * An update: unchanged documents come from the previous index, the rest from the new shards, all
 * renumbered into today's file order, so the result is byte for byte what a full build writes.
 */
function assembleUpdate(plan: UpdatePlan, files: PostFile[], hashes: string[], shards: ShardResult[], tail: BuildTail, dictionary: string): Assembled {
  const old = plan.previous.index
  const oldToFinal = new Int32Array(old.docs.count).fill(-1)
  const shardMaps = shards.map((s) => new Int32Array(s.records.length).fill(-1))
  // Where each re-read file's document sits in the shards, by path.
  const fresh = new Map<string, [number, number]>()
  shards.forEach((s, k) => s.records.forEach((r, local) => fresh.set(r.stored.path, [k, local])))
  // Each document in final order: a kept one by its old number, a re-read one by its record.
  const placed: (number | DocumentRecord)[] = []
  files.forEach((file, i) => {
    const final = placed.length
    const before = plan.kept[i]
    if (before) {
      if (before.doc < 0) return
      oldToFinal[before.doc] = final
      placed.push(before.doc)
    } else {
      const at = fresh.get(file.relPath)
      if (!at) return
      shardMaps[at[0]]![at[1]] = final
      placed.push(shards[at[0]]!.records[at[1]]!)
    }
  })
  const units = (kept: Uint32Array, field: 'titleUnits' | 'bodyUnits') => Uint32Array.from(placed, (p) => (typeof p === 'number' ? kept[p]! : p[field]))
  const lengths: FieldLengths = { titleUnits: units(old.docs.titleUnits, 'titleUnits'), bodyUnits: units(old.docs.bodyUnits, 'bodyUnits') }
  // The tail merges the grams, the longest step, while this thread makes the records (reading every
  // kept text), merges the words, cuts and indexes the titles (the kept documents' were never cut by a
  // worker) and writes the rest, the suggestions once the grams are back.
  const grams = tail.renumberGrams(plan.previous.grams, oldToFinal, shards.map((s) => s.grams), shardMaps, lengths)
  grams.catch(() => {}) // as in assembleFull
  const records = placed.map((p) => (typeof p === 'number' ? storedRecord(old, p) : p))
  // Edited posts read again under a path that held a document are replaced, not removed.
  const replaced = placed.filter((p) => typeof p !== 'number' && plan.documentPaths.has(p.stored.path)).length
  const words = mergeRenumbered('words', [sourceOfSpace(old.words, oldToFinal), ...shards.map((s, k) => sourceOfShard(s.words, shardMaps[k]!))])
  const titles = Promise.resolve(titleSuggestionsOf(titledDocuments(records, false), createSegmenter(dictionary)))
  const keptRecords = plan.kept.filter((k): k is SourceRecord => k !== undefined)
  return {
    records,
    storedTexts: textRuns(old, oldToFinal, shards, shardMaps, records.length),
    titles,
    tail,
    grams,
    removed: old.docs.count - plan.reused - replaced,
    suggestGrams: null,
    words,
    sources: sourceRecords(files, hashes, shards, (i) => plan.kept[i], oldToFinal),
    // In file order, as a full build lists them, not the kept ones first.
    skipped: inFileOrder(files, [...keptRecords.filter((k) => k.skip).map((k) => ({ path: k.path, ...k.skip! })), ...shards.flatMap((s) => s.skipped)]),
    notes: inFileOrder(files, [...keptRecords.flatMap((k) => k.notes ?? []), ...shards.flatMap((s) => s.notes)]),
    analysis: plan.analysis,
  }
}

/** Entries about files sorted by the files' order (stable: a file's own entries keep theirs). */
function inFileOrder<T extends { path: string }>(files: PostFile[], entries: T[]): T[] {
  const order = new Map(files.map((file, i) => [file.relPath, i]))
  return entries.sort((a, b) => (order.get(a.path) ?? -1) - (order.get(b.path) ?? -1))
}

/**
 * The texts of an update's documents as stored, in final order: runs kept from the previous store and
 * runs the workers laid out.
 */
function textRuns(old: IndexReader, oldToFinal: Int32Array, shards: ShardResult[], shardMaps: Int32Array[], count: number): StoredTexts[] {
  // Each source's documents keep their relative order, so runs are stretches of consecutive numbers in both.
  const sources = [
    { map: oldToFinal, slice: (from: number, to: number) => old.docs.storedTexts(from, to) },
    ...shards.map((shard, k) => ({ map: shardMaps[k]!, slice: (from: number, to: number) => sliceTexts(shard.text, from, to) })),
  ]
  const at = new Int32Array(count).fill(-1)
  const which = new Int32Array(count)
  sources.forEach((source, k) =>
    source.map.forEach((final, local) => {
      if (final < 0) return
      at[final] = local
      which[final] = k
    }),
  )
  const runs: StoredTexts[] = []
  for (let start = 0; start < count; ) {
    let end = start + 1
    while (end < count && which[end] === which[start] && at[end] === at[end - 1]! + 1) end++
    runs.push(sources[which[start]!]!.slice(at[start]!, at[start]! + (end - start)))
    start = end
  }
  return runs
}

/** The record a previous index keeps of a document, as the build worker first made it. */
function storedRecord(index: IndexReader, doc: number): DocumentRecord {
  const docs = index.docs
  return {
    stored: { ...docs.display(doc), text: docs.text(doc) },
    titleUnits: docs.titleUnits[doc]!,
    bodyUnits: docs.bodyUnits[doc]!,
    dateMs: docs.dateMs[doc]!,
    dateDay: docs.dateDay[doc]!,
  }
}

/**
 * The hashes and stamps the next update compares against. A file read this time records what its reader
 * hashed (the bytes parsed), not the update's first look: a file that changed or vanished in between
 * must not leave the result of one read under the hash of another.
 */
function recordedHashes(
  files: PostFile[],
  changed: readonly boolean[] | null,
  looked: { hashes: string[]; stamps: (FileStamp | null)[] } | null,
  shards: ShardResult[],
): { hashes: string[]; stamps: (FileStamp | null)[] } {
  const readHashes = shards.flatMap((s) => s.hashes)
  const readStamps = shards.flatMap((s) => s.stamps)
  if (changed === null || looked === null) return { hashes: readHashes, stamps: readStamps }
  const hashes = looked.hashes.slice()
  const stamps = looked.stamps.slice()
  // The shards read the changed files in order.
  let r = 0
  for (let i = 0; i < files.length; i++) {
    if (!changed[i]) continue
    hashes[i] = readHashes[r]!
    stamps[i] = readStamps[r]!
    r++
  }
  return { hashes, stamps }
}

/** Today's files with their hashes and fates (document number, or why skipped), for the next update. */
function sourceRecords(
  files: PostFile[],
  hashes: string[],
  shards: ShardResult[],
  kept: (i: number) => SourceRecord | undefined,
  oldToFinal?: Int32Array,
): SourceRecord[] {
  const skips = new Map(shards.flatMap((s) => s.skipped).map((k) => [k.path, k]))
  const notes = new Map<string, IngestNote[]>()
  for (const n of shards.flatMap((s) => s.notes)) notes.set(n.path, [...(notes.get(n.path) ?? []), n])
  const fresh = new Set(shards.flatMap((s) => s.records.map((r) => r.stored.path)))
  let doc = 0
  return files.map((file, i) => {
    const before = kept(i)
    if (before) {
      if (before.doc < 0) return before
      const mapped = oldToFinal ? oldToFinal[before.doc]! : doc
      doc = mapped + 1
      return { ...before, doc: mapped }
    }
    const skip = skips.get(file.relPath)
    const record: SourceRecord = { path: file.relPath, id: file.id, hash: hashes[i]!, doc: -1 }
    if (fresh.has(file.relPath)) record.doc = doc++
    else if (skip) record.skip = { code: skip.code, reason: skip.reason }
    const fileNotes = notes.get(file.relPath)
    if (fileNotes) record.notes = fileNotes
    return record
  })
}

/** Builds of fewer post files than this are analysed in-process: starting workers would cost more. */
const WORKER_FILES = 400

/**
 * Parses, analyzes and inverts the files: in worker threads when there are enough of them to pay off.
 * The workers also lay out their texts for the document store, so that work is spread too.
 */
async function analyzeFiles(files: PostFile[], options: BuildOptions): Promise<ShardResult[]> {
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), 16))
  const userDictionary = options.userDictionary ?? ''
  if (files.length < WORKER_FILES || workers === 1) {
    // Imported here: the main thread of a threaded build never parses a post.
    const { buildShard } = await import('./build-worker.js')
    return [buildShard({ files, userDictionary }, (d) => options.onProgress?.(d, files.length))]
  }
  let done = 0
  const progress = (n: number) => {
    done += n
    options.onProgress?.(done, files.length)
  }
  // Started first: they load while the files are split by size.
  const started = Array.from({ length: workers }, () => startWorker(userDictionary, progress))
  try {
    const parts = partitionBySize(files, workers)
    for (const unused of started.splice(parts.length)) stopWorker(unused)
    started.forEach((s, i) => s.worker.postMessage({ task: { files: parts[i]!, userDictionary } } satisfies ShardStart))
  } catch (error) {
    // A worker waiting for its files would keep the process alive.
    started.forEach(stopWorker)
    throw error
  }
  return await Promise.all(started.map((s) => s.result))
}

/**
 * Writes a new generation folder, syncs it, then commits it by renaming a new manifest into place.
 * Until that rename, readers keep seeing the previous generation; a failure removes the new folder.
 * The suggestions are written here too, while the tail thread merges the grams.
 */
/** The skipped posts and notes of a build, beside its generation's files (replaced whole: a reader never sees half of one). */
function writeBuildReport(genDir: string, report: { skipped: Skip[]; notes: IngestNote[] }): void {
  const path = join(genDir, 'build-report.json')
  writeFileSync(`${path}.tmp`, JSON.stringify({ skipped: report.skipped, notes: report.notes }, null, 1) + '\n')
  renameSync(`${path}.tmp`, path)
}

async function writeGeneration(
  outDir: string,
  built: Assembled,
  report: { skipped: Skip[]; notes: IngestNote[] },
  resources: { dictionary: string; synonyms: string; postsDir: string; stamps: GenerationStamps },
): Promise<{ terms: number; bytes: number; generation: string; leftOver: BuildReport['leftOver'] }> {
  const generation = `gen-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
  const genDir = join(outDir, generation)
  ensureDir(genDir)
  let committed: { terms: number; bytes: number; previous: string | null }
  try {
    const { records, words, suggestGrams } = built
    const docs = docStoreSections(records, built.storedTexts)
    const docsEntry = writeContainer(join(genDir, 'docs.idx'), docs.meta, docs.sections)
    failpoint('mid-write')
    const wordsEntry = writeContainer(join(genDir, 'words.idx'), { space: 'words' }, words)
    writeBuildReport(genDir, report)
    writeStamps(genDir, resources.stamps)
    const sourcesEntry = writeSources(join(genDir, SOURCES), built.sources)
    // Written here: while the tail merges the grams in a full build (the shards gave the grams the
    // suggestions read), once it has merged them in an update.
    const wordSuggestions = wordSuggestionsOf({ records, words: sectionDictionary(words, 'words'), grams: suggestGrams ?? sectionDictionary(await built.grams, 'grams') })
    const suggestEntry = writeSuggestHalves(join(genDir, SUGGEST_FILE), records, wordSuggestions, await built.titles)
    const grams = await built.grams
    const files: Manifest['files'] = {}
    files['docs.idx'] = docsEntry
    files['grams.idx'] = writeContainer(join(genDir, 'grams.idx'), { space: 'grams' }, grams)
    files['words.idx'] = wordsEntry
    files[SUGGEST_FILE] = suggestEntry
    files[SOURCES] = sourcesEntry
    files[DICTIONARY_FILE] = writeTextFile(join(genDir, DICTIONARY_FILE), resources.dictionary)
    files[SYNONYMS_FILE] = writeTextFile(join(genDir, SYNONYMS_FILE), resources.synonyms)
    syncDir(genDir)
    failpoint('before-commit')
    const previous = currentManifest(outDir)?.generation ?? null
    writeManifest(outDir, {
      format: 'jiansuo-index',
      version: FORMAT_VERSION,
      generation,
      createdAt: new Date().toISOString(),
      analysis: built.analysis,
      documents: records.length,
      files,
      posts: resources.postsDir,
      ingest: INGEST_VERSION,
    })
    committed = {
      terms: (grams['grams.df'] as Uint32Array).length + (words['words.df'] as Uint32Array).length,
      bytes: Object.values(files).reduce((s, f) => s + f.bytes, 0),
      previous,
    }
  } catch (error) {
    // Not yet committed: nothing may still be writing into the folder when it goes.
    await built.tail.close()
    rmSync(genDir, { recursive: true, force: true })
    throw error
  }
  // Committed: from here on nothing may remove the new generation, whatever fails.
  failpoint('after-commit')
  return { terms: committed.terms, bytes: committed.bytes, generation, leftOver: pruneGenerations(outDir, [generation, committed.previous]) }
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

/** A build worker and the shard it will send. */
interface StartedWorker {
  worker: Worker
  result: Promise<ShardResult>
}

function stopWorker(started: StartedWorker): void {
  started.result.catch(() => {}) // it exits without a result, as asked
  void started.worker.terminate()
}

/** A build worker, loading its analyzer until it is sent its {@link ShardStart}. */
function startWorker(userDictionary: string, onProgress: (n: number) => void): StartedWorker {
  const worker = new Worker(new URL('./build-worker.js', import.meta.url), {
    workerData: { role: 'jiansuo-build', userDictionary },
  })
  const result = new Promise<ShardResult>((resolvePromise, reject) => {
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
  return { worker, result }
}

/** The manifest of the index in `outDir`, or null when there is none (or it cannot be read). */
function currentManifest(outDir: string): Manifest | null {
  try {
    return readManifest(outDir)
  } catch {
    return null
  }
}

/** How writeGeneration names a generation folder (`gen-<ms base 36>-<6 hex>`): pruning removes only folders named so, never a user's own `gen-notes`. */
const GENERATION_NAME = /^gen-[0-9a-z]+-[0-9a-f]{6}$/

/**
 * Removes generations other than the current one and the one before it (a reader may still be opening
 * that); returns those it could not remove, and why.
 */
function pruneGenerations(outDir: string, keep: (string | null)[]): BuildReport['leftOver'] {
  return removeEntries(
    outDir,
    (entry) =>
      (entry.isDirectory() && GENERATION_NAME.test(entry.name) && !keep.includes(entry.name)) ||
      (entry.isFile() && entry.name.startsWith(`${MANIFEST}.tmp-`)), // left by a build that was killed
  )
}

/**
 * Generations newer than the committed one were written by builds killed before they committed (a
 * commit would have made them current, and this build holds the lock): a build with nothing to write
 * removes those, where one that writes removes every generation but the new one and the one before.
 */
function pruneAbandoned(outDir: string, current: string): BuildReport['leftOver'] {
  const bornAt = (name: string) => (GENERATION_NAME.test(name) ? parseInt(name.split('-')[1]!, 36) : NaN)
  return removeEntries(outDir, (entry) => entry.isDirectory() && bornAt(entry.name) > bornAt(current))
}

/** Removes the entries of `outDir` that `stale` picks; returns those it could not remove, and why. */
function removeEntries(outDir: string, stale: (entry: Dirent) => boolean): BuildReport['leftOver'] {
  const leftOver: BuildReport['leftOver'] = []
  for (const entry of readdirSync(outDir, { withFileTypes: true })) {
    if (!stale(entry)) continue
    const path = join(outDir, entry.name)
    try {
      rmSync(path, { recursive: true, force: true })
    } catch (error) {
      leftOver.push({ path, reason: error instanceof Error ? error.message : String(error) })
    }
  }
  return leftOver
}
