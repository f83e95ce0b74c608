import { createHash } from 'node:crypto'
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { Analyzer } from '../analysis/analyzer.js'
import { createSegmenter } from '../analysis/segment.js'
import { adoptFoldTable } from '../analysis/normalize.js'
import type { IngestNote } from '../ingest/document.js'
import { parsePost } from '../ingest/parse-post.js'
import { readPostBytesSync } from '../ingest/read-post.js'
import type { PostFile } from '../ingest/walk.js'
import type { DocumentRecord } from './doc-store.js'
import { storeTexts, type StoredTexts } from './doc-store-text.js'
import { indexDocument, type Spaces } from './index-document.js'
import { DocumentMarks, FieldCounter, GramInterner, shardSpaceBuffers, TermAccumulator, WordInterner, type ShardSpace } from './term-accumulator.js'
import { classify, UnitClass } from '../analysis/units.js'
import { collectGarbage } from './collect-garbage.js'
import { hashFile, stampOf, type FileStamp } from './file-stamps.js'
import { titleTermsCutter } from '../suggest/build.js'
import { countWritten, isSuggestedGram } from '../suggest/vocabulary.js'

/** What the build sends a worker: a run of files and the user's dictionary. */
export interface ShardTask {
  files: PostFile[]
  userDictionary: string
}

export interface Skip {
  path: string
  code: string
  reason: string
}

/** What a worker sends back: its documents in file order, numbered from 0, and their postings. */
export interface ShardResult {
  /** With their texts left empty: those are in `text`, the one copy the build keeps. */
  records: DocumentRecord[]
  skipped: Skip[]
  notes: IngestNote[]
  /**
   * null when the worker sent them to the build's tail over its grams port (see ShardStart): the tail
   * merges them, and this thread would only pass them on, decoding and encoding every key twice.
   */
  grams: ShardSpace | null
  /** The grams' keys the suggestions read (isSuggestedGram) and their document counts, the grams being elsewhere. */
  suggestedGrams: { keys: string[]; df: number[] }
  words: ShardSpace
  /** Per term of `words`, in its key order: the documents holding it as a word of its own (see DocumentMarks). */
  standaloneDf: Uint32Array
  analysisVersion: string
  /** Per task file, the content hash of the bytes this worker read (a full build reads each file once) and the file's stamp then. */
  hashes: string[]
  stamps: (FileStamp | null)[]
  /** The records' texts laid out for the document store, so that work is spread over the workers. */
  text: StoredTexts
  /** Per record, its title cut for the suggestions, which the end of the build would otherwise cut on one thread. */
  titleTerms: string[]
  /** The records' Latin words as written, titles and texts (see countWritten): the end of the build would otherwise read every text again. */
  written: Map<string, number>
}

/**
 * What the build sends a started worker (which has loaded its analyzer meanwhile): its run of files,
 * and the fold table the build's main thread made while the workers loaded (see adoptFoldTable).
 */
export interface ShardStart {
  task: ShardTask
  foldTable: Uint16Array
  /** Where the worker sends its grams (a build's tail thread), rather than with the rest of its shard. */
  gramsPort?: MessagePort
}

