// A posts folder moved away (a deploy swapping folders) while a build reads it: the build must not
// commit an index emptied of posts that still exist, and a later build must pick them all up.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, test } from 'node:test'
import { buildIndex, PostsFolderMovedError } from '../../src/index/build.js'
import { onFailpoint } from '../../src/index/failpoint.js'
import { readManifest } from '../../src/index/manifest.js'
import { SearchEngine } from '../../src/search/engine.js'

let work = ''
let posts = ''
let away = ''
let index = ''

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-moved-'))
  posts = join(work, 'posts')
  away = join(work, 'posts-away')
  index = join(work, 'index')
  mkdirSync(posts)
})

afterEach(() => {
  onFailpoint(null)
  rmSync(work, { recursive: true, force: true })
})

function writePosts(from: number, count: number): void {
  for (let n = from; n < from + count; n++) {
    writeFileSync(join(posts, `2025-03-${String(1 + (n % 28)).padStart(2, '0')}-p${n}.md`), `---\ntitle: 第${n}篇搬家测试\ndate: 2025-03-01\n---\n<p>口令搬家${n}号出现在正文里。</p>\n`)
  }
}

/** Moves the posts folder away once the build has listed it, before any post is read. */
function moveAwayAfterListing(): void {
  onFailpoint((name) => {
    if (name === 'after-walk') renameSync(posts, away)
  })
}

function found(q: string): number {
  const engine = SearchEngine.open(index)
  try {
    return engine.search({ q, page: 1, size: 10 }).total
  } finally {
    engine.close()
  }
}

test('an update whose posts folder is moved away mid-build is abandoned, and the index keeps every document', async () => {
  writePosts(0, 3)
  await buildIndex({ postsDir: posts, outDir: index, workers: 0 })
  writePosts(3, 2)
  const before = readManifest(index).generation
  moveAwayAfterListing()
  await assert.rejects(buildIndex({ postsDir: posts, outDir: index, workers: 0 }), (error: unknown) => {
    assert.ok(error instanceof PostsFolderMovedError)
    assert.match(error.message, /was moved away or replaced while the build read it; the index is untouched/)
    return true
  })
  onFailpoint(null)
  assert.equal(readManifest(index).generation, before, 'nothing was committed')
  assert.equal(found('搬家测试'), 3)

  renameSync(away, posts)
  const report = await buildIndex({ postsDir: posts, outDir: index, workers: 0 })
  assert.equal(report.documents, 5)
  assert.equal(found('搬家测试'), 5)
})

test('a first build whose posts folder is replaced mid-build writes nothing', async () => {
  writePosts(0, 3)
  onFailpoint((name) => {
    if (name !== 'after-walk') return
    renameSync(posts, away)
    mkdirSync(posts) // another folder at the same path: its posts are not the ones listed
  })
  await assert.rejects(buildIndex({ postsDir: posts, outDir: index, workers: 0 }), PostsFolderMovedError)
  assert.throws(() => readManifest(index))
})
