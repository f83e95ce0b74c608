import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IngestNote } from '../ingest/document.js'
import type { PostFile } from '../ingest/walk.js'

/** What a generation remembers of each post file, so the next build can tell what changed. */
export interface SourceRecord {
  path: string
  id: string
  /** SHA-1 of the file's bytes; '' when it could not be read. */
  hash: string
  /** The document number it became, or -1 when it was skipped. */
  doc: number
  skip?: { code: string; reason: string }
  notes?: IngestNote[]
}

export const SOURCES = 'sources.json'

/** Content hashes of the listed files, read a few at a time. */
export async function hashFiles(files: PostFile[]): Promise<string[]> {
  const hashes = new Array<string>(files.length).fill('')
  let next = 0
  const worker = async () => {
    while (next < files.length) {
      const i = next++
      try {
        hashes[i] = createHash('sha1').update(await readFile(files[i]!.absPath)).digest('hex')
      } catch {
        hashes[i] = '' // unreadable now: it will be re-read, and reported, by the build itself
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  return hashes
}

export function readSources(genDir: string): SourceRecord[] | null {
  try {
    const parsed = JSON.parse(readFileSync(join(genDir, SOURCES), 'utf8')) as unknown
    return Array.isArray(parsed) ? (parsed as SourceRecord[]) : null
  } catch {
    return null
  }
}
