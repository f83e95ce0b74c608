import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'

/**
 * A small archive where the relaxed fallback's choices are known: 琥珀 is rare, 公园 common, 城市 the
 * most common; one post holds all three.
 */
let work = ''
let engine: SearchEngine
const ids = { all: [] as string[], amberCity: [] as string[], cityPark: [] as string[], coral: [] as string[], city: [] as string[] }

function post(name: string, title: string, body: string, date = '2024-03-01 09:00:00 +0800'): void {
  writeFileSync(join(work, 'posts', `${name}.md`), `---\ntitle: "${title}"\ndate: ${date}\n---\n<p>${body}</p>\n`)
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-relaxed-'))
  mkdirSync(join(work, 'posts'))
  // The oldest post: sorted by date, it still comes before the posts holding fewer terms.
  post('2024-03-01-all', '展览消息', '城市公园里办了一场琥珀展览，市民排队参观。', '2020-01-01 09:00:00 +0800')
  ids.all.push('2024-03-01-all')
  for (let i = 0; i < 12; i++) {
    post(`2024-03-01-amber${i}`, `藏品介绍${i}`, `这座城市的博物馆收藏了第${i}块琥珀，颜色温润。`)
    ids.amberCity.push(`2024-03-01-amber${i}`)
  }
  for (let i = 0; i < 30; i++) {
    post(`2024-03-01-park${i}`, `周末去处${i}`, `城市东边新修的公园第${i}号入口开放了，步道平整。`)
    ids.cityPark.push(`2024-03-01-park${i}`)
  }
  for (let i = 0; i < 2; i++) {
    post(`2024-03-01-coral${i}`, `海洋科普${i}`, `潜水员在礁石旁拍到了第${i}片珊瑚。`)
    ids.coral.push(`2024-03-01-coral${i}`)
  }
  post('2024-03-01-coral-sea', '海洋消息', '科考队在新的海域拍到了珊瑚。')
  ids.coral.push('2024-03-01-coral-sea')
  // 博物 and 物馆 (in 植物馆) meet here, but 博物馆 does not, and 城 does.
  post('2024-03-01-decoy', '散步记', '一位博物学爱好者逛了植物馆，城里的路很宽。')
  for (let i = 0; i < 20; i++) {
    post(`2024-03-01-city${i}`, `街巷故事${i}`, `老城市的第${i}条小巷藏着许多老手艺。`)
    ids.city.push(`2024-03-01-city${i}`)
  }
  // Three terms no ten posts hold together: one long post holds each once in passing, one short post is about two of them.
  post('2024-03-01-jade-passing', '河边见闻', `${'天气晴朗，河水清澈，孩子们在岸边玩耍。'.repeat(20)}路边有人摆了摊位，卖翡翠和玉石。${'天气晴朗，河水清澈，孩子们在岸边玩耍。'.repeat(20)}`)
  post('2024-03-01-jade-focus', '翡翠玉石展', '翡翠和玉石同台展出，翡翠色泽通透，玉石温润细腻。')
  // A sentence of four terms only one post holds whole, and a post holding three of them strongly.
  post('2024-03-01-squirrel-passing', '河边见闻二', `${'天气晴朗，河水清澈，孩子们在岸边玩耍。'.repeat(20)}一只松鼠把松果藏进了树洞。${'天气晴朗，河水清澈，孩子们在岸边玩耍。'.repeat(20)}`)
  post('2024-03-01-squirrel-focus', '松鼠与松果', '松鼠抱着松果钻进树洞，松鼠又找到松果，树洞里都是松果。')
  // Three terms twelve posts hold together, each in passing, and a post about two of them that words the third otherwise.
  for (let i = 0; i < 12; i++) {
    post(`2024-03-01-panda-passing${i}`, `山中见闻${i}`, `${'天气晴朗，河水清澈，孩子们在岸边玩耍。'.repeat(12)}第${i}位游客说起熊猫、竹林和溪流。${'天气晴朗，河水清澈，孩子们在岸边玩耍。'.repeat(12)}`)
  }
  post('2024-03-01-panda-focus', '熊猫与竹林', '熊猫住在竹林深处，熊猫白天在竹林里吃竹子，竹林边有一条小河。')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index') })
  engine = SearchEngine.open(join(work, 'index'))
})

after(() => rmSync(work, { recursive: true, force: true }))

