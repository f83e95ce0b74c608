// Taiwan and Hong Kong write some words differently from the mainland (軟體 for 软件, 伺服器 for 服务器).
// A query typed in traditional characters, or naming such a word no post holds, also finds the mainland
// forms; a query in simplified characters keeps its own words (即时 is a mainland word too).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { postsIndex } from '../helpers/posts-index.js'
import type { SearchEngine } from '../../src/search/engine.js'

let engine: SearchEngine

const POSTS: Record<string, string> = {
  mainland: '这家公司发布了新的办公软件，用户可以免费下载。',
  taiwan: '這家公司推出新的辦公軟體，使用者可以免費下載。',
  servers: '机房新增了两百台服务器，用于处理订单。',
  instant: '医保基金实现即时结算，群众看病更方便。',
  realtime: '系统可以实时显示每一辆公交车的位置。',
  other: '今天的天气很好，公园里有很多人在散步。',
}

let remove = () => {}

before(async () => {
  ;({ engine, remove } = await postsIndex(POSTS, { date: '2024-09-01' }))
})

after(() => remove())

const found = (q: string) => engine.search({ q, page: 1, size: 10 }).hits.map((h) => h.id.replace('2024-09-01-', '')).sort()

test('a word typed in traditional characters also finds its mainland form, and its own', () => {
  assert.deepEqual(found('軟體'), ['mainland', 'taiwan'])
  const response = engine.search({ q: '軟體', page: 1, size: 10 })
  assert.ok(response.terms.includes('软件'), `the mainland form is marked in snippets: ${JSON.stringify(response.terms)}`)
  const mainland = response.hits.find((h) => h.id.endsWith('mainland'))!
  assert.match(mainland.snippet_html, /<mark>软件<\/mark>/)
})

test('one way only: the mainland word, or the regional word typed in simplified characters, finds what it says', () => {
  assert.deepEqual(found('软件'), ['mainland'])
  // 软体 in simplified characters is held (the Taiwan post, folded): it keeps its meaning.
  assert.deepEqual(found('软体'), ['taiwan'])
})

test('a regional word written alike in both scripts is widened when no post holds it', () => {
  assert.deepEqual(found('伺服器'), ['servers'])
})

test('a query in simplified characters whose words posts hold is left as typed', () => {
  // 即时 → 实时 is Taiwan's usage; on the mainland both are words of their own.
  assert.deepEqual(found('即时'), ['instant'])
  assert.deepEqual(found('即時'), ['instant', 'realtime'])
})
