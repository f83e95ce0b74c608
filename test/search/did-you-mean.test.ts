// A word typed with a pinyin input method may come out as another that sounds the same (宏旗区 for
// 红旗区). When the query finds too little and a homophone the archive holds finds more, the response
// offers the query with it: did_you_mean.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { postsIndex } from '../helpers/posts-index.js'
import type { SearchEngine } from '../../src/search/engine.js'
import { Homophones } from '../../src/suggest/homophones.js'

let engine: SearchEngine

// 红旗渠 is in more posts than 红旗区, and sounds the same: hong qi qu.
const POSTS: Record<string, string> = {
  ...Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`district${i}`, `红旗区今年修好了第${i + 1}条道路，居民出行更方便。`])),
  ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`canal${i}`, `红旗渠精神代代相传，这是第${i + 1}篇报道。`])),
  weather: '今天下雨了，明天天晴。',
  // 雄安: a name jieba does not know, so no word of the vocabulary.
  ...Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`xiongan${i}`, `雄安新区第${i + 1}期建设开工。`])),
  // 鸿雁湖 in two posts; 红雁 and 雁湖 in more, never together: 红雁湖 sounds the same and its pairs are commoner.
  ...Object.fromEntries(Array.from({ length: 2 }, (_, i) => [`lake${i}`, `鸿雁湖景区第${i + 1}次开放。`])),
  ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`geese${i}`, `红雁飞过，落在雁湖边，第${i + 1}回。`])),
  // 洪旗 and 旗区 each in a post, never together: 洪旗区 is in none.
  banner: '抗洪旗帜在堤坝上飘扬。',
  flags: '广场上的彩旗区域很热闹。',
}

let remove = () => {}

before(async () => {
  ;({ engine, remove } = await postsIndex(POSTS))
})

after(() => remove())

const search = (q: string, category?: string) => engine.search({ q, page: 1, size: 10, ...(category && { category }) })

test('a word no post holds is offered as the homophone with the fewest characters changed, though another is commoner', () => {
  const found = search('宏旗区')
  assert.equal(found.total, 0)
  assert.equal(found.did_you_mean, '红旗区')
  // Two characters changed: only 红旗渠 sounds the same.
  assert.equal(search('宏旗渠').did_you_mean, '红旗渠')
})

test('a word whose every pair some post holds, but no post the whole word, is still corrected', () => {
  const found = search('洪旗区')
  assert.equal(found.total, 0)
  assert.equal(found.did_you_mean, '红旗区')
})

test('the offer keeps the rest of the query as typed, traditional characters and spacing included', () => {
  const found = search('鸿旗区  道路')
  assert.equal(found.relaxed, true)
  assert.equal(found.did_you_mean, '红旗区  道路')
  assert.equal(search('鴻旗區').did_you_mean, '红旗区')
})

test('letters no post holds are read as pinyin typed without an input method, as suggestions read them', () => {
  // Both read hong qi qu; 红旗渠 is in more posts.
  for (const q of ['hongqiqu', 'hongqi', 'hqq', 'HongQiQu']) assert.equal(search(q).did_you_mean, '红旗渠', q)
  assert.equal(search('hongqiqu 精神').did_you_mean, '红旗渠 精神')
  // No pinyin, or two letters, which say too little.
  for (const q of ['qxzvbn', 'ho']) assert.equal(search(q).did_you_mean, undefined, q)
})

test('nothing is offered when every term is held, or when the homophone finds no more posts holding every term', () => {
  for (const q of ['红旗区', '红旗区 道路', '红旗渠 精神']) assert.equal(search(q).did_you_mean, undefined, q)
  // 红旗区 with 下雨 is in no post: the offer would find nothing more.
  assert.equal(search('宏旗区 下雨').did_you_mean, undefined)
  // Nor under a filter that leaves out every post it would find.
  assert.equal(search('宏旗区', 'nosuchcategory').did_you_mean, undefined)
  // A pasted passage is not typed: its words are left alone.
  assert.equal(search('宏旗区今年修好了道路，居民出行更方便').did_you_mean, undefined)
  assert.equal(search('宏旗区 今年 修好 道路').did_you_mean, '红旗区 今年 修好 道路')
})

test('a word no vocabulary lists is found by swapping one character for another read alike, if some post holds it whole', () => {
  // 哅 reads xiong, as 雄 does.
  assert.equal(search('哅安').did_you_mean, '雄安')
  // 宏 reads hong: 红雁湖's pairs are in more posts, but only 鸿雁湖 is in one whole.
  assert.equal(search('宏雁湖').did_you_mean, '鸿雁湖')
})

test('homophones are read from the words\' readings, and characters no word holds from the character table', () => {
  const words = new Homophones(['红旗区', '红旗渠', '行动'], ['hong qi qu', 'hong qi qu', 'xing dong'])
  assert.deepEqual(words.of('红旗渠'), ['红旗区'])
  // 宏 is in no word: unread without the table, read with it.
  assert.deepEqual(words.of('宏旗区'), [])
  const table = new Homophones(['红旗区', '红旗渠', '行动'], ['hong qi qu', 'hong qi qu', 'xing dong'], '宏hong 型xing')
  assert.deepEqual(table.of('宏旗区'), ['红旗区', '红旗渠'])
  assert.deepEqual(table.of('型动'), ['行动'])
})
