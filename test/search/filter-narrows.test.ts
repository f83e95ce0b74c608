import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'

/**
 * An archive where 梯田 灌溉 is held whole by 24 posts, three of them in the category farm, which also
 * has posts about 梯田 alone; the category hill has posts about 梯田 and none holding both words;
 * 梯田 观光 is held whole by 12 posts, one of them in farm.
 */
let work = ''
let engine: SearchEngine

function post(name: string, category: string, date: string, body: string): void {
  writeFileSync(join(work, 'posts', `${name}.md`), `---\ntitle: 山区见闻${name}\ndate: ${date} 09:00:00 +0800\ncategories: [${category}]\n---\n<p>${body}</p>\n`)
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-filter-narrows-'))
  mkdirSync(join(work, 'posts'))
  for (let i = 0; i < 3; i++) post(`farm-both${i}`, 'farm', '2023-05-01', `村里的梯田今年换了新的灌溉渠，第${i}块田先通水。`)
  for (let i = 0; i < 8; i++) post(`farm-terrace${i}`, 'farm', '2023-06-01', `第${i}层梯田的稻子抽穗了，村民在田埂上拍照。`)
  for (let i = 0; i < 21; i++) post(`news-both${i}`, 'news', '2024-05-01', `记者走访第${i}个乡镇，看到梯田的灌溉用上了滴灌设备。`)
  for (let i = 0; i < 12; i++) post(`hill-terrace${i}`, 'hill', '2022-04-01', `登山者在第${i}座山坡上望见层层梯田，云雾缭绕。`)
  // 梯田 观光: held whole by 12 posts, too few to need no help at all, enough to need no relaxing; one of them in farm.
  for (let i = 0; i < 11; i++) post(`news-sights${i}`, 'news', '2024-07-01', `第${i}个景区把梯田观光做成了招牌。`)
  post('farm-sights', 'farm', '2023-07-01', '合作社开通了梯田观光小火车。')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index') })
  engine = SearchEngine.open(join(work, 'index'))
})

after(() => rmSync(work, { recursive: true, force: true }))

test('a facet clicked keeps the posts it counted: the filter narrows an answer that needs no relaxing', () => {
  const unfiltered = engine.search({ q: '梯田 灌溉', page: 1, size: 10, facets: ['category', 'year'] })
  assert.equal(unfiltered.total, 24)
  assert.equal(unfiltered.relaxed, false)
  assert.deepEqual(unfiltered.facets?.category?.find((f) => f.value === 'farm'), { value: 'farm', count: 3 })
  assert.deepEqual(unfiltered.facets?.year?.find((f) => f.value === '2023'), { value: '2023', count: 3 })

  const byCategory = engine.search({ q: '梯田 灌溉', page: 1, size: 10, category: 'farm' })
  assert.equal(byCategory.relaxed, false)
  assert.equal(byCategory.total, 3)
  assert.deepEqual(byCategory.hits.map((h) => h.id).sort(), ['farm-both0', 'farm-both1', 'farm-both2'])

  const byYear = engine.search({ q: '梯田 灌溉', page: 1, size: 10, from: '2023-01-01', to: '2023-12-31' })
  assert.equal(byYear.relaxed, false)
  assert.equal(byYear.total, 3)
  // The query's own filter narrows the same way.
  assert.equal(engine.search({ q: '梯田 灌溉 category:farm', page: 1, size: 10 }).total, 3)
})

test('a filter that keeps none of the posts holding every term still finds those holding most of them', () => {
  const hill = engine.search({ q: '梯田 灌溉', page: 1, size: 10, category: 'hill' })
  assert.equal(hill.relaxed, true)
  assert.equal(hill.total, 12)
})

test('so does one that 10 to 19 posts hold whole: a facet of 1 is 1 post once clicked, not the posts of farm holding one term', () => {
  const unfiltered = engine.search({ q: '梯田 观光', page: 1, size: 10, facets: ['category'] })
  assert.deepEqual([unfiltered.total, unfiltered.relaxed], [12, false])
  assert.deepEqual(unfiltered.facets?.category?.find((f) => f.value === 'farm'), { value: 'farm', count: 1 })
  const farm = engine.search({ q: '梯田 观光', page: 1, size: 10, category: 'farm' })
  assert.deepEqual([farm.total, farm.relaxed], [1, false])
  assert.deepEqual(farm.hits.map((h) => h.id), ['farm-sights'])
})

test('a relaxed answer narrows the same way: a facet clicked keeps the posts of that answer it counted', () => {
  // No post holds 灌溉 and 观光 both: the answer is relaxed to the posts holding the rarer, 观光.
  const unfiltered = engine.search({ q: '灌溉 观光', page: 1, size: 20, facets: ['category'] })
  assert.equal(unfiltered.relaxed, true)
  const farmCount = unfiltered.facets?.category?.find((f) => f.value === 'farm')?.count
  const farm = engine.search({ q: '灌溉 观光', page: 1, size: 20, category: 'farm' })
  assert.equal(farm.total, farmCount)
  assert.deepEqual(farm.hits.map((h) => h.id), unfiltered.hits.filter((h) => h.categories.includes('farm')).map((h) => h.id))
  assert.equal(farm.relaxed, true)
})
