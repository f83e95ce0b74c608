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
