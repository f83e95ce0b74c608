import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { hashChanged, readStamps, stampOf, STAMPS_FILE, writeStamps, type GenerationStamps } from '../../src/index/file-stamps.js'
import type { SourceRecord } from '../../src/index/sources.js'
import type { PostFile } from '../../src/ingest/walk.js'

/*
 * An update reads only posts whose size, modification time or inode changed since the last build took
 * them, and only trusts a stamp when the file was modified well before that build began.
 */

const dir = mkdtempSync(join(tmpdir(), 'jiansuo-stamps-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')

/** A post written for this test, last modified `ageMs` ago. */
function post(name: string, text: string, ageMs: number): PostFile {
  const absPath = join(dir, name)
  writeFileSync(absPath, text)
  const then = (Date.now() - ageMs) / 1000
  utimesSync(absPath, then, then)
  return { absPath, relPath: name, id: name.replace(/\.md$/, '') }
}

/** The previous generation as an update sees it: each file's record and stamp, taken at `checkedAt`. */
function previousOf(files: PostFile[], checkedAt: number): { sources: SourceRecord[]; stamps: GenerationStamps } {
  return {
    sources: files.map((f, doc) => ({ path: f.relPath, id: f.id, hash: sha1(`${f.relPath} as first hashed`), doc })),
    stamps: { checkedAt, stamps: files.map((f) => stampOf(statSync(f.absPath))) },
  }
}

test('a file whose stamp is unchanged keeps its hash unread; a changed or new one is read', () => {
  const kept = post('kept.md', '---\ntitle: 旧闻\n---\n<p>一段旧文字。</p>\n', 3_600_000)
  const grown = post('grown.md', '---\ntitle: 长了\n---\n<p>原文。</p>\n', 3_600_000)
  const previous = previousOf([kept, grown], Date.now())
  writeFileSync(grown.absPath, '---\ntitle: 长了\n---\n<p>原文。</p>\n<p>补充的一段。</p>\n')
  const added = post('added.md', '---\ntitle: 新文\n---\n<p>新的。</p>\n', 3_600_000)
  const result = hashChanged([kept, grown, added], previous)
  // Not read: the hash is the one recorded, whatever the file holds.
  assert.equal(result.hashes[0], previous.sources[0]!.hash)
  assert.equal(result.hashes[1], sha1('---\ntitle: 长了\n---\n<p>原文。</p>\n<p>补充的一段。</p>\n'))
  assert.equal(result.hashes[2], sha1('---\ntitle: 新文\n---\n<p>新的。</p>\n'))
  assert.deepEqual(result.stamps.map((s) => s?.size), [kept, grown, added].map((f) => statSync(f.absPath).size))
})

test('an edit that keeps size and time is missed only when the time is well before the last build', () => {
  const text = '---\ntitle: 同样长\n---\n<p>甲乙丙。</p>\n'
  const old = post('old.md', text, 3_600_000)
  const recent = post('recent.md', text, 500)
  const previous = previousOf([old, recent], Date.now())
  // Same size, same time, other bytes (written in place, so the same inode).
  for (const f of [old, recent]) {
    const { mtime } = statSync(f.absPath)
    writeFileSync(f.absPath, text.replace('甲乙丙', '丁戊己'))
    utimesSync(f.absPath, mtime, mtime)
  }
  const result = hashChanged([old, recent], previous)
  assert.equal(result.hashes[0], previous.sources[0]!.hash, 'the old file is trusted, as make and git trust it')
  assert.equal(result.hashes[1], sha1(text.replace('甲乙丙', '丁戊己')), 'modified within 2 s of the last build: read again')
})

test('without the previous stamps every file is read', () => {
  const text = '---\ntitle: 甲\n---\n<p>甲。</p>\n'
  const a = post('a.md', text, 3_600_000)
  const { sources } = previousOf([a], Date.now())
  assert.deepEqual(hashChanged([a], { sources, stamps: null }).hashes, [sha1(text)])
})

test('stamps are kept beside a generation, and a damaged or mismatched file reads as none', () => {
  const gen = mkdtempSync(join(dir, 'gen-'))
  const stamps: GenerationStamps = { checkedAt: 1_700_000_000_000, stamps: [{ size: 10, mtimeMs: 1_600_000_000_123.5, ino: 42 }, null] }
  writeStamps(gen, stamps)
  assert.deepEqual(readStamps(gen, 2), stamps)
  assert.equal(readStamps(gen, 3), null, 'another number of files')
  writeFileSync(join(gen, STAMPS_FILE), '{"checkedAt":')
  assert.equal(readStamps(gen, 2), null)
  assert.equal(readStamps(join(dir, 'missing'), 2), null)
})

test('a file too large to be a post is not read to be hashed: its stamp stands for it', () => {
  const absPath = join(dir, 'huge.md')
  // Sparse: 2 GiB that take no room, and that readFileSync could not even hold in one buffer.
  writeFileSync(absPath, '')
  truncateSync(absPath, 2 ** 31)
  const file = { absPath, relPath: 'huge.md', id: 'huge' }
  const { hashes } = hashChanged([file], { sources: [], stamps: null })
  // A SHA-1's hex, which the sources store as bytes (other text was stored as none: a change every update).
  assert.match(hashes[0]!, /^[0-9a-f]{40}$/)
  assert.equal(hashChanged([file], { sources: [], stamps: null }).hashes[0], hashes[0], 'the same stamp, the same hash')
  truncateSync(absPath, 2 ** 31 + 1)
  assert.notEqual(hashChanged([file], { sources: [], stamps: null }).hashes[0], hashes[0])
  rmSync(absPath)
})
