import { randomBytes } from 'node:crypto'
import { accessSync, constants, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ensureDir, refuseFolderAt } from './manifest.js'

const LOCK = '.build.lock'

/** Another build holds the index folder: not a fault of this build, which can simply try again when that one is done. */
export class BuildLockedError extends Error {
  /** Who holds it, as a clause a caller can go on from ("another jiansuo build (process 42) is writing index-data"). */
  readonly holding: string
  constructor(readonly pid: number, indexDir: string) {
    const holding = `another jiansuo build (process ${pid}) is writing ${indexDir}`
    super(`${holding}; wait for it to finish`)
    this.name = 'BuildLockedError'
    this.holding = holding
  }
}

/**
 * The index folder cannot be written (a read-only mount, as a hardened service has it, or another user's
 * folder): no build can happen there, though the index it holds can still be served.
 */
export class IndexFolderNotWritableError extends Error {
  /** Why, in a user's words: `permission denied`, `a read-only file system`. */
  readonly reason: string
  constructor(readonly indexDir: string, code: string) {
    const reason = code === 'EROFS' ? 'a read-only file system' : 'permission denied'
    super(`cannot write into the index folder ${indexDir} (${reason}): build into a folder you may write (--out), or as its owner`)
    this.name = 'IndexFolderNotWritableError'
    this.reason = reason
  }
}

/** Creates the index folder if need be, and refuses one this process may not write into before anything is read. */
export function ensureWritableIndexFolder(indexDir: string): void {
  try {
    ensureDir(indexDir)
    accessSync(indexDir, constants.W_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new IndexFolderNotWritableError(indexDir, code)
    // `--out notes.txt/index`: mkdir's ENOTDIR names neither the path at fault nor what to do.
    if (code === 'ENOTDIR') throw new Error(`the index folder ${indexDir} cannot be made: part of its path is a file, not a folder`)
    throw error
  }
}

/** Who holds a lock: a process, told apart from a later one given the same pid by when it started. */
interface Holder {
  pid: number
  /** The process's start time as /proc gives it (Linux), or null where there is no /proc. */
  started: string | null
  /** This hold alone: a lock is released, or taken over, only by comparing it. */
  token: string
}

/**
 * One build at a time per index folder: a second build could otherwise remove the first one's
 * half-written generation while pruning. The lock file appears whole (written aside, then linked into
 * place, which fails if one exists), names its holder, and is released only by that holder. A lock
 * whose holder is gone (killed; or its pid now belongs to another process) is removed under a guard
 * (see takeOver), and the builds that saw it race to lock again: one wins, the others are refused.
 */
export function acquireBuildLock(indexDir: string): () => void {
  const path = join(indexDir, LOCK)
  const me: Holder = { pid: process.pid, started: startTime(process.pid), token: randomBytes(8).toString('hex') }
  const mine = JSON.stringify(me)
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, mine)) return () => releaseIfMine(path, me.token)
    const text = readFileSafe(path)
    if (text === null) {
      refuseFolderAt(path, 'build lock')
      continue // released meanwhile: try again
    }
    const holder = parseHolder(text)
    if (holder && holder.token !== me.token && isHeld(holder)) {
      throw new BuildLockedError(holder.pid, indexDir)
    }
    takeOver(path, text, me)
  }
  throw new Error(`could not lock ${indexDir} for building: other builds keep taking the lock`)
}

/** Creates the lock holding `content` in one step; false when a lock exists. */
function tryCreate(path: string, content: string): boolean {
  const aside = `${path}.${randomBytes(6).toString('hex')}`
  try {
    // Inside the try: on a full disk the file is made but not written, and must not be left behind.
    writeFileSync(aside, content)
    linkSync(aside, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return false
  } finally {
    rmSync(aside, { force: true })
  }
}

/**
 * Removes the stale lock whose text was `seen`, if it is still there. Only a build holding the guard
 * file may remove a lock it did not take: without it, a build that read the stale lock could remove it
 * after another build had removed it and locked, taking that build's fresh lock away (two builds
 * then each held "the" lock). Under the guard no one else removes the lock, and no lock can be created
 * while the stale one is in place, so a lock that still reads as `seen` is the stale one.
 */
function takeOver(path: string, seen: string, me: Holder): void {
  const guard = `${path}.takeover`
  for (let tries = 0; !tryCreate(guard, JSON.stringify(me)); tries++) {
    if (tries === GUARD_TRIES) throw new Error(`could not lock ${dirname(path)} for building: ${guard} stays in the way`)
    const text = readFileSafe(guard)
    if (text === null) {
      refuseFolderAt(guard, 'build lock guard')
      continue // released meanwhile
    }
    const holder = parseHolder(text)
    // Left by a build that died between reading a lock and removing it: nobody else will remove it.
    if (holder === null || !isHeld(holder)) rmSync(guard, { force: true })
    else pause(GUARD_PAUSE_MS)
  }
  try {
    if (readFileSafe(path) === seen) rmSync(path, { force: true })
  } finally {
    releaseIfMine(guard, me.token)
  }
}

/** How often, and how many milliseconds apart, a build asks for the guard another build holds: its hold lasts a read and a remove. */
const GUARD_TRIES = 400
const GUARD_PAUSE_MS = 5

/** Blocks this thread for `ms` (the lock is taken synchronously, before a build starts). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function releaseIfMine(path: string, token: string): void {
  if (parseHolder(readFileSafe(path) ?? '')?.token === token) rmSync(path, { force: true })
}

/** Whether the holder's process is still the one that locked. */
function isHeld(holder: Holder): boolean {
  if (!isAlive(holder.pid)) return false
  const started = startTime(holder.pid)
  return holder.started === null || started === null || started === holder.started
}

/** A lock's holder; null for a lock of an older jiansuo (a bare pid) or damaged text, which is checked by pid alone. */
function parseHolder(text: string): Holder | null {
  try {
    const value = JSON.parse(text) as Partial<Holder>
    if (typeof value.pid === 'number' && typeof value.token === 'string') return { pid: value.pid, token: value.token, started: typeof value.started === 'string' ? value.started : null }
  } catch {
    // Not JSON: an older lock's pid.
  }
  const pid = Number(text.trim())
  return Number.isInteger(pid) && pid > 0 ? { pid, started: null, token: '' } : null
}

/** Field 22 of /proc/<pid>/stat, the start time in clock ticks since boot; null without /proc. */
function startTime(pid: number): string | null {
  const stat = readFileSafe(`/proc/${pid}/stat`)
  if (stat === null) return null
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return fields[19] ?? null
}

function readFileSafe(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
