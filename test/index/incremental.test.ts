import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { appendFileSync, chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { readManifest } from '../../src/index/manifest.js'
import { SearchEngine } from '../../src/search/engine.js'
import { sharedDir, SKIP_NO_SHARED } from '../helpers/shared.js'

let work: string | null = null

/** A sample of the shared corpus: every finews and weekly post and the first 1,500 news posts. */
before(() => {
  const shared = sharedDir()
  if (!shared) return
  work = mkdtempSync(join(tmpdir(), 'jiansuo-incremental-'))
  for (const folder of ['finews', 'weekly', 'xwlb']) {
    const files = readdirSync(join(shared, 'corpus', folder)).sort()
    mkdirSync(join(work, 'posts', folder), { recursive: true })
    for (const f of folder === 'xwlb' ? files.slice(0, 1500) : files) cpSync(join(shared, 'corpus', folder, f), join(work, 'posts', folder, f))
  }
})

after(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

function answers(indexDir: string, queries: string[]): unknown {
  const engine = SearchEngine.open(indexDir)
  return queries.map((q) => {
    const r = engine.search({ q, page: 1, size: 10 })
    return { total: r.total, hits: r.hits.map((h) => [h.id, h.score, h.snippet_html]) }
  })
}

test('an incremental build after adds, edits and deletes equals a full build, byte for byte', async (t) => {
  if (!work) return t.skip(SKIP_NO_SHARED)
  const posts = join(work, 'posts')
  const index = join(work, 'index')
  writeFileSync(join(posts, 'xwlb', 'zz-broken.md'), Buffer.from([0, 1, 2, 3])) // skipped in every build
  const first = await buildIndex({ postsDir: posts, outDir: index })
  assert.equal(first.mode, 'full')
  assert.equal(first.fullBecause, 'there was no index yet')

  const news = join(posts, 'xwlb')
  const names = readdirSync(news).sort()
  for (const f of names.slice(10, 20)) rmSync(join(news, f)) // deleted
  for (const f of names.slice(100, 120)) appendFileSync(join(news, f), '\n<p>补充报道：崭新的段落只在更新后出现。</p>\n') // edited
  const template = readFileSync(join(news, names[200]!), 'utf8')
  for (let i = 1; i <= 5; i++) writeFileSync(join(news, `2099-01-0${i}-added${i}.md`), template.replace(/title: "/, `title: "新增报道${i} `)) // added
  writeFileSync(join(news, 'broken.md'), Buffer.from([0, 1, 2, 3])) // a new file that is skipped
  const weekly = join(posts, 'weekly')
  const w = readdirSync(weekly).sort()[3]!
  cpSync(join(weekly, w), join(weekly, 'renamed-' + w)) // same content under a new path
  rmSync(join(weekly, w))

  const update = await buildIndex({ postsDir: posts, outDir: index })
  assert.equal(update.mode, 'incremental')
  assert.equal(update.fullBecause, undefined)
  assert.equal(update.reprocessed, 20 + 5 + 1 + 1)
  // New paths (the added posts, the new broken file, the renamed post) apart from the 20 edited posts.
  assert.deepEqual([update.added, update.changed], [5 + 1 + 1, 20])
  // The deleted posts and the renamed one's old path; the 20 edited posts were read again, not removed.
  assert.equal(update.removed, 10 + 1)
  assert.ok(update.skipped.some((s) => s.path === 'xwlb/broken.md'))

  const full = await buildIndex({ postsDir: posts, outDir: join(work, 'full') })
  assert.equal(full.mode, 'full')
  const a = readManifest(index)
  const b = readManifest(join(work, 'full'))
  assert.deepEqual(Object.keys(a.files).sort(), Object.keys(b.files).sort())
  for (const name of Object.keys(b.files)) assert.deepEqual(a.files[name], b.files[name], `${name} is identical`)
  // The report too, in the same order: kept entries are not listed before the new ones.
  assert.deepEqual([update.skipped, update.notes], [full.skipped, full.notes])
  assert.equal(readFileSync(join(index, update.generation, 'build-report.json'), 'utf8'), readFileSync(join(work, 'full', full.generation, 'build-report.json'), 'utf8'))

  const queries = ['崭新的段落', '新增报道3', '长江 禁渔', 'Rust', '红旗区 断头路', '国内联播快讯']
  assert.deepEqual(answers(index, queries), answers(join(work, 'full'), queries))
  assert.equal(SearchEngine.open(index).search({ q: '崭新的段落', page: 1, size: 50 }).total, 20)

  // Nothing changed: nothing is read again, and the index is kept as it is.
  const idle = await buildIndex({ postsDir: posts, outDir: index })
  assert.equal(idle.mode, 'incremental')
  assert.equal(idle.reprocessed, 0)
  assert.deepEqual([idle.added, idle.changed], [0, 0])
  assert.equal(idle.documents, full.documents)
  assert.deepEqual(idle.skipped, update.skipped)
  assert.equal(idle.terms, update.terms)
  assert.equal(idle.generation, update.generation, 'no new generation is written')
  assert.equal(idle.written, false)
  assert.equal(update.written, true)
  assert.deepEqual(readManifest(index), a)

  // The folder's own skips can change with no post changing (a dangling link): the report on disk says so.
  symlinkSync(join(work, 'no-such-post.md'), join(posts, 'dangling.md'))
  const dangling = await buildIndex({ postsDir: posts, outDir: index })
  assert.equal(dangling.written, false)
  const stored = JSON.parse(readFileSync(join(index, dangling.generation, 'build-report.json'), 'utf8')) as { skipped: { path: string }[] }
  assert.deepEqual(stored.skipped, JSON.parse(JSON.stringify(dangling.skipped)))
  assert.ok(stored.skipped.some((s) => s.path === 'dangling.md'))
  rmSync(join(posts, 'dangling.md'))

  // Synonyms are part of the index: changed, they are written though no post changed.
  const synonyms = await buildIndex({ postsDir: posts, outDir: index, synonyms: '禁渔, 休渔' })
  assert.equal(synonyms.reprocessed, 0)
  assert.notEqual(synonyms.generation, update.generation)
  assert.equal(SearchEngine.open(index).index.synonyms, '禁渔, 休渔')

  // The same posts in a folder that moved: nothing is read or written again but the manifest, which
  // names the new folder (a later jiansuo rebuilds from it).
  const moved = join(work, 'posts-moved')
  renameSync(posts, moved)
  try {
    const relocated = await buildIndex({ postsDir: moved, outDir: index, synonyms: '禁渔, 休渔' })
    assert.equal(relocated.reprocessed, 0)
    assert.equal(relocated.written, false)
    assert.equal(relocated.generation, synonyms.generation, 'no new generation is written')
    assert.equal(readManifest(index).posts, resolve(moved))
    assert.equal(readManifest(index).generation, synonyms.generation)
  } finally {
    renameSync(moved, posts)
  }
})

test('a post too large to index is skipped each time, but does not make every update write a new index', async () => {
  const base = mkdtempSync(join(tmpdir(), 'jiansuo-too-large-'))
  try {
    const posts = join(base, 'posts')
    mkdirSync(posts)
    for (const name of ['2024-07-01-a', '2024-07-02-b']) writeFileSync(join(posts, `${name}.md`), `---\ntitle: 篇目${name}\n---\n<p>湖边新修了步道。</p>\n`)
    writeFileSync(join(posts, '2024-07-03-huge.md'), `---\ntitle: 太长\n---\n<p>${'长'.repeat(3_000_000)}</p>\n`)
    const options = { postsDir: posts, outDir: join(base, 'index'), workers: 1 }
    const first = await buildIndex(options)
    assert.deepEqual(first.skipped.map((s) => [s.path, s.code]), [['2024-07-03-huge.md', 'too_large']])
    const again = await buildIndex(options)
    assert.deepEqual(
      { written: again.written, reprocessed: again.reprocessed, same: again.generation === first.generation, skipped: again.skipped.map((s) => s.path) },
      { written: false, reprocessed: 0, same: true, skipped: ['2024-07-03-huge.md'] },
    )
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
})

test('a post the build cannot read is skipped each time, but does not make every update write a new index', (t) => {
  const base = mkdtempSync(join(tmpdir(), 'jiansuo-unreadable-'))
  try {
    chmodSync(base, 0o777)
    const posts = join(base, 'posts')
    mkdirSync(posts)
    for (const name of ['2024-07-01-a', '2024-07-02-b']) writeFileSync(join(posts, `${name}.md`), `---\ntitle: 篇目${name}\n---\n<p>湖边新修了步道。</p>\n`)
    writeFileSync(join(posts, '2024-07-03-secret.md'), '---\ntitle: 读不到\n---\n<p>正文。</p>\n')
    chmodSync(posts, 0o777)
    chmodSync(join(posts, '2024-07-03-secret.md'), 0o000)
    const build = new URL('../../src/index/build.js', import.meta.url).href
    const script = `
      const { buildIndex } = await import(${JSON.stringify(build)})
      const options = { postsDir: ${JSON.stringify(posts)}, outDir: ${JSON.stringify(join(base, 'index'))}, workers: 1 }
      const first = await buildIndex(options)
      const again = await buildIndex(options)
      console.log(JSON.stringify({ skipped: first.skipped.map((s) => s.path), again: { written: again.written, reprocessed: again.reprocessed, same: again.generation === first.generation, skipped: again.skipped.map((s) => s.path) } }))`
    // Root reads any file: the builds run as nobody, for whom the post is unreadable.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
    const seen = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', ...asNobody })) as {
      skipped: string[]
      again: { written: boolean; reprocessed: number; same: boolean; skipped: string[] }
    }
    if (seen.skipped.length === 0) return t.skip('this user can read a file of mode 000')
    assert.deepEqual(seen.skipped, ['2024-07-03-secret.md'])
    assert.deepEqual(seen.again, { written: false, reprocessed: 0, same: true, skipped: ['2024-07-03-secret.md'] })
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
})
