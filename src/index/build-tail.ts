import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads'
import type { FieldLengths } from './block-max.js'
import type { SectionData } from './container.js'
import { Container, writeContainer } from './container.js'
import { collectGarbage } from './collect-garbage.js'
import { dictionarySectionNames } from './dictionary-reader.js'
import type { FileEntry } from './manifest.js'
import { mergeRenumbered, sourceOfShard, sourceOfSpace } from './renumber-merge.js'
import { mergeSpaces, TermSpace } from './term-space.js'
import { shardSpaceBuffers, type ShardSpace } from './term-accumulator.js'
import { createSegmenter, type Segmenter } from '../analysis/segment.js'
import { adoptFoldTable, foldTable } from '../analysis/normalize.js'
import { precutTitles, titleSuggestionsOf } from '../suggest/build.js'
import type { TitleSuggestions } from '../suggest/suggest-index.js'
import type { TitledDocument } from '../suggest/vocabulary.js'

/**
 * The second thread of a build's last stretch. Once the workers have analysed every post, the main
 * thread merges the words space and writes the document store while this one merges the grams space,
 * the longest single step, so both cores stay busy to the end. In a full build it then indexes the
 * titles (cut by the workers), and the main thread writes the suggestions meanwhile; in an update the
 * main thread indexes the titles itself and writes the suggestions once the grams are merged. Small
 * builds do the same steps in-process.
 */
export interface BuildTail {
  /**
   * Merges the grams shards (see {@link mergeSpaces}), which it takes over, and keeps the merged space
   * for {@link BuildTail.writeGrams}; answers with its dictionary sections (see dictionarySectionNames).
   * A shard given as null is the one its worker sent the tail (see analyzeFiles' `gramsPorts`).
   */
  mergeGrams(shards: (ShardSpace | null)[], docBase: number[], lengths: FieldLengths): Promise<Record<string, SectionData>>
  /**
   * An update's grams: the previous generation's, renumbered by `previousMap`, merged with the shards'
   * (taken over, or sent by their workers, as for mergeGrams), renumbered by `shardMaps` (see {@link mergeRenumbered}).
   */
  renumberGrams(previous: PreviousGrams, previousMap: Int32Array, shards: (ShardSpace | null)[], shardMaps: Int32Array[], lengths: FieldLengths): Promise<Record<string, SectionData>>
  /**
   * Writes the merged grams (asked for before or after the merge is done) as the container `path`, and
   * lets them go: the space, the largest thing a build makes, never moves to the main thread. The last
   * request: a tail thread ends once it has answered it.
   */
  writeGrams(path: string): Promise<FileEntry>
  /**
   * A full build's titles' half of the suggestions (see {@link titleSuggestionsOf}). `terms`: each
   * document's title as the workers cut it (a title they did not cut is cut here).
   */
  titleSuggestions(documents: TitledDocument[], terms: string[]): Promise<TitleSuggestions>
  /** Stops the thread (a failed build must not leave it writing into a generation being removed). */
  close(): Promise<void>
}

/** The previous generation's grams file as loaded: shared memory, which a thread views without a copy. */
export interface PreviousGrams {
  path: string
  bytes: Uint8Array
}

type Request =
  | { type: 'merge-grams'; shards: (ShardSpace | null)[]; docBase: number[]; lengths: FieldLengths }
  | { type: 'renumber-grams'; previous: PreviousGrams; previousMap: Int32Array; shards: (ShardSpace | null)[]; shardMaps: Int32Array[]; lengths: FieldLengths }
  | { type: 'titles'; documents: TitledDocument[]; terms: string[] }
  | { type: 'write-grams'; path: string }
type Reply = { type: 'grams'; sections: Record<string, SectionData> } | { type: 'titles'; titles: TitleSuggestions } | { type: 'written'; entry: FileEntry }

/** The sections of a term space its dictionary is read from (see sectionDictionary), copied: the space stays to be written. */
function dictionarySections(prefix: string, sections: Record<string, SectionData>): Record<string, SectionData> {
  return Object.fromEntries(dictionarySectionNames(prefix).map((name) => [name, sections[name]!.slice()]))
}

/** Answers the tail's requests. */
class TailState {
  private segmenter: Segmenter | null = null
  /** The grams each worker sends over its port, by shard, until a merge takes them. */
  private sent: Promise<ShardSpace>[]

