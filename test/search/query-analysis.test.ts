// A term or clause asked for twice is kept once: it means what it means once, and each copy would cost
// a search of its own.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { analyzeQuery, QueryTooCostlyError } from '../../src/search/query-analysis.js'
import { parseSynonyms } from '../../src/search/synonyms.js'

const analyzer = new Analyzer()
const analyze = (q: string) => analyzeQuery(q, analyzer, parseSynonyms('电动车, 新能源汽车'))
const texts = (q: string) => analyze(q).clauses.map((alts) => alts.map((t) => t.text))

test('repeated words, OR alternatives, synonyms, exclusions and typed runs are each kept once', () => {
  assert.deepEqual(texts('的 的 的'), [['的']])
  assert.deepEqual(texts('红旗区 断头路 红旗区'), [['红旗区'], ['断头'], ['路']])
  assert.deepEqual(texts('"的，中国" | "的，中国" | "的，发展"'), [['的,中国', '的,发展']])
  assert.deepEqual(texts('中国 | 发展 中国 | 发展 发展 | 中国'), [['中国', '发展']])
  assert.deepEqual(texts('电动车 新能源汽车'), [['电动车', '新能源汽车']])
  assert.deepEqual(analyze('长江 -足球 -足球 -"足球"').excluded.map((t) => t.text), ['足球'])
  assert.deepEqual(analyze('远程办公 远程办公').typed.map((t) => t.text), ['远程办公'])
  assert.equal(analyze('断头路 断头路').glued.length, 1)
})

test('a character glued onto several words is one clause, which each glued term names as its lone part', () => {
  const query = analyze('坚持好完善好运行好人民代表大会制度')
  assert.deepEqual(texts('坚持好完善好运行好人民代表大会制度'), [['坚持'], ['好'], ['完善'], ['运行'], ['人民代表大会'], ['制度']])
  assert.deepEqual(query.glued.map((g) => g.text), ['坚持好', '完善好', '运行好'])
  const lone = query.clauses[1]![0]!
  for (const g of query.glued) {
    assert.equal(g.lone, lone, g.text)
    assert.ok(g.parts!.includes(lone), g.text)
  }
})

test('what differs is kept: another field, another spacing, a phrase against its words', () => {
  assert.deepEqual(texts('禁渔 title:禁渔'), [['禁渔'], ['禁渔']])
  assert.deepEqual(analyze('禁渔 title:禁渔').clauses.map((alts) => alts[0]!.field), ['any', 'title'])
  assert.deepEqual(texts('"中国 发展" 中国 发展'), [['中国 发展'], ['中国'], ['发展']])
})

test('more than four phrases that only the posts\' text can settle are refused as too costly, with a 400 for the API', () => {
  const phrases = ['"的，中国"', '"的，红旗"', '"是，我们"', '"了，农田"', '"在，长江"']
  assert.equal(analyze(phrases.slice(0, 4).join(' | ')).clauses[0]!.length, 4)
  // Other phrases do not count: their positions settle them.
  assert.equal(analyze([...phrases.slice(0, 4), '"中国，美国"', '"红 旗 区"', '"rust，语言"'].join(' | ')).clauses[0]!.length, 7)
  for (const q of [phrases.join(' | '), `的 ${phrases.map((p) => `-${p}`).join(' ')}`, `${phrases.slice(0, 3).join(' ')} -${phrases[3]} -${phrases[4]}`]) {
    assert.throws(() => analyze(q), (error: unknown) => error instanceof QueryTooCostlyError && error.status === 400 && /at most 4 phrases/.test(error.message), q)
  }
  // Repeats are kept once, so they do not count twice.
  assert.equal(analyze(Array(8).fill(phrases[0]).join(' | ')).clauses.length, 1)
})

test('function and question words are not required beside other words, and are searched when they are all the query has', () => {
  assert.deepEqual(texts('我们 长江'), [['长江']])
  assert.deepEqual(texts('怎么申请个人养老金'), [['申请'], ['个人'], ['养老金']])
  assert.deepEqual(texts('为什么'), [['为什么']])
  assert.deepEqual(texts('我们 的'), [['我们'], ['的']])
})

test('accents typed decomposed (e + U+0301) are composed as the posts\' are', () => {
  assert.deepEqual(texts('cafe\u0301'), [['café']])
})

test('invisible characters inside a word are dropped, as they are from posts: 长\u200b江 is 长江', () => {
  for (const q of ['长\u200b江', '长\u00ad江', '长\ufeff江', '长\u200d江', '长\u{E0100}江', '长\u{E01EF}江']) assert.deepEqual(texts(q), [['长江']], JSON.stringify(q))
  assert.deepEqual(texts('ru\u200bst'), [['rust']])
})

test('a synonym member typed inside a longer run brings its group, where jieba cut across it, but never out of a longer word', () => {
  // Jieba cuts 新能源汽车销量 as 新能源 + 汽车销量: the member is longer than the word it cuts through.
  assert.deepEqual(texts('新能源汽车销量'), [['新能源汽车', '电动车'], ['销量']])
  assert.deepEqual(texts('推广新能源汽车补贴'), [['推广'], ['新能源汽车', '电动车'], ['补贴']])
  assert.deepEqual(texts('電動車銷量'), [['电动车', '新能源汽车'], ['销量']])
  const withChina = (q: string) => analyzeQuery(q, analyzer, parseSynonyms('中国, 中华\n')).clauses.map((alts) => alts.map((t) => t.text))
  assert.deepEqual(withChina('中国人民银行'), [['中国人民银行']])
  // A member never spans a gap: 电动，车 is two terms, as without synonyms.
  assert.deepEqual(texts('电动，车'), [['电动'], ['车']])
})

test('the ORs of a query keep sixteen alternatives in all: an OR past them is left out, the other terms stay', () => {
  const chars = [...'的一是在了有和人这中大为上个国我以要他时来用们生到作地于出就分对']
  const ors = (from: number, count: number) => chars.slice(from, from + count).join('|')
  // One OR keeps its first sixteen, as before.
  assert.deepEqual(texts(ors(0, 20)), [chars.slice(0, 16)])
  // Six ORs of sixteen: the first holds them all, the rest are left out; plain terms after them stay.
  const six = analyze(`${[0, 1, 2, 3, 4, 5].map((i) => ors(i * 4, 16)).join(' ')} 长江 禁渔`)
  assert.deepEqual(six.clauses.map((alts) => alts.length), [16, 1, 1])
  // Shares: 10 and 6 fit; a third OR has none left.
  assert.deepEqual(texts(`${ors(0, 10)} ${ors(10, 10)} ${ors(20, 3)}`).map((alts) => alts.length), [10, 6])
})
