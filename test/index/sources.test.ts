import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Manifest } from '../../src/index/manifest.js'
import { readSources, SOURCES, writeSources, type SourceRecord } from '../../src/index/sources.js'

const records: SourceRecord[] = [
  { path: 'news/2024-03-05-a1.md', id: '2024-03-05-a1', hash: 'a9993e364706816aba3e25717850c26c9cd0d89d', doc: 0 },
  // An id that is not the file name's stem (two files with one stem), and a note.
  {
    path: 'news/2024-03-05-a1.html',
    id: '2024-03-05-a1-2',
    hash: '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    doc: 1,
    notes: [{ path: 'news/2024-03-05-a1.html', code: 'title_from_body', message: '标题取自正文' }],
  },
  // Unreadable: no hash; skipped with a reason.
  { path: '草稿/未完成.md', id: '未完成', hash: '', doc: -1, skip: { code: 'unreadable', reason: 'EACCES' } },
]

function manifestFor(entry: Manifest['files'][string] | undefined): Manifest {
  return { format: 'jiansuo-index', version: 0, generation: 'gen-test', createdAt: '', analysis: '', documents: 2, files: entry ? { [SOURCES]: entry } : {} }
}

test('sources round-trip: hashes, document numbers, ids, skips and notes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-sources-'))
  try {
    const gen = join(dir, 'gen-test')
    mkdirSync(gen)
    const entry = writeSources(join(gen, SOURCES), records)
    assert.deepEqual(readSources(dir, manifestFor(entry)), records)
    // Not listed, or not matching its manifest entry: no sources (the build then reads everything).
    assert.equal(readSources(dir, manifestFor(undefined)), null)
    assert.equal(readSources(dir, manifestFor({ ...entry, crc32: entry.crc32 ^ 1 })), null)
    writeFileSync(join(gen, SOURCES), 'not a container')
    assert.equal(readSources(dir, manifestFor(entry)), null)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
