import { join } from 'node:path'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { IngestNote } from '../ingest/document.js'
import { Container, writeContainer } from './container.js'
import type { FileEntry, Manifest } from './manifest.js'

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

/**
 * Only incremental builds read this file, so it is stored small rather than quick to open (3.4 MB of
 * JSON → 0.8 MB on the 20,007 shared posts): hashes as 20 raw bytes, document numbers as integers, and
 * paths, ids, skips and notes as deflated JSON, an id left out when it is the file name's stem.
 */
export const SOURCES = 'sources.idx'

const FORMAT = 'jiansuo-sources'
const VERSION = 1
const HASH_BYTES = 20

interface SourcesMeta {
  format: typeof FORMAT
  version: number
  files: number
}

/** One file in the deflated JSON: path, id (0 when it is the stem of the path), skip, notes (0 when none). */
type Row = [path: string, id: string | 0, skip: SourceRecord['skip'] | 0, notes: IngestNote[] | 0]

function stem(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(0, dot) : name
}

export function writeSources(path: string, sources: readonly SourceRecord[]): FileEntry {
  const hashes = new Uint8Array(sources.length * HASH_BYTES)
  const docs = new Int32Array(sources.length)
  const rows = sources.map((s, i): Row => {
    // An unreadable file keeps an all-zero hash, which no file's SHA-1 will be.
    if (s.hash !== '') hashes.set(Buffer.from(s.hash, 'hex'), i * HASH_BYTES)
    docs[i] = s.doc
    return [s.path, s.id === stem(s.path) ? 0 : s.id, s.skip ?? 0, s.notes ?? 0]
  })
  const meta: SourcesMeta = { format: FORMAT, version: VERSION, files: sources.length }
  return writeContainer(path, meta, { hashes, docs, rows: deflateRawSync(JSON.stringify(rows)) })
}

/**
 * The previous generation's sources, checked against its manifest; null when they are missing, damaged
 * or of another format (the build then reads every post again).
 */
export function readSources(indexDir: string, manifest: Manifest): SourceRecord[] | null {
  const entry = manifest.files[SOURCES]
  if (!entry) return null
  try {
    const container = Container.open(join(indexDir, manifest.generation, SOURCES), entry)
    const meta = container.meta as Partial<SourcesMeta> | null
    if (meta?.format !== FORMAT || meta.version !== VERSION) return null
    const hashes = container.u8('hashes')
    const docs = container.i32('docs')
    const rows = JSON.parse(inflateRawSync(container.u8('rows')).toString('utf8')) as Row[]
    if (rows.length !== meta.files || docs.length !== rows.length || hashes.length !== rows.length * HASH_BYTES) return null
    return rows.map(([path, id, skip, notes], i) => {
      const hash = hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)
      const record: SourceRecord = {
        path,
        id: id === 0 ? stem(path) : id,
        hash: hash.some((b) => b !== 0) ? Buffer.from(hash).toString('hex') : '',
        doc: docs[i]!,
      }
      if (skip !== 0) record.skip = skip
      if (notes !== 0) record.notes = notes
      return record
    })
  } catch {
    return null
  }
}
