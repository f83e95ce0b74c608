import type { IngestNote } from '../ingest/document.js'
import type { PostFile } from '../ingest/walk.js'
import type { ShardResult, Skip } from './build-worker.js'
import { sliceTexts, type StoredTexts } from './doc-store-text.js'
import type { FieldLengths } from './block-max.js'
import { mergeSpaces } from './term-space.js'
import type { BuildTail } from './build-tail.js'
import type { SectionData } from './container.js'
import type { TitleSuggestions } from '../suggest/suggest-index.js'
import type { DocumentRecord } from './doc-store.js'
import type { IndexReader } from './reader.js'
import { mergeRenumbered, sourceOfShard, sourceOfSpace } from './renumber-merge.js'
import type { SourceRecord } from './sources.js'
import type { FileStamp } from './file-stamps.js'
import { titledDocuments, titleSuggestionsOf } from '../suggest/build.js'
import { createSegmenter } from '../analysis/segment.js'
import { summedDictionary, type TermDictionary } from '../suggest/term-dictionary.js'
import { addWritten, isSuggestedGram } from '../suggest/vocabulary.js'
import type { UpdatePlan } from './update-plan.js'
import { addCounts, keptStandalone, withStandaloneDf, type CountsByWord } from './standalone-words.js'

/** Everything a new generation is written from. */
export interface Assembled {
  records: DocumentRecord[]
  /** The texts as the workers laid them out, run by run (see {@link docStoreSections}): the records carry none. */
  storedTexts: StoredTexts[]
  /** The titles' half of the suggestions: made by the tail in a full build, by this thread in an update. */
  titles: Promise<TitleSuggestions>
  /** An update's count of previous documents gone from the index (see BuildReport.removed). */
  removed?: number
  /** Merged by the tail, in parallel with the words space, which writes them too: here only their dictionary sections. */
  grams: Promise<Record<string, SectionData>>
  /**
   * The grams the suggestions read (isSuggestedGram), when known before the merge (a full build sums
   * them from the shards): this thread then writes the suggestions while the tail merges the grams.
   */
  suggestGrams: TermDictionary | null
  /** The documents' Latin words as written, when the workers counted them all (a full build): see countWritten. */
  written: Map<string, number> | null
  words: Record<string, SectionData>
  tail: BuildTail
  sources: SourceRecord[]
  skipped: Skip[]
  notes: IngestNote[]
  analysis: string
}

/** A full build: shards cover the files in order, so their lists are simply appended. */
export function assembleFull(files: PostFile[], hashes: string[], shards: ShardResult[], tail: BuildTail): Assembled {
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
  // From the keys each worker picked out of its grams: the tail merges the grams while this thread merges words.
  const suggestGrams = summedDictionary(shards.map((s) => s.suggestedGrams), isSuggestedGram)
  const grams = tail.mergeGrams(shards.map((s) => s.grams), base, fieldLengths(records))
  return {
    records,
    storedTexts: shards.map((s) => s.text),
    titles,
    tail,
    grams,
    suggestGrams,
    // Shard after shard, so each spelling stays where it was first met.
    written: shards.reduce((all, s) => addWritten(all, s.written), new Map<string, number>()),
    words: withStandaloneDf(mergeSpaces('words', shards.map((s) => s.words), base), shardStandalone(shards, new Map())),
    sources: sourceRecords(files, hashes, shards, () => undefined),
    skipped: shards.flatMap((s) => s.skipped),
    notes: shards.flatMap((s) => s.notes),
    analysis: shards[0]?.analysisVersion ?? '',
  }
}

/** The shards' standalone word counts added to `counts`. */
function shardStandalone(shards: readonly ShardResult[], counts: CountsByWord): CountsByWord {
  for (const shard of shards) addCounts(counts, shard.words.keys, shard.standaloneDf)
  return counts
}

/** The documents' field lengths in their final order: the grams' block maxima are computed from them. */
function fieldLengths(records: readonly DocumentRecord[]): FieldLengths {
  return { titleUnits: Uint32Array.from(records, (r) => r.titleUnits), bodyUnits: Uint32Array.from(records, (r) => r.bodyUnits) }
}

/**
 * An update: unchanged documents come from the previous index, the rest from the new shards, all
 * renumbered into today's file order, so the result is byte for byte what a full build writes.
 */
export function assembleUpdate(plan: UpdatePlan, files: PostFile[], hashes: string[], shards: ShardResult[], tail: BuildTail, dictionary: string): Assembled {
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
  const segmenter = createSegmenter(dictionary)
  const merged = mergeRenumbered('words', [sourceOfSpace(old.words, oldToFinal), ...shards.map((s, k) => sourceOfShard(s.words, shardMaps[k]!))])
  const words = withStandaloneDf(merged, shardStandalone(shards, keptStandalone(old, oldToFinal, segmenter)))
  const titles = Promise.resolve(titleSuggestionsOf(titledDocuments(records, false), segmenter))
  const keptRecords = plan.kept.filter((k): k is SourceRecord => k !== undefined)
  return {
    records,
    storedTexts: textRuns(old, oldToFinal, shards, shardMaps, records.length),
    titles,
    tail,
    grams,
    removed: old.docs.count - plan.reused - replaced,
    suggestGrams: null,
    written: null,
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
    // The text is kept as stored (textRuns), not read into every record.
    stored: { ...docs.display(doc), text: '' },
    titleUnits: docs.titleUnits[doc]!,
    bodyUnits: docs.bodyUnits[doc]!,
    dateMs: docs.dateMs[doc]!,
    dateDay: docs.dateDay[doc]!,
  }
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

/**
 * The hashes and stamps the next update compares against. A file read this time records what its reader
 * hashed (the bytes parsed), not the update's first look: a file that changed or vanished in between
 * must not leave the result of one read under the hash of another.
 */
export function recordedHashes(
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
