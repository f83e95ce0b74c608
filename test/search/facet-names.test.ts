// A category or tag typed in a query, or passed as a parameter, names the value spelled so; failing that,
// every value equal to it but for case and character width.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'

let work: string
let engine: SearchEngine

const post = (name: string, categories: string, tags: string) =>
  writeFileSync(
    join(work, 'posts', `${name}.md`),
    `---\ntitle: "湖边公园 ${name}"\ndate: 2024-05-0${name.slice(-1)} 09:00:00 +0800\ncategories: [${categories}]\ntags: [${tags}]\n---\n<p>湖边公园完成改造。</p>\n`,
  )

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-facet-names-'))
  mkdirSync(join(work, 'posts'))
  post('2024-05-01-1', 'XinXiang', 'AI')
  post('2024-05-01-2', 'xinxiang', 'ai')
  post('2024-05-01-3', 'zhengzhou', 'ＡＩ')
  post('2024-05-01-4', 'zhengzhou', '城建')
  writeFileSync(join(work, 'posts', 'river.md'), '---\ntitle: 河道治理\ndate: 2024-05-06\ntags: [环境监测]\n---\n<p>河道治理完成。</p>\n')
  // A year typed short (99 for 1999): its facet must still be a year the date filters take.
  writeFileSync(join(work, 'posts', 'old.md'), '---\ntitle: 古籍整理\ndate: 0099-01-01\n---\n<p>古籍整理的年份写错了。</p>\n')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index') })
  engine = SearchEngine.open(join(work, 'index'))
})

after(() => rmSync(work, { recursive: true, force: true }))

const ids = (q: string, given: { category?: string; tag?: string } = {}) =>
  engine
    .search({ q, page: 1, size: 10, ...given })
    .hits.map((h) => h.id)
    .sort()

test('a value spelled exactly names that value alone', () => {
  assert.deepEqual(ids('公园 category:XinXiang'), ['2024-05-01-1'])
  assert.deepEqual(ids('公园', { category: 'xinxiang' }), ['2024-05-01-2'])
  assert.deepEqual(ids('公园 tag:ai'), ['2024-05-01-2'])
  assert.deepEqual(ids('公园 -tag:AI'), ['2024-05-01-2', '2024-05-01-3', '2024-05-01-4'])
})

test('a value spelled otherwise names every value equal to it but for case and width', () => {
  assert.deepEqual(ids('公园 category:XINXIANG'), ['2024-05-01-1', '2024-05-01-2'])
  assert.deepEqual(ids('公园', { category: 'ZhengZhou' }), ['2024-05-01-3', '2024-05-01-4'])
  assert.deepEqual(ids('公园 tag:Ai'), ['2024-05-01-1', '2024-05-01-2', '2024-05-01-3'])
  assert.deepEqual(ids('公园 -tag:Ai'), ['2024-05-01-4'])
  assert.deepEqual(ids('category:XINXIANG -tag:Ai'), [])
  // Two filters: a document must match each.
  assert.deepEqual(ids('公园 category:ZHENGZHOU tag:aI'), ['2024-05-01-3'])
  assert.equal(engine.search({ q: '公园 category:xin', page: 1, size: 10 }).total, 0, 'a part of a name is not the name')
})

test('a value typed in traditional characters, or with spaces around it, names the value as it is folded for search', () => {
  assert.deepEqual(ids('河道 tag:環境監測'), ['river'])
  assert.deepEqual(ids('河道', { tag: '環境監測' }), ['river'])
  assert.deepEqual(ids('公园', { tag: '城建 ' }), ['2024-05-01-4'], 'a space pasted along with the value')
  assert.deepEqual(ids('公园', { category: ' ZhengZhou' }), ['2024-05-01-3', '2024-05-01-4'])
})

test('a year before 1000 is named with four digits, which the date filters take back', () => {
  const years = engine.search({ q: '古籍', page: 1, size: 10, facets: ['year'] }).facets!.year!
  assert.deepEqual(years, [{ value: '0099', count: 1 }])
  assert.equal(engine.search({ q: '古籍', page: 1, size: 10, from: '0099-01-01', to: '0099-12-31' }).total, 1)
})
