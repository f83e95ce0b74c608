import { closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs'
import { open } from 'node:fs/promises'
import { MAX_POST_BYTES, POST_OPEN_FLAGS, tooLargeReason } from './post-file.js'
import type { Document, IngestNote, IngestResult } from './document.js'
import { parsePost } from './parse-post.js'
import { listPostFiles, type PostFile, type WalkResult } from './walk.js'

/**
 * Reads one listed post from disk and parses it. A file that cannot be read is skipped as `unreadable`
 * (`vanished` when it is gone since the listing); one over {@link MAX_POST_BYTES} as `too_large`, without
 * reading it. Never rejects.
 */
export async function readPost(file: PostFile): Promise<IngestResult> {
  const skipped = (code: string, reason: string): IngestResult => ({ kind: 'skipped', path: file.relPath, code, reason })
  try {
    const handle = await open(file.absPath, POST_OPEN_FLAGS)
    try {
      const stats = await handle.stat()
      if (!stats.isFile()) return skipped('not_a_file', 'not a regular file')
      if (stats.size > MAX_POST_BYTES) return skipped('too_large', tooLargeReason(stats.size))
      return parsePost(await handle.readFile(), file)
    } finally {
      await handle.close()
    }
  } catch (err) {
    return unreadable(file, err)
  }
}

/**
 * Why a listed post could not be read: gone since the listing (renamed or deleted while the build ran,
 * which the next update reads as it is) is not a permission problem to look into.
 */
function unreadable(file: PostFile, err: unknown): Extract<IngestResult, { kind: 'skipped' }> {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
    return { kind: 'skipped', path: file.relPath, code: 'vanished', reason: 'deleted or renamed after the folder was listed; the next update reads the folder as it is then' }
  }
  return { kind: 'skipped', path: file.relPath, code: 'unreadable', reason: `cannot read the file: ${readError(err)}` }
}

/** readPost without the event loop, for build workers that read thousands of files back to back. */
export function readPostSync(file: PostFile): IngestResult {
  const read = readPostBytesSync(file)
  return read.kind === 'bytes' ? parsePost(read.bytes, file) : read
}

/**
 * The bytes of a listed post, with the file's stats taken just before reading them, or why they are not
 * read: the first half of {@link readPostSync}, for callers that also hash them.
 */
export function readPostBytesSync(file: PostFile): { kind: 'bytes'; bytes: Buffer; stats: Stats } | Extract<IngestResult, { kind: 'skipped' }> {
  const skipped = (code: string, reason: string) => ({ kind: 'skipped' as const, path: file.relPath, code, reason })
  try {
    const fd = openSync(file.absPath, POST_OPEN_FLAGS)
    try {
      const stats = fstatSync(fd)
      if (!stats.isFile()) return skipped('not_a_file', 'not a regular file')
      if (stats.size > MAX_POST_BYTES) return skipped('too_large', tooLargeReason(stats.size))
      return { kind: 'bytes', bytes: readFileSync(fd), stats }
    } finally {
      closeSync(fd)
    }
  } catch (err) {
    return unreadable(file, err)
  }
}

/** Every post of a folder, read one after another: what the index build does, without workers. */
export interface FolderIngest {
  documents: Document[]
  skipped: WalkResult['skipped']
  notes: IngestNote[]
}

/**
 * Lists and reads every post under `root` (see {@link listPostFiles} and {@link readPostSync}). Each post
 * is read synchronously, as the build's workers read them, and the event loop gets a turn between
 * posts: an asynchronous read's round trips through the thread pool cost about three times the parsing
 * itself (20,007 shared posts: 7.2 s against 1.3 s).
 */
export async function ingestFolder(root: string): Promise<FolderIngest> {
  const walk = await listPostFiles(root)
  const result: FolderIngest = { documents: [], skipped: [...walk.skipped], notes: [...walk.notes] }
  for (const file of walk.files) {
    await new Promise<void>((resolve) => setImmediate(resolve))
    const outcome = readPostSync(file)
    if (outcome.kind === 'document') {
      result.documents.push(outcome.document)
      for (const note of outcome.notes) result.notes.push(note)
    } else {
      result.skipped.push({ path: outcome.path, code: outcome.code, reason: outcome.reason })
    }
  }
  return result
}

/** An error reading a file as one line that names its code once (Node's messages begin with it: `ENOENT: no such file …`). */
function readError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const code = err instanceof Error && 'code' in err ? String(err.code) : ''
  return code && !message.startsWith(code) ? `${code}: ${message}` : message
}