/** Parses, analyzes and inverts a run of posts. Runs in a worker thread; also callable in-process. */
export function buildShard(task: ShardTask, onProgress?: (done: number) => void, prepared: { analyzer?: Analyzer } = {}): ShardResult {
  const analyzer = prepared.analyzer ?? new Analyzer(createSegmenter(task.userDictionary))
  const grams = new TermAccumulator()
  const words = new TermAccumulator()
  const standalone = new DocumentMarks()
  // Released after the loop: the interners' tables (~100 MB a worker at 100,000 posts) are of no use to
  // the inversion that ends the shard, a worker's peak.
  let spaces: Spaces | null = {
    grams,
    gramIds: new GramInterner(grams, (code) => classify(code) === UnitClass.Ideograph),
    gramCounts: new FieldCounter(),
    words,
    wordIds: new WordInterner(words),
    wordCounts: new FieldCounter(),
    standalone,
  }
  const records: DocumentRecord[] = []
  const texts: string[] = []
  const titleTerms: string[] = []
  const cutTitle = titleTermsCutter(analyzer.segmenter)
  const written = new Map<string, number>()
  const skipped: Skip[] = []
  const notes: IngestNote[] = []
  const hashes: string[] = []
  const stamps: (FileStamp | null)[] = []
  for (let i = 0; i < task.files.length; i++) {
    const file = task.files[i]!
    // Unreadable, oversized and unparseable files come back as skips, never as exceptions.
    const read = readPostBytesSync(file)
    // The hash of the bytes parsed, never of a second read. A file that could not be read gets none, so
    // the next update reads it again rather than keeping the skip (it may have been away a moment).
    const hashed =
      read.kind === 'bytes' ? { hash: createHash('sha1').update(read.bytes).digest('hex'), stamp: stampOf(read.stats) } : read.code === 'too_large' ? hashFile(file) : { hash: '', stamp: null }
    hashes.push(hashed.hash)
    stamps.push(hashed.stamp)
    const result = read.kind === 'bytes' ? parsePost(read.bytes, file) : read
    if (result.kind === 'skipped') {
      skipped.push({ path: result.path, code: result.code, reason: result.reason })
    } else {
      notes.push(...result.notes)
      // Cut before the title is indexed, which then finds jieba's words in the segmenter's memory of its last cut.
      titleTerms.push(cutTitle(result.document.title))
      const record = indexDocument(result.document, records.length, analyzer, spaces)
      texts.push(record.stored.text)
      record.stored.text = ''
      records.push(record)
      countWritten(record.stored.title, written)
      countWritten(texts.at(-1)!, written)
    }
    if (onProgress && (i % 50 === 49 || i === task.files.length - 1)) onProgress(i + 1)
  }
  spaces = null
  const text = storeTexts(texts)
  // Laid out: the strings need not outlive the inversion below, the peak of a worker's memory.
  texts.length = 0
  words.seal()
  grams.seal()
  // The texts, the interners and the occurrence buffers, let go above, are freed before the joins:
  // left to the collector, they could still be held at the joins (~100 MB a worker at 100,000 posts),
  // when both workers often peak at once. A thread of its own only: a caller's heap is not ours to collect.
  if (!isMainThread) collectGarbage()
  const wordSpace = words.finish()
  const gramSpace = grams.finish()
  return {
    records,
    skipped,
    notes,
    text,
    titleTerms,
    written,
    grams: gramSpace,
    suggestedGrams: suggestedGrams(gramSpace),
    words: wordSpace,
    standaloneDf: standalone.inKeyOrder(words, wordSpace.keys),
    analysisVersion: analyzer.version,
    hashes,
    stamps,
  }
}


/** The keys of a shard's grams that the suggestions read, with their document counts. */
function suggestedGrams(grams: ShardSpace): ShardResult['suggestedGrams'] {
  const out: ShardResult['suggestedGrams'] = { keys: [], df: [] }
  grams.keys.forEach((key, term) => {
    if (!isSuggestedGram(key)) return
    out.keys.push(key)
    out.df.push(grams.df[term]!)
  })
  return out
}

if (parentPort && workerData && (workerData as { role?: string }).role === 'jiansuo-build') {
  const port = parentPort
  // The jieba dictionary loads while the build is still listing and splitting the files.
  const analyzer = new Analyzer(createSegmenter((workerData as { userDictionary: string }).userDictionary))
  port.once('message', ({ task, foldTable, gramsPort }: ShardStart) => {
    adoptFoldTable(foldTable)
    let last = 0
    const progress = (done: number) => {
      port.postMessage({ type: 'progress', done: done - last })
      last = done
    }
    const result = buildShard(task, progress, { analyzer })
    // Sent before the rest: the tail has its grams by the time the build asks it to merge them.
    if (gramsPort && result.grams) {
      gramsPort.postMessage(result.grams, shardSpaceBuffers(result.grams))
      result.grams = null
    }
    const textBuffers = [result.text.blob.buffer as ArrayBuffer, result.text.offsets.buffer as ArrayBuffer, result.standaloneDf.buffer as ArrayBuffer]
    port.postMessage({ type: 'done', result }, [...(result.grams ? shardSpaceBuffers(result.grams) : []), ...shardSpaceBuffers(result.words), ...textBuffers])
  })
}
