// Given a folder for the index that is someone else's, a build refuses it before writing anything.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'
import { REPO_ROOT } from '../helpers/shared.js'

const BIN = join(REPO_ROOT, 'bin', 'jiansuo.js')
const DEMO = join(REPO_ROOT, 'demo', 'posts')
const work = mkdtempSync(join(tmpdir(), 'jiansuo-index-folder-'))
after(() => rmSync(work, { recursive: true, force: true }))

/** A folder under the work folder holding `files` (a name ending in / is a folder). */
function folder(name: string, files: string[]): string {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  for (const file of files) file.endsWith('/') ? mkdirSync(join(dir, file)) : writeFileSync(join(dir, file), 'mine\n')
  return dir
}

const OWN_FOLDER = /: write the index to a folder of its own \(--out for `index`, --index for `serve`; default index-data\)$/

test('a folder holding other files is refused, naming a few of them, and nothing is written there', async () => {
  const dir = folder('documents', ['taxes.pdf', 'photos/', 'notes.txt', 'a.doc', 'b.doc'])
  await assert.rejects(buildIndex({ postsDir: DEMO, outDir: dir }), (error: Error) => {
    assert.ok(error.message.startsWith(`the index folder ${dir} holds other files (a.doc, b.doc, notes.txt and 2 more), not an index`), error.message)
    assert.match(error.message, OWN_FOLDER)
    return true
  })
  assert.deepEqual(readdirSync(dir).sort(), ['a.doc', 'b.doc', 'notes.txt', 'photos', 'taxes.pdf'])
})

test('an empty folder, one holding only a README or hidden files, or what a killed build left is built into', async () => {
  const cases = [
    folder('empty', []),
    folder('readme', ['README.md', '.gitignore', '.DS_Store']),
    folder('killed', ['gen-mx15xe31-5ade6f/', 'manifest.json.tmp-4242']),
  ]
  for (const dir of cases) {
    await buildIndex({ postsDir: DEMO, outDir: dir })
    assert.ok(SearchEngine.open(dir).documentCount > 0, dir)
  }
})

test('an index folder of ours is built over whatever else the user keeps in it', async () => {
  const dir = folder('kept', [])
  await buildIndex({ postsDir: DEMO, outDir: dir })
  writeFileSync(join(dir, 'serve.sh'), '#!/bin/sh\n')
  await buildIndex({ postsDir: DEMO, outDir: dir, full: true })
  assert.ok(readdirSync(dir).includes('serve.sh'))
})

test('the root of the file system is refused before anything is written', async () => {
  // No posts: had the check failed, the build would stop at "nothing to index" with nothing left in /.
  const posts = folder('no-posts', [])
  await assert.rejects(buildIndex({ postsDir: posts, outDir: '/' }), /^Error: the index folder \/ is the root of the file system: write the index/)
})

test('the home folder is refused, even when empty', async () => {
  const home = folder('home', [])
  const before = process.env.HOME
  process.env.HOME = home
  try {
    await assert.rejects(buildIndex({ postsDir: DEMO, outDir: join(home, '.') }), (error: Error) => error.message === `the index folder ${home} is your home folder: write the index to a folder of its own (--out for \`index\`, --index for \`serve\`; default index-data)`)
  } finally {
    process.env.HOME = before
  }
  assert.deepEqual(readdirSync(home), [])
})

test('index --watch into a refused folder exits 1 at once rather than retrying the build every few seconds', () => {
  const dir = folder('watched-documents', ['notes.txt'])
  const r = spawnSync(process.execPath, [BIN, 'index', DEMO, '--out', dir, '--watch'], { encoding: 'utf8', timeout: 30_000 })
  assert.equal(r.status, 1, r.stderr)
  assert.match(r.stderr, /holds other files \(notes\.txt\), not an index/)
  assert.doesNotMatch(r.stderr, /watching/)
  assert.deepEqual(readdirSync(dir), ['notes.txt'])
})

test('serve refuses to build the demo posts into a folder of other files', () => {
  const dir = folder('served-documents', ['notes.txt'])
  const r = spawnSync(process.execPath, [BIN, 'serve', '--index', dir, '--host', '127.0.0.1', '--port', '0', '--workers', '0'], { encoding: 'utf8', timeout: 60_000 })
  assert.equal(r.status, 1, r.stderr)
  assert.match(r.stderr, /holds other files \(notes\.txt\), not an index/)
  assert.deepEqual(readdirSync(dir), ['notes.txt'])
})

test('an index folder inside the posts folder (`index .` of a site, index-data by default) is passed over with a note, its README not read as a post', async () => {
  const posts = folder('site', [])
  writeFileSync(join(posts, '2024-06-01-note.md'), '---\ntitle: 札记\ndate: 2024-06-01\n---\n<p>湖滨公园开放。</p>\n')
  const out = folder('site/index-data', ['README.md'])
  const report = await buildIndex({ postsDir: posts, outDir: out })
  assert.equal(report.documents, 1)
  assert.deepEqual(report.notes.map((n) => [n.path, n.code]), [['index-data', 'index_folder']])
  // Built again over its own files, it still finds only the post.
  assert.equal((await buildIndex({ postsDir: posts, outDir: out, full: true })).documents, 1)
})