  constructor(
    private readonly userDictionary: string,
    gramsPorts: MessagePort[],
  ) {
    this.sent = gramsPorts.map((port) => {
      const grams = new Promise<ShardSpace>((resolve, reject) => {
        port.once('message', (space: ShardSpace) => {
          port.close()
          resolve(space)
        })
        port.once('close', () => reject(new Error('a build worker closed its grams channel without sending its grams')))
      })
      grams.catch(() => {}) // awaited by the merge; a build that fails before it never asks
      return grams
    })
  }

  /** The shards given, each null one replaced by the grams its worker sent; the tail lets go of those. */
  private async withSent(shards: (ShardSpace | null)[]): Promise<ShardSpace[]> {
    const sent = this.sent
    this.sent = []
    return Promise.all(
      shards.map((shard, k) => {
        if (shard) return shard
        if (!sent[k]) throw new Error(`the grams of shard ${k} were neither given nor sent`)
        return sent[k]
      }),
    )
  }

  /** Jieba with the build's dictionary, loaded only when a title was not cut by the workers. */
  private cutting = (): Segmenter => (this.segmenter ??= createSegmenter(this.userDictionary))

  /** The merged grams, from their merge until they are written. */
  private grams: Record<string, SectionData> | null = null

  /**
   * Frees the merged shards (as large as the merged grams) before the grams are written: the main
   * thread may meanwhile be at its own largest. In a thread of its own only.
   */
  private letGo(shards: ShardSpace[]): void {
    if (isMainThread) return
    shards.length = 0
    collectGarbage()
  }

  /** The requests answered so far, one at a time in the order asked: a merge may wait for a worker's grams. */
  private answered: Promise<unknown> = Promise.resolve()

  answer(request: Request): Promise<Reply> {
    const reply = this.answered.then(() => this.handle(request))
    this.answered = reply.catch(() => {}) // the failure is the asker's to handle
    return reply
  }

  private async handle(request: Request): Promise<Reply> {
    if (request.type === 'merge-grams') {
      const shards = await this.withSent(request.shards)
      request.shards.length = 0
      this.grams = mergeSpaces('grams', shards, request.docBase, request.lengths)
      this.letGo(shards)
      return { type: 'grams', sections: dictionarySections('grams', this.grams) }
    }
    if (request.type === 'renumber-grams') {
      const shards = await this.withSent(request.shards)
      request.shards.length = 0
      const previous = new TermSpace(Container.fromBytes(request.previous.path, request.previous.bytes), 'grams')
      const sources = [sourceOfSpace(previous, request.previousMap), ...shards.map((shard, k) => sourceOfShard(shard, request.shardMaps[k]!))]
      this.grams = mergeRenumbered('grams', sources, request.lengths)
      this.letGo(shards)
      return { type: 'grams', sections: dictionarySections('grams', this.grams) }
    }
    if (request.type === 'write-grams') {
      if (!this.grams) throw new Error('the grams were asked to be written before they were merged')
      const entry = writeContainer(request.path, { space: 'grams' }, this.grams)
      this.grams = null
      return { type: 'written', entry }
    }
    const { documents, terms } = request
    return { type: 'titles', titles: titleSuggestionsOf(documents, precutTitles(documents, terms, this.cutting)) }
  }
}

/** Builds of at least this many post files get a thread for the tail; smaller ones do it in-process. */
export const TAIL_THREAD_FILES = 400

/**
 * Started before the analysis, so the thread has loaded its modules by the time it is needed.
 * `gramsPorts`: the analysis's ends of its workers' grams channels (see analyzeFiles), which it takes over.
 */
export function startBuildTail(files: number, userDictionary: string, gramsPorts: MessagePort[] = []): BuildTail {
  return files >= TAIL_THREAD_FILES ? new TailThread(userDictionary, gramsPorts) : inProcessTail(new TailState(userDictionary, gramsPorts))
}

function inProcessTail(state: TailState): BuildTail {
  const run = async <T extends Reply>(request: Request) => (await state.answer(request)) as T
  return {
    mergeGrams: async (shards, docBase, lengths) => (await run<Extract<Reply, { type: 'grams' }>>({ type: 'merge-grams', shards, docBase, lengths })).sections,
    renumberGrams: async (previous, previousMap, shards, shardMaps, lengths) =>
      (await run<Extract<Reply, { type: 'grams' }>>({ type: 'renumber-grams', previous, previousMap, shards, shardMaps, lengths })).sections,
    titleSuggestions: async (documents, terms) => (await run<Extract<Reply, { type: 'titles' }>>({ type: 'titles', documents, terms })).titles,
    writeGrams: async (path) => (await run<Extract<Reply, { type: 'written' }>>({ type: 'write-grams', path })).entry,
    close: async () => {},
  }
}