test('too few posts hold every term: posts holding all but one, whichever, follow, and the post holding all leads', () => {
  const r = engine.search({ q: '琥珀 公园 城市', page: 1, size: 100 })
  assert.equal(r.relaxed, true)
  assert.equal(r.hits[0]!.id, ids.all[0])
  // Two of the three terms: 琥珀 and 城市 (without 公园) as well as 公园 and 城市 (without 琥珀).
  assert.deepEqual(new Set(engine.matchingIds('琥珀 公园 城市')), new Set([...ids.all, ...ids.amberCity, ...ids.cityPark]))
  assert.equal(r.total, 43)
})

test('enough posts hold every term: a plain AND, not relaxed', () => {
  const r = engine.search({ q: '公园 城市', page: 1, size: 100 })
  assert.equal(r.relaxed, false)
  assert.deepEqual(new Set(r.hits.map((h) => h.id)), new Set([...ids.all, ...ids.cityPark]))
})

test('when even the rarest term is in too few posts, posts holding any of the rarest terms count', () => {
  const r = engine.search({ q: '珊瑚 公园', page: 1, size: 100 })
  assert.equal(r.relaxed, true)
  assert.deepEqual(new Set(r.hits.map((h) => h.id)), new Set([...ids.coral, ...ids.all, ...ids.cityPark]))
})

test('a term no post holds is given up, and the rest still answer', () => {
  const r = engine.search({ q: '琥珀 麒麟', page: 1, size: 100 })
  assert.equal(r.relaxed, true)
  assert.deepEqual(new Set(r.hits.map((h) => h.id)), new Set([...ids.all, ...ids.amberCity]))
})

test('the lone character split off a glued word never qualifies a post on its own', () => {
  // 珊瑚城 is cut 珊瑚 + 城: no post holds both, and 城 alone (in 城市) is in most posts.
  const r = engine.search({ q: '珊瑚城', page: 1, size: 100 })
  assert.deepEqual(engine.analyzeQuery('珊瑚城').glued.map((t) => t.text), ['珊瑚城'])
  assert.deepEqual(new Set(r.hits.map((h) => h.id)), new Set(ids.coral))
  assert.equal(r.total, ids.coral.length)
  for (const hit of r.hits) assert.match(hit.snippet_html, /<mark>珊瑚<\/mark>/)
})

test('a character glued on before its word (新 + 珊瑚) only filters: the word is scored and highlighted', () => {
  const glued = engine.analyzeQuery('新珊瑚').glued
  assert.deepEqual(glued.map((t) => [t.text, t.lone?.text]), [['新珊瑚', '新']])
  const r = engine.search({ q: '新珊瑚', page: 1, size: 100 })
  // Only the sea post holds both; relaxed, the posts holding 珊瑚 follow, never those holding only 新.
  assert.equal(r.hits[0]!.id, '2024-03-01-coral-sea')
  assert.deepEqual(new Set(r.hits.map((h) => h.id)), new Set(ids.coral))
  assert.match(r.hits[0]!.snippet_html, /<mark>珊瑚<\/mark>/)
  assert.doesNotMatch(r.hits[0]!.snippet_html, /<mark>新/)
  assert.ok(r.hits.every((h) => h.score > 0))
})

test('a post where a term\'s characters meet but the term does not is no match, even holding the lone character of a glued word', () => {
  // 珊瑚 is rarest and too rare, so posts holding 珊瑚 or 博物馆 count; the decoy holds neither, only 城.
  const r = engine.search({ q: '博物馆 珊瑚城', page: 1, size: 100 })
  assert.equal(r.relaxed, true)
  assert.deepEqual(new Set(r.hits.map((h) => h.id)), new Set([...ids.coral, ...ids.amberCity]))
  assert.equal(r.total, ids.coral.length + ids.amberCity.length)
})

test('sorted by date, a relaxed answer still lists the posts holding every term first, each level newest first', () => {
  const r = engine.search({ q: '琥珀 公园 城市', page: 1, size: 100, sort: 'date' })
  assert.equal(r.relaxed, true)
  assert.equal(r.hits[0]!.id, ids.all[0])
  assert.deepEqual(new Set(r.hits.slice(1).map((h) => h.id)), new Set([...ids.amberCity, ...ids.cityPark]))
  const plain = engine.search({ q: '公园 城市', page: 1, size: 100, sort: 'date' })
  assert.equal(plain.relaxed, false)
  assert.equal(plain.hits.at(-1)!.id, ids.all[0], 'not relaxed: simply newest first')
})

