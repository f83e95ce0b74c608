import { createHash } from 'node:crypto'
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

/** Content hashes of the listed files ('' for one that cannot be read now: the build itself reports it). */
export function hashFiles(files: PostFile[]): string[] {
  return files.map((file) => {
    try {
      return createHash('sha1').update(readFileSync(file.absPath)).digest('hex')
    } catch {
      return ''
    }
  })
}

export function readSources(genDir: string): SourceRecord[] | null {
  try {
    const parsed = JSON.parse(readFileSync(join(genDir, SOURCES), 'utf8')) as unknown
    return Array.isArray(parsed) ? (parsed as SourceRecord[]) : null
  } catch {
    return null
  }
}
