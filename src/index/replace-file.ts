import { renameSync, rmSync, writeFileSync } from 'node:fs'

/**
 * Replaces the file at `path` whole (written beside it, then renamed over it): a reader sees the old
 * file or the new one, never half of one. A write that fails (a full disk) leaves nothing beside it.
 */
export function replaceFile(path: string, data: string | Uint8Array): void {
  const aside = `${path}.tmp`
  try {
    writeFileSync(aside, data)
    renameSync(aside, path)
  } catch (error) {
    rmSync(aside, { force: true })
    throw error
  }
}
