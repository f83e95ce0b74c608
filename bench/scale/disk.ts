import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Bytes per file name under `dir` (sub-folders included, same names added up): what an index is made of. */
export function bytesByName(dir: string, into: Record<string, number> = {}): Record<string, number> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) bytesByName(path, into)
    else if (entry.isFile()) into[entry.name] = (into[entry.name] ?? 0) + statSync(path).size
  }
  return into
}

/** Bytes of every file under `dir`. */
export function folderBytes(dir: string): number {
  return Object.values(bytesByName(dir)).reduce((sum, n) => sum + n, 0)
}

/**
 * Writes the file system's pending writes to disk (`sync`), so that the bench's own writes (the generated
 * posts, parsed documents, an index just built, the edited copy) are not flushed during the next timed
 * phase: half a gigabyte still dirty took a 20k build from ~8.5 to 11.1 s here, its CPU time too. Where
 * there is no `sync` command, nothing is done.
 */
export function flushWrites(): void {
  try {
    execFileSync('sync', { stdio: 'ignore', timeout: 120_000 })
  } catch {
    // No sync command (or it failed): the timings may then include some writeback.
  }
}
