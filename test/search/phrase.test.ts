// A quoted phrase matches exactly where the highlighter marks it, also where a lone character stands
// beside a gap and keeps no positions in the index.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { postsIndex } from '../helpers/posts-index.js'
import type { SearchEngine } from '../../src/search/engine.js'

let engine: SearchEngine

const POSTS: Record<string, string> = {
  'gap-after': '今年继续禁渔，令人欣慰。',
  'touching': '禁渔令今天发布。',
  'apart': '禁渔制度很严格，上级下达命令。',
  'list': '评出一、二、三等奖若干名。',
  'not-list': '一等奖二人，三等奖五人。',
  'country': '中国队夺冠。',
  'country-apart': '其中，国家队夺冠。',
  'headline': '稻菽飘香 各地丰收忙。',
  'river': '长江两岸风光好。',
  'river-belt': '长江经济带建设提速。',
  'model-hyphen': '新模型 GPT-4 发布。',
  'model-touching': '试用了GPT4一周。',
  'model-spaced': '对比 GPT 4 与旧版。',
  'model-apart': 'GPT 的第 4 个版本。',
}

let remove = () => {}

before(async () => {
  ;({ engine, remove } = await postsIndex(POSTS, { date: '2024-05-01 09:00:00 +0800', title: (name) => `消息 ${name}` }))
})

after(() => remove())

function found(q: string): string[] {
  const r = engine.search({ q, page: 1, size: 100 })
  assert.equal(r.total, r.hits.length)
  for (const hit of r.hits) assert.match(hit.snippet_html, /<mark>/, `${q}: ${hit.id} is highlighted`)
  return r.hits.map((h) => h.id.replace('2024-05-01-', '')).sort()
}

test('a lone character beside a gap must stand in its place: a gap in the phrase matches a gap or none', () => {
  assert.deepEqual(found('"禁渔，令"'), ['gap-after', 'touching'])
  assert.deepEqual(found('"一、二、三等奖"'), ['list'])
})

test('a space between Han characters in a phrase is a gap, as punctuation is: the text may have a gap there or none', () => {
  assert.deepEqual(found('"稻菽飘香 各地丰收忙"'), ['headline'], 'a line pasted as written finds itself')
  assert.deepEqual(found('"稻菽飘香各地丰收忙"'), [], 'without the space the characters must touch')
  assert.deepEqual(found('"禁渔 令"'), ['gap-after', 'touching'])
  // Lone characters between gaps are read in a row.
  assert.deepEqual(found('"中 国"'), ['country'])
  assert.deepEqual(found('"中，国"'), ['country'])
})

test('an exclusion leaves out the word as typed, quoted or not, not each word jieba cuts it into', () => {
  assert.deepEqual(found('长江 -长江经济带'), ['river'])
  assert.deepEqual(found('长江 -"长江经济带"'), ['river'])
  assert.deepEqual(found('长江 -经济'), ['river'])
})

test('letters and digits that touch in the query, or are joined by a hyphen, need only follow each other in the text: GPT4 is GPT-4', () => {
  const models = ['model-hyphen', 'model-spaced', 'model-touching']
  assert.deepEqual(found('gpt4'), models)
  assert.deepEqual(found('GPT-4'), models, 'unquoted too, a hyphen joins one name: a GPT here and a 4 there is not it')
  assert.deepEqual(found('GPT 4'), [...models, 'model-apart'].sort(), 'a space separates two words')
  assert.deepEqual(found('"gpt-4"'), models)
  assert.deepEqual(found('"试用了gpt4"'), ['model-touching'], 'Han and Latin still touch')
})

test('a phrase asked of titles only (title:"…") is found and marked in the title', () => {
  const r = engine.search({ q: 'title:"消息 gap"', page: 1, size: 10 })
  assert.deepEqual(r.hits.map((h) => h.id), ['2024-05-01-gap-after'])
  assert.match(r.hits[0]!.title_html, /<mark>消息 gap<\/mark>/)
})