/** The tail in a worker thread; requests are answered in the order they were sent. */
class TailThread implements BuildTail {
  private readonly worker: Worker
  private readonly waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = []
  private failure: Error | null = null

  constructor(userDictionary: string, gramsPorts: MessagePort[]) {
    this.worker = new Worker(new URL('./build-tail.js', import.meta.url), {
      // The main thread's fold table: the titles and suggestions fold text, and making one takes ~0.2 s.
      workerData: { role: 'jiansuo-build-tail', userDictionary, foldTable: foldTable(), gramsPorts },
      transferList: gramsPorts,
    })
    this.worker.on('message', (reply: Reply) => this.waiting.shift()?.resolve(reply))
    this.worker.on('error', (error) => this.fail(error))
    this.worker.on('exit', (code) => this.fail(new Error(`the build's tail thread exited with code ${code}`)))
  }

  private fail(error: Error): void {
    this.failure ??= error
    for (const w of this.waiting.splice(0)) w.reject(this.failure)
  }

  private ask(request: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure)
    const reply = new Promise<Reply>((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      this.worker.postMessage(request, transfer)
    })
    // The caller awaits this later, after work of its own; a failure meanwhile must not count as unhandled.
    reply.catch(() => {})
    return reply
  }

  async mergeGrams(shards: (ShardSpace | null)[], docBase: number[], lengths: FieldLengths): Promise<Record<string, SectionData>> {
    // The shards move to the thread: the caller has no further use for them.
    const request: Request = { type: 'merge-grams', shards, docBase, lengths }
    return ((await this.ask(request, buffersOf(shards))) as Extract<Reply, { type: 'grams' }>).sections
  }

  async renumberGrams(previous: PreviousGrams, previousMap: Int32Array, shards: (ShardSpace | null)[], shardMaps: Int32Array[], lengths: FieldLengths): Promise<Record<string, SectionData>> {
    // As mergeGrams; the previous grams are shared memory, viewed there, not copied.
    const request: Request = { type: 'renumber-grams', previous, previousMap, shards, shardMaps, lengths }
    return ((await this.ask(request, buffersOf(shards))) as Extract<Reply, { type: 'grams' }>).sections
  }

  async writeGrams(path: string): Promise<FileEntry> {
    return ((await this.ask({ type: 'write-grams', path })) as Extract<Reply, { type: 'written' }>).entry
  }

  async titleSuggestions(documents: TitledDocument[], terms: string[]): Promise<TitleSuggestions> {
    return ((await this.ask({ type: 'titles', documents, terms })) as Extract<Reply, { type: 'titles' }>).titles
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the build tail was closed')
    await this.worker.terminate()
  }
}

/** The buffers under the shards given (not those their workers sent), to move them without a copy. */
function buffersOf(shards: (ShardSpace | null)[]): ArrayBuffer[] {
  return shards.flatMap((shard) => (shard ? shardSpaceBuffers(shard) : []))
}

if (parentPort && workerData && (workerData as { role?: string }).role === 'jiansuo-build-tail') {
  const port = parentPort
  const { userDictionary, foldTable: computed, gramsPorts } = workerData as { userDictionary: string; foldTable: Uint16Array; gramsPorts: MessagePort[] }
  adoptFoldTable(computed)
  const state = new TailState(userDictionary, gramsPorts)
  port.on('message', (request: Request) => {
    state
      .answer(request)
      .then((reply) => {
        // The grams' dictionary (copied for this reply) moves back without a second copy.
        const moved = reply.type === 'grams' ? [...new Set(Object.values(reply.sections).map((s) => s.buffer as ArrayBuffer))] : []
        port.postMessage(reply, moved)
        // The grams written are the last thing a build asks: ending now frees the thread's memory while the
        // main thread still works (an idle thread would not collect, and would hold the space until closed).
        if (reply.type === 'written') port.close()
      })
      .catch((error: unknown) => {
        // Thrown outside the chain, it reaches the main thread as the worker's 'error' event.
        setImmediate(() => {
          throw error
        })
      })
  })
}
