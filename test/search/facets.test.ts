// Facet counts are over the whole filtered result set: they equal what paging through every hit and
// counting gives, whatever page, size or sort was asked for.
import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { SearchEngine } from '../../src/search/engine.js'
import { MAX_FACET_VALUES } from '../../src/search/facets.js'
import type { FacetCounts, SearchParams } from '../../src/search/types.js'
import { sharedTestIndex } from '../server/fixture.js'
import { corpusIndex, SKIP_NO_SHARED } from '../helpers/shared.js'

/** Counts categories, tags and years by paging through every hit: the slow, obvious way. */
function countByPaging(engine: SearchEngine, params: Omit<SearchParams, 'page' | 'size'>): { total: number; counts: Required<FacetCounts> } {
  const tally = { category: new Map<string, number>(), tag: new Map<string, number>(), year: new Map<string, number>() }
  const add = (map: Map<string, number>, value: string) => map.set(value, (map.get(value) ?? 0) + 1)
  let total = 0
  for (let page = 1; ; page++) {
    const response = engine.search({ ...params, page, size: 100 })
    total = response.total
    for (const hit of response.hits) {
      for (const c of new Set(hit.categories)) add(tally.category, c)
      for (const t of new Set(hit.tags)) add(tally.tag, t)
      if (hit.date !== null) add(tally.year, hit.date.slice(0, 4))
    }
    if (page * 100 >= response.total) break
  }
  const byCount = (map: Map<string, number>) =>
    [...map].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, MAX_FACET_VALUES)
  return {
    total,
    counts: {
      category: byCount(tally.category),
      tag: byCount(tally.tag),
      year: [...tally.year].sort((a, b) => Number(b[0]) - Number(a[0])).map(([value, count]) => ({ value, count })),
    },
  }
}

function assertFacetsMatchPaging(engine: SearchEngine, params: Omit<SearchParams, 'page' | 'size'>): void {
  const expected = countByPaging(engine, params)
  for (const [page, size, sort] of [[1, 10, 'relevance'], [3, 5, 'date'], [1, 1, 'date']] as const) {
    const response = engine.search({ ...params, page, size, sort, facets: ['category', 'tag', 'year'] })
    assert.equal(response.total, expected.total)
    assert.deepEqual(response.facets, expected.counts, `${params.q} page ${page} size ${size} ${sort}`)
  }
}

describe('facets on the test index', () => {
  const index = sharedTestIndex()
  let engine: SearchEngine
  before(() => {
    engine = SearchEngine.open(index.indexDir)
  })

  test('counts over all matches, not the page; with filters, over the filtered matches', () => {
    assertFacetsMatchPaging(engine, { q: '断头路' })
    assertFacetsMatchPaging(engine, { q: '的' })
    assertFacetsMatchPaging(engine, { q: '断头路', category: 'xinxiangribao' })
    assertFacetsMatchPaging(engine, { q: '农田', from: '2022-01-01', to: '2023-12-31' })
    assertFacetsMatchPaging(engine, { q: '橙色鲸鱼', tag: '网页安全' })
    const counts = engine.search({ q: '断头路', page: 1, size: 10, facets: ['year'] }).facets!
    assert.deepEqual(Object.keys(counts), ['year'], 'only the facets asked for')
  })

  test('-category: and -tag: leave out what category: and tag: would keep', () => {
    const all = engine.search({ q: '的', page: 1, size: 10, facets: ['category', 'tag'] })
    for (const [prefix, facet] of [['category', 'category'], ['tag', 'tag']] as const) {
      const { value, count } = all.facets![facet]![0]!
      assert.ok(count > 0 && count < all.total, `the test index has posts in and out of ${prefix} ${value}`)
      const left = engine.search({ q: `的 -${prefix}:${value}`, page: 1, size: 100 })
      assert.equal(left.total, all.total - count)
      const field = facet === 'category' ? 'categories' : 'tags'
      assert.ok(left.hits.every((h) => !h[field].includes(value)))
    }
    // Leaving out a category no post has leaves everything in.
    assert.equal(engine.search({ q: '的 -category:no-such-category', page: 1, size: 10 }).total, all.total)
  })

  test('a query of filters alone lists what they keep, newest first', () => {
    const counts = engine.search({ q: '的', page: 1, size: 10, facets: ['category'] }).facets!.category!
    const { value } = counts[0]!
    const listed = engine.search({ q: `category:${value}`, page: 1, size: 100, facets: ['category'] })
    assert.deepEqual(listed.terms, [])
    assert.ok(listed.total > 0 && listed.hits.length === Math.min(100, listed.total))
    assert.ok(listed.hits.every((h) => h.categories.includes(value) && h.score === 0))
    const dates = listed.hits.map((h) => h.date ?? '')
    assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first')
    assert.equal(listed.facets!.category!.find((c) => c.value === value)!.count, listed.total)
    // Left out, the category's posts are the ones missing from the whole archive's list.
    const rest = engine.search({ q: `-category:${value}`, page: 1, size: 10 })
    assert.equal(rest.total + listed.total, engine.index.docs.count)
  })

  test('no facets unless asked; none counted for no matches', () => {
    assert.equal('facets' in engine.search({ q: '断头路', page: 1, size: 10 }), false)
    assert.deepEqual(engine.search({ q: 'qzxwvjk', page: 1, size: 10, facets: ['category', 'tag', 'year'] }).facets, { category: [], tag: [], year: [] })
  })

  test('a category picked from the facet narrows the total to its count', () => {
    const all = engine.search({ q: '的', page: 1, size: 10, facets: ['category', 'year'] })
    for (const { value, count } of all.facets!.category!) assert.equal(engine.search({ q: '的', page: 1, size: 1, category: value }).total, count, value)
    for (const { value, count } of all.facets!.year!) {
      assert.equal(engine.search({ q: '的', page: 1, size: 1, from: `${value}-01-01`, to: `${value}-12-31` }).total, count, value)
    }
  })
})

describe('facets on the shared corpus', () => {
  let engine: SearchEngine | null = null
  before(async () => {
    const dir = await corpusIndex()
    if (dir) engine = SearchEngine.open(dir)
    else console.log(`# ${SKIP_NO_SHARED}`)
  })

  test('match counting by paging for queries with hundreds to thousands of hits', (t) => {
    if (!engine) return t.skip(SKIP_NO_SHARED)
    for (const params of [{ q: '高标准农田' }, { q: '禁渔' }, { q: 'rust' }, { q: '疫情', category: 'xwlb' }, { q: '长江', from: '2024-01-01', to: '2024-12-31' }]) {
      const total = engine.search({ ...params, page: 1, size: 1 }).total
      assert.ok(total > 20 && total < 5_000, `${params.q}: ${total} hits`)
      assertFacetsMatchPaging(engine, params)
    }
  })

  test('the three sources of the corpus are the categories of a broad query', (t) => {
    if (!engine) return t.skip(SKIP_NO_SHARED)
    const response = engine.search({ q: '中国', page: 1, size: 10, facets: ['category', 'year'] })
    const sum = response.facets!.category!.reduce((s, c) => s + c.count, 0)
    assert.ok(sum >= response.total, 'every hit has at least one category')
    assert.ok(response.facets!.year!.length >= 3)
    assert.equal(response.facets!.year!.reduce((s, y) => s + y.count, 0) <= response.total, true)
  })
})
