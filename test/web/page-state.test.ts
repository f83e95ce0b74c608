import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT } from '../helpers/shared.js'

// The page's modules are plain browser JavaScript, served as they are: loaded here by path. These are
// the ones that decide without drawing (the browser tests in test/e2e draw).
const page = (name: string) => import(pathToFileURL(join(REPO_ROOT, 'web', name)).href)
const { stateFromUrl, stateToParams, pageUrl, toggleFacet, selectedYear, activeChoices } = await page('search-state.js')
const { describeFailure } = await page('failure-text.js')
const { pageNumbers } = await page('pager.js')

test('a URL is read as the search it names, and what the API would refuse as the default', () => {
  assert.deepEqual(stateFromUrl('?q=%E7%BA%A2%E6%97%97%E5%8C%BA&page=3&size=20&tag=%E9%81%93%E8%B7%AF&sort=date'), {
    q: '红旗区', page: 3, size: 20, category: '', tag: '道路', from: '', to: '', sort: 'date',
  })
  const odd = stateFromUrl('?page=0&size=101&sort=oldest')
  assert.equal(odd.page, 1)
  assert.equal(odd.size, null)
  assert.equal(odd.sort, 'relevance')
  assert.equal(stateFromUrl('?page=-2&size=1e2').page, 1)
  assert.equal(stateFromUrl('?size=1e2').size, null)
})

test('a search is written back with only what differs from the defaults, in a stable order', () => {
  const state = stateFromUrl('?sort=date&q=断头路&page=2&from=2024-01-01')
  assert.equal(stateToParams(state).toString(), new URLSearchParams([['q', '断头路'], ['from', '2024-01-01'], ['sort', 'date'], ['page', '2']]).toString())
  assert.equal(pageUrl(stateFromUrl('')), '/')
  assert.equal(pageUrl(stateFromUrl('?q=%20%20')), '/', 'a blank query is left out')
  assert.deepEqual(stateFromUrl(stateToParams(state).toString()), state)
  assert.equal(activeChoices(state), 2)
})

test('a facet value pressed turns its filter on from page 1, and off when pressed again', () => {
  const start = stateFromUrl('?q=x&page=4')
  const year = toggleFacet(start, 'year', '2024')
  assert.deepEqual([year.from, year.to, year.page], ['2024-01-01', '2024-12-31', 1])
  assert.equal(selectedYear(year), '2024')
  const off = toggleFacet(year, 'year', '2024')
  assert.deepEqual([off.from, off.to], ['', ''])
  assert.equal(selectedYear({ ...year, to: '2024-06-30' }), '', 'half a year is no year picked')
  const tagged = toggleFacet(start, 'tag', '道路')
  assert.equal(tagged.tag, '道路')
  assert.equal(toggleFacet(tagged, 'tag', '道路').tag, '')
  assert.equal(toggleFacet(tagged, 'tag', '桥梁').tag, '桥梁', 'another value replaces the one picked')
})

test('a failed search is told in the page language, with advice for the parameter at fault', () => {
  assert.equal(describeFailure(429, null, '30'), '搜索太频繁了，请30 秒后再试。')
  assert.equal(describeFailure(503, null, '120'), '服务器正忙，请2 分钟后再试。')
  assert.equal(describeFailure(503, null, 'Wed, 21 Oct 2026 07:28:00 GMT'), '服务器正忙，请稍后再试。')
  assert.equal(describeFailure(502, null, null), '服务器暂时出了问题，请稍后再试。')
  const tooLong = { error: { param: 'q', message: 'q is longer than 200 characters' } }
  assert.equal(describeFailure(400, tooLong, null), '「关键词」有误：最多 200 个字，请缩短关键词。')
  const size = { error: { param: 'size', message: 'size must be 1–100' } }
  assert.equal(describeFailure(400, size, null), '「每页条数」有误：每页条数应在 1 到 100 之间。')
  const unknown = { error: { param: 'facets', message: 'unknown facet' } }
  assert.equal(describeFailure(400, unknown, null), '搜索条件有误：请检查后再试。')
  assert.equal(describeFailure(404, 'not json', null), '搜索没有成功（状态 404），请稍后再试。')
})

test('the pager shows the first and last page and two either side of the current one', () => {
  assert.deepEqual(pageNumbers(1, 1), [1])
  assert.deepEqual(pageNumbers(1, 5), [1, 2, 3, null, 5])
  assert.deepEqual(pageNumbers(6, 20), [1, null, 4, 5, 6, 7, 8, null, 20])
  assert.deepEqual(pageNumbers(3, 5), [1, 2, 3, 4, 5])
  assert.deepEqual(pageNumbers(20, 20), [1, null, 18, 19, 20])
})
