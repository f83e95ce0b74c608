// A term no post holds as a jieba word (a Latin name, a person jieba does not know) can never earn the
// real-word bonus, so its own matches count as real-word matches: it weighs what a dictionary word of the
// same rarity weighs, not up to 1 + wordBonus times less (王毅 against 会谈 in 王毅 拉夫罗夫 会谈).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { postsIndex } from '../helpers/posts-index.js'
import type { SearchEngine } from '../../src/search/engine.js'

let engine: SearchEngine

// Two posts of the same length in units, each holding one term once; the rest hold neither.
const POSTS: Record<string, string> = {
  latin: 'zorbix很远了啊',
  word: '公园很远啊',
  other1: '今天下雨了',
  other2: '明天天晴了',
  other3: '后天刮风了',
}

let remove = () => {}

before(async () => {
  ;({ engine, remove } = await postsIndex(POSTS))
})

after(() => remove())

test('a term no post holds as a jieba word scores as a dictionary word of the same rarity does', () => {
  const latin = engine.search({ q: 'zorbix', page: 1, size: 1 }).hits[0]!
  const word = engine.search({ q: '公园', page: 1, size: 1 }).hits[0]!
  assert.equal(latin.id, '2024-08-01-latin')
  assert.equal(word.id, '2024-08-01-word')
  assert.ok(latin.score > 0)
  assert.equal(latin.score, word.score)
})
