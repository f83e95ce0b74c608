import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Sum of the sizes of every file under `dir` (what an index takes on disk, before block rounding). */
export function directoryBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) total += directoryBytes(path)
    else if (entry.isFile()) total += statSync(path).size
  }
  return total
}
