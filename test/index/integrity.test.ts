import assert from 'node:assert/strict'
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { CorruptIndexError } from '../../src/index/container.js'
import { FORMAT_VERSION, MissingIndexError, OtherFormatError, readManifest, writeManifest } from '../../src/index/manifest.js'
import { SearchEngine } from '../../src/search/engine.js'
import { REPO_ROOT } from '../helpers/shared.js'

let work: string
let pristine: string

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-integrity-'))
  pristine = join(work, 'pristine')
  await buildIndex({ postsDir: join(REPO_ROOT, 'demo', 'posts'), outDir: pristine })
})

after(() => rmSync(work, { recursive: true, force: true }))

/** A fresh copy of the built index to damage. */
function copy(name: string): { dir: string; file: (f: string) => string } {
  const dir = join(work, name)
  cpSync(pristine, dir, { recursive: true })
  const gen = readManifest(dir).generation
  return { dir, file: (f) => join(dir, gen, f) }
}

const damaged = (file: string, detail: RegExp) => (error: unknown) => {
  assert.ok(error instanceof CorruptIndexError, `a CorruptIndexError, got ${String(error)}`)
  assert.ok(error.message.includes(file), `the message names ${file}: ${error.message}`)
  assert.match(error.message, detail)
  return true
}

test('the intact index loads', () => {
  assert.ok(SearchEngine.open(pristine).documentCount > 0)
})

test('a flipped byte is caught by the checksum, naming the file', () => {
  const { dir, file } = copy('flipped')
  const path = file('grams.idx')
  const bytes = readFileSync(path)
  bytes[Math.floor(bytes.length / 2)]! ^= 0xff
  writeFileSync(path, bytes)
  assert.throws(() => SearchEngine.open(dir), damaged('grams.idx', /checksum/))
})

test('a truncated or grown file is caught by its size', () => {
  const t = copy('truncated')
  truncateSync(t.file('words.idx'), statSync(t.file('words.idx')).size - 100)
  assert.throws(() => SearchEngine.open(t.dir), damaged('words.idx', /size/))
  const g = copy('grown')
  appendFileSync(g.file('docs.idx'), 'x')
  assert.throws(() => SearchEngine.open(g.dir), damaged('docs.idx', /size/))
})

test('a missing file, a broken manifest and a foreign format are clear errors', () => {
  const m = copy('missing')
  rmSync(m.file('docs.idx'))
  assert.throws(() => SearchEngine.open(m.dir), damaged('docs.idx', /cannot be read/))
  const b = copy('broken-manifest')
  writeFileSync(join(b.dir, 'manifest.json'), '{"format": "jiansuo-ind')
  assert.throws(() => SearchEngine.open(b.dir), damaged('manifest.json', /JSON/))
  const v = copy('future-version')
  const manifest = JSON.parse(readFileSync(join(v.dir, 'manifest.json'), 'utf8')) as { version: number }
  manifest.version = 999
  writeFileSync(join(v.dir, 'manifest.json'), JSON.stringify(manifest))
  // Not damaged but old (or new): said so, with the command that rebuilds it from the folder it names.
  assert.throws(() => SearchEngine.open(v.dir), (error: unknown) => {
    assert.ok(error instanceof OtherFormatError)
    assert.equal(error.message, `the index in ${v.dir} was written by another version of jiansuo (format 999, this one reads ${FORMAT_VERSION}): rebuild it with \`npx jiansuo index ${join(REPO_ROOT, 'demo', 'posts')} --out ${v.dir}\``)
    return true
  })
})

test('no index at all says how to build one', () => {
  assert.throws(() => SearchEngine.open(join(work, 'nothing-here')), (error: unknown) => {
    assert.ok(error instanceof MissingIndexError)
    assert.match((error as Error).message, /jiansuo index/)
    return true
  })
})

test('an index analysed differently is refused with a request to rebuild', () => {
  const a = copy('other-analysis')
  const manifest = JSON.parse(readFileSync(join(a.dir, 'manifest.json'), 'utf8')) as { analysis: string }
  manifest.analysis = 'some-older-chain'
  writeFileSync(join(a.dir, 'manifest.json'), JSON.stringify(manifest))
  assert.throws(() => SearchEngine.open(a.dir), /rebuild/)
})

test('a folder where the manifest goes stops a build before it reads a post, with a message saying what to remove, and leaves nothing behind', async () => {
  const dir = join(work, 'manifest-folder')
  mkdirSync(join(dir, 'manifest.json'), { recursive: true })
  await assert.rejects(buildIndex({ postsDir: join(REPO_ROOT, 'demo', 'posts'), outDir: dir }), /manifest\.json is a folder, where jiansuo keeps its index's manifest file: remove it/)
  assert.deepEqual(readdirSync(dir), ['manifest.json'])
})

test('another program\'s manifest.json in the index folder (a web app\'s) stops a build and is kept; a broken one of ours is built over', async () => {
  const dir = join(work, 'web-app')
  mkdirSync(dir)
  const theirs = '{"name": "My App", "icons": []}\n'
  writeFileSync(join(dir, 'manifest.json'), theirs)
  // It was replaced by the index's manifest ("the previous index could not be read").
  await assert.rejects(buildIndex({ postsDir: join(REPO_ROOT, 'demo', 'posts'), outDir: dir }), /manifest\.json is not a jiansuo index's manifest .*: write the index to a folder of its own/)
  assert.equal(readFileSync(join(dir, 'manifest.json'), 'utf8'), theirs)
  assert.deepEqual(readdirSync(dir), ['manifest.json'])
  const cut = copy('cut-short-manifest')
  writeFileSync(join(cut.dir, 'manifest.json'), '{"format": "jiansuo-ind')
  await buildIndex({ postsDir: join(REPO_ROOT, 'demo', 'posts'), outDir: cut.dir })
  assert.ok(SearchEngine.open(cut.dir).documentCount > 0)
})

test('a manifest that cannot be put in place leaves no temporary file beside it', () => {
  const dir = join(work, 'manifest-folder-at-commit')
  mkdirSync(join(dir, 'manifest.json'), { recursive: true })
  const manifest = readManifest(pristine)
  assert.throws(() => writeManifest(dir, manifest), /manifest\.json is a folder/)
  assert.deepEqual(readdirSync(dir), ['manifest.json'])
})
