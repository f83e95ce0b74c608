import { createHash } from 'node:crypto'
import { closeSync, fstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { MAX_POST_BYTES, POST_OPEN_FLAGS } from '../ingest/post-file.js'
import type { PostFile } from '../ingest/walk.js'
import type { SourceRecord } from './sources.js'
import { replaceFile } from './replace-file.js'

/*
 * What an update knows of a post file without reading it: its size, modification time and inode when
 * a build last hashed it. A file whose stamp is unchanged is taken to hold the bytes hashed then, as
 * make, git and rsync take it, so an update reads only the posts that changed: hashing the 100,000
 * posts of the bench's corpus reads 210 MB, 8 s once they have left the page cache.
 *
 * Only a file last modified well before the build that stamped it began is trusted: a change in the
 * same clock tick as the reading (coarse file-system clocks tick every few milliseconds, FAT's every
 * 2 s) would leave the time as it was. Stamps are a hint beside the generation, not part of it: the
 * manifest does not list them, and a missing or unreadable stamps file means hashing every post.
 */

/** A file's size, modification time and inode, as fstat/stat give them. */
export interface FileStamp {
  size: number
  mtimeMs: number
  ino: number
}

/** Beside build-report.json in a generation folder: deflated JSON (150 KB for the 20,007 shared posts). */
export const STAMPS_FILE = 'file-stamps.json.deflated'

/** How long before a build began a file must have been last modified for its stamp to be trusted. */
const RACY_MS = 2000

/** The stamps a generation keeps, one per source record (null: none taken), and when its build began. */
export interface GenerationStamps {
  checkedAt: number
  stamps: (FileStamp | null)[]
}

export function stampOf(stats: Stats): FileStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino }
}

/** Writes a generation's stamps; into a committed generation (an update with nothing to do), by renaming them into place. */
export function writeStamps(genDir: string, stamps: GenerationStamps): void {
  const { checkedAt } = stamps
  const column = (pick: (s: FileStamp) => number) => stamps.stamps.map((s) => (s ? pick(s) : null))
  const body = { checkedAt, size: column((s) => s.size), mtimeMs: column((s) => s.mtimeMs), ino: column((s) => s.ino) }
  replaceFile(join(genDir, STAMPS_FILE), deflateRawSync(JSON.stringify(body)))
}

/** The stamps of a generation with `count` source records; null when missing, damaged or not of that length. */
export function readStamps(genDir: string, count: number): GenerationStamps | null {
  try {
    const body = JSON.parse(inflateRawSync(readFileSync(join(genDir, STAMPS_FILE))).toString('utf8')) as { checkedAt: unknown; size: unknown; mtimeMs: unknown; ino: unknown }
    const { checkedAt, size, mtimeMs, ino } = body
    if (typeof checkedAt !== 'number' || ![size, mtimeMs, ino].every((c) => Array.isArray(c) && c.length === count)) return null
    const at = (c: unknown, i: number) => (c as unknown[])[i]
    const stamps = Array.from({ length: count }, (_, i): FileStamp | null => {
      const s = at(size, i), m = at(mtimeMs, i), n = at(ino, i)
      return typeof s === 'number' && typeof m === 'number' && typeof n === 'number' ? { size: s, mtimeMs: m, ino: n } : null
    })
    return { checkedAt, stamps }
  } catch {
    return null
  }
}

/** A post's SHA-1 and its stamp taken just before reading it (so a change after the stamp shows next time). */
export function hashFile(file: PostFile): { hash: string; stamp: FileStamp | null } {
  try {
    const fd = openSync(file.absPath, POST_OPEN_FLAGS)
    try {
      const stats = fstatSync(fd)
      // Replaced by a pipe or a device since the listing: the build reads it again and reports it.
      if (!stats.isFile()) return { hash: '', stamp: null }
      const stamp = stampOf(stats)
      // Skipped as too large whatever it holds, so it is not read: its stamp stands for its content,
      // hashed like one (the sources store hashes as SHA-1 bytes; any other text would be stored as none, a change every run).
      if (stats.size > MAX_POST_BYTES) return { hash: createHash('sha1').update(`too-large:${stamp.size}:${stamp.mtimeMs}:${stamp.ino}`).digest('hex'), stamp }
      return { hash: createHash('sha1').update(readFileSync(fd)).digest('hex'), stamp }
    } finally {
      closeSync(fd)
    }
  } catch {
    // Unreadable now: the build itself reports it.
    return { hash: '', stamp: null }
  }
}

/**
 * Today's files' hashes, read only for files whose stamp differs from the one the previous generation
 * took (or was not trusted); the others keep the previous hash. Returns the stamps to keep as well.
 */
export function hashChanged(files: PostFile[], previous: { sources: readonly SourceRecord[]; stamps: GenerationStamps | null }): { hashes: string[]; stamps: (FileStamp | null)[] } {
  const before = new Map<string, { record: SourceRecord; stamp: FileStamp | null }>()
  const trustedUntil = previous.stamps ? previous.stamps.checkedAt - RACY_MS : -Infinity
  previous.sources.forEach((record, i) => before.set(record.path, { record, stamp: previous.stamps?.stamps[i] ?? null }))
  const hashes: string[] = []
  const stamps: (FileStamp | null)[] = []
  for (const file of files) {
    const known = before.get(file.relPath)
    const now = known?.stamp && known.record.hash !== '' ? currentStamp(file) : null
    if (now && known?.stamp && sameStamp(now, known.stamp) && known.stamp.mtimeMs < trustedUntil) {
      hashes.push(known.record.hash)
      stamps.push(now)
      continue
    }
    const hashed = hashFile(file)
    hashes.push(hashed.hash)
    stamps.push(hashed.stamp)
  }
  return { hashes, stamps }
}

function currentStamp(file: PostFile): FileStamp | null {
  try {
    return stampOf(statSync(file.absPath))
  } catch {
    return null
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino
}