test('the word part of a glued term is marked only in posts where the whole term does not occur', async () => {
  const dir = join(work, 'glued')
  mkdirSync(join(dir, 'posts'), { recursive: true })
  const write = (name: string, title: string, body: string) =>
    writeFileSync(join(dir, 'posts', `${name}.md`), `---\ntitle: "${title}"\ndate: 2024-03-01 09:00:00 +0800\n---\n<p>${body}</p>\n`)
  // The whole (珊瑚城) in one post, with 珊瑚 on its own in another sentence; only the part in the other.
  write('2024-03-01-whole', '海边的珊瑚城', '游客在珊瑚城里住了三天。导游说，附近的珊瑚正在恢复。')
  write('2024-03-01-part', '礁石观察', '潜水员说，这里的珊瑚正在恢复，离城不远。')
  await buildIndex({ postsDir: join(dir, 'posts'), outDir: join(dir, 'index') })
  const glued = SearchEngine.open(join(dir, 'index'))
  const r = glued.search({ q: '珊瑚城', page: 1, size: 10 })
  const whole = r.hits.find((h) => h.id === '2024-03-01-whole')!
  assert.equal(whole.title_html, '海边的<mark>珊瑚城</mark>')
  assert.match(whole.snippet_html, /<mark>珊瑚城<\/mark>/)
  assert.doesNotMatch(whole.snippet_html, /附近的<mark>珊瑚<\/mark>/, 'the part alone is no match where the whole occurs')
  const part = r.hits.find((h) => h.id === '2024-03-01-part')!
  assert.match(part.snippet_html, /这里的<mark>珊瑚<\/mark>/, 'where only the part occurs, it shows what matched')
})

test('in a relaxed answer the share of terms held weighs the score, not the count first: a post about two of three terms outranks one holding all three in passing', () => {
  const r = engine.search({ q: '翡翠 玉石 摊位', page: 1, size: 10 })
  assert.equal(r.relaxed, true)
  assert.deepEqual(r.hits.map((h) => h.id), ['2024-03-01-jade-focus', '2024-03-01-jade-passing'])
})

test('a longer query in a relaxed answer keeps the post holding every term first: a pasted sentence is after the post it comes from', () => {
  const r = engine.search({ q: '松鼠 松果 树洞 河水', page: 1, size: 10 })
  assert.equal(r.relaxed, true)
  assert.equal(r.hits[0]!.id, '2024-03-01-squirrel-passing')
  assert.ok(r.hits.some((h) => h.id === '2024-03-01-squirrel-focus'))
})

test('when a few posts hold every one of three terms, the posts holding all but one join them, by coordinated score', () => {
  const r = engine.search({ q: '熊猫 竹林 溪流', page: 1, size: 100 })
  assert.equal(r.relaxed, true)
  assert.equal(r.total, 13)
  assert.equal(r.hits[0]!.id, '2024-03-01-panda-focus')
  // Two terms are too few to give one up.
  const two = engine.search({ q: '熊猫 溪流', page: 1, size: 100 })
  assert.equal(two.relaxed, false)
  assert.equal(two.total, 12)
})

test('under filters and exclusions a long query gives up its most common terms as without them, within what they keep', () => {
  const q = '珊瑚 琥珀 公园 城市'
  const idsOf = (r: ReturnType<SearchEngine['search']>) => new Set(r.hits.map((h) => h.id))
  // The two rarest terms are enough: the posts holding 珊瑚 or 琥珀.
  assert.deepEqual(idsOf(engine.search({ q, page: 1, size: 100 })), new Set([...ids.coral, ...ids.all, ...ids.amberCity]))
  // Without the 琥珀 posts (their 颜色), the two rarest are too few: 公园 joins them.
  const excluded = engine.search({ q: `${q} -颜色`, page: 1, size: 100 })
  assert.equal(excluded.relaxed, true)
  assert.deepEqual(idsOf(excluded), new Set([...ids.coral, ...ids.all, ...ids.cityPark]))
  // A date only one post has: every term is given up but the ones it holds, and it alone is the answer.
  const dated = engine.search({ q, to: '2020-12-31', page: 1, size: 100 })
  assert.deepEqual(idsOf(dated), new Set(ids.all))
  assert.equal(dated.total, 1)
  // A date no post has: nothing, however many terms are given up.
  assert.equal(engine.search({ q: `${q} 松鼠 松果 树洞 河水 熊猫 竹林`, from: '2030-01-01', page: 1, size: 10 }).total, 0)
})
