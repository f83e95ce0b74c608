import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

const LOCK = '.build.lock'

/**
 * One build at a time per index folder: a second build could otherwise remove the first one's
 * half-written generation while pruning. A lock left by a killed build (its process is gone) is taken over.
 */
export function acquireBuildLock(indexDir: string): () => void {
  const path = join(indexDir, LOCK)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(path, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(readFileSafe(path))
      if (owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(`another jiansuo build (process ${owner}) is writing ${indexDir}; wait for it to finish`)
      }
      rmSync(path, { force: true })
    }
  }
  throw new Error(`could not lock ${indexDir} for building`)
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
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
