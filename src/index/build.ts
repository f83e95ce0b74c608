import { existsSync, rmdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { MessagePort } from 'node:worker_threads'
import { folderIdentity, listPostFiles } from '../ingest/walk.js'
import { acquireBuildLock, ensureWritableIndexFolder } from './build-lock.js'
import { failpoint } from './failpoint.js'
import { refuseIndexFolder } from './index-folder.js'
import { refuseManifestFolder, writeManifest } from './manifest.js'
import { startBuildTail, type BuildTail } from './build-tail.js'
import { hashChanged, writeStamps } from './file-stamps.js'
import { assembleFull, assembleUpdate, recordedHashes } from './assemble.js'
import { currentManifest, pruneAbandoned, writeBuildReport, writeGeneration } from './generations.js'
import { analysedInWorkers, analyzeFiles, BuildWorkers } from './shard-workers.js'
import type { BuildOptions, BuildReport } from './build-options.js'
import { planUpdate, previousGeneration, unchangedReport, upToDate, type PreviousGeneration } from './update-plan.js'

export type { BuildOptions, BuildReport } from './build-options.js'

/**
 * Builds a complete index beside the current one and commits it by renaming its manifest into place.
 * If anything fails before that rename, the previous index is untouched.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  try {
    return await build(options)
  } catch (error) {
    throw IndexNotWrittenError.from(error, resolve(options.outDir)) ?? error
  }
}

async function build(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now()
  // Before any file is looked at: what the next update weighs this build's file stamps against.
  const checkedAt = Date.now()
  const postsDir = resolve(options.postsDir)
  const outDir = resolve(options.outDir)
  const firstBuild = !existsSync(outDir)
  refuseIndexFolder(outDir, postsDir)
  ensureWritableIndexFolder(outDir)
  refuseManifestFolder(outDir)
  const release = acquireBuildLock(outDir)
  let tail: BuildTail | null = null
  let failed = false
  let previous: PreviousGeneration | null = null
  // A full build reads every post it lists: once enough are found for workers, they are started, to
  // load their analyzer while the listing goes on (~0.25 s for 20,000 posts), not after it.
  let workers = null as BuildWorkers | null // set by onFound, during the listing
  const readsAll = options.full === true || firstBuild
  const onFound = (found: number) => {
    if (readsAll && workers === null && analysedInWorkers(found, options)) workers = new BuildWorkers(options)
  }
  try {
    const walk = await listPostFiles(postsDir, { indexDir: outDir, onFound })
    const found = options.full ? { why: 'a full build was asked for' } : previousGeneration(outDir, options.userDictionary ?? '')
    previous = 'index' in found ? found : null
    // An update compares content hashes before reading anything (reading only posts whose stamps changed);
    // a full build takes them from the workers' one read.
    const hashed = previous ? hashChanged(walk.files, previous) : null
    failpoint('after-walk')
    const plan = previous && hashed ? planUpdate(previous, walk.files, hashed.hashes) : null
    if (previous && hashed && plan && upToDate(previous, plan, walk.files, options.synonyms ?? '')) {
      // The index already is what a build would write: keep it, and only refresh the stamps.
      const generation = join(outDir, previous.index.manifest.generation)
      keptOnFullDisk(outDir, () => writeStamps(generation, { checkedAt, stamps: hashed.stamps }))
      // The same posts in a folder that moved: only the manifest changes, to say where they are now.
      if (previous.index.manifest.posts !== postsDir) writeManifest(outDir, { ...previous.index.manifest, posts: postsDir })
      const leftOver = pruneAbandoned(outDir, previous.index.manifest.generation)
      const report = unchangedReport(previous, plan, walk, (performance.now() - started) / 1000, outDir)
      // The folder's own skips and notes (a dangling link, an _drafts folder) may have changed all the same.
      keptOnFullDisk(outDir, () => writeBuildReport(generation, report))
      return { ...report, leftOver }
    }
    const toRead = plan ? walk.files.filter((_, i) => plan.changed[i]) : walk.files
    const dictionary = options.userDictionary ?? ''
    // The workers first: this thread makes the fold table while they load, and the tail is handed it,
    // with the ends of the channels the workers send it their grams over.
    const gramsPorts: MessagePort[] = []
    const analysis = analyzeFiles(toRead, options, gramsPorts, workers)
    analysis.catch(() => {}) // awaited just below; a failure meanwhile is not unhandled
    tail = startBuildTail(walk.files.length, dictionary, gramsPorts)
    const shards = await analysis
    failpoint('after-analysis')
    // The folder moved away, or swapped for another, while its posts were read: they read as vanished,
    // and committing would empty the index of posts that still exist. The next build reads it as it is then.
    if (folderIdentity(postsDir) !== walk.folder) throw new PostsFolderMovedError(postsDir)
    const { hashes, stamps: fileStamps } = recordedHashes(walk.files, plan?.changed ?? null, hashed, shards)
    const stamps = { checkedAt, stamps: fileStamps }
    const assembled = plan ? assembleUpdate(plan, walk.files, hashes, shards, tail, dictionary) : assembleFull(walk.files, hashes, shards, tail)
    // Awaited as the generation is written; a build refused before that must not leave them unhandled.
    assembled.grams.catch(() => {})
    assembled.titles.catch(() => {})
    const skipped = [...walk.skipped, ...assembled.skipped]
    const notes = [...walk.notes, ...assembled.notes]
    const documents = assembled.records.length
    // An index of nothing is refused (a mistyped folder must not empty an index), unless it is an update
    // of the folder the index was built from: its posts were deleted, and must not be found any more.
    if (documents === 0 && currentManifest(outDir)?.posts !== postsDir) {
      const why = skipped.length ? `all ${skipped.length} post file(s) were skipped (first: ${skipped[0]!.path}: ${skipped[0]!.reason})` : 'no .md, .markdown or .html files were found'
      throw new NothingToIndexError(`nothing to index in ${postsDir}: ${why}; the previous index, if any, is untouched`)
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
      ...(plan && { added: plan.added, changed: toRead.length - plan.added }),
      reused: plan ? plan.reused : 0,
      removed: assembled.removed ?? 0,
      written: true,
    }
  } catch (error) {
    failed = true
    throw error
  } finally {
    // Any not handed their files (the build failed first): they would keep the process alive.
    workers?.stop()
    await tail?.close()
    // index --watch builds again and again: the previous generation's file must not stay open until collected.
    previous?.index.close()
    release()
    // A first build that failed leaves no empty index folder behind.
    if (failed && firstBuild) removeIfEmpty(outDir)
  }
}

/**
 * A build the machine stopped, a full disk most often: the previous index is untouched, and the same
 * build may succeed once the trouble is over (a watch tries again by itself; `serve` serves the index
 * as it is). Node's own message (`ENOSPC: no space left on device, write`) names neither.
 */
export class IndexNotWrittenError extends Error {
  override name = 'IndexNotWrittenError'
  constructor(readonly indexDir: string, readonly code: string, readonly trouble: string) {
    super(`the index in ${indexDir} was not updated: ${trouble} (${code}); the previous index is untouched`)
  }

  /** `error` as one of these when it is trouble of the disk's or the system's, else null. */
  static from(error: unknown, indexDir: string): IndexNotWrittenError | null {
    const code = (error as NodeJS.ErrnoException | null)?.code
    const trouble = code === undefined ? undefined : SYSTEM_TROUBLE[code]
    return trouble === undefined ? null : new IndexNotWrittenError(indexDir, code!, trouble)
  }
}

const SYSTEM_TROUBLE: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EIO: 'the disk reported an input/output error',
  EMFILE: 'this process has too many files open',
  ENFILE: 'the system has too many files open',
  ENOMEM: 'the system is out of memory',
}

/**
 * Writes what an up-to-date index keeps beside it (file stamps, the build report): hints, not the index.
 * On a full disk the old ones stay (the next run hashes what changed since, and says again what it
 * skips), and the run still says, rightly, that the index is up to date.
 */
function keptOnFullDisk(outDir: string, write: () => void): void {
  try {
    write()
  } catch (error) {
    if (IndexNotWrittenError.from(error, outDir) === null) throw error
  }
}

/** A build abandoned because its posts folder was moved or replaced while it read the posts. */
export class PostsFolderMovedError extends Error {
  override name = 'PostsFolderMovedError'
  constructor(readonly postsDir: string) {
    super(`the posts folder ${postsDir} was moved away or replaced while the build read it; the index is untouched`)
  }
}

/** A build that found no post it could index: it would find none again until the posts change. */
export class NothingToIndexError extends Error {
  override name = 'NothingToIndexError'
}

/** Removes `dir` when it is empty, and leaves it as it is otherwise. */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // Not empty (or already gone): nothing of ours to remove.
  }
}
