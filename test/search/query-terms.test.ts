import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { phraseOf, termsOf } from '../../src/search/query-terms.js'

const analyzer = new Analyzer()
const texts = (q: string) => termsOf(q, analyzer, 'any').map((t) => (t.stop ? `(${t.text})` : t.text))

const cases: [string, string[]][] = [
  ['红旗区', ['红旗区']],
  ['断头路', ['断头路']], // jieba: 断头/路 — a lone character joins its neighbour
  ['于吉红', ['于吉红']], // unknown name: single characters glue together
  ['长江十年禁渔', ['长江', '十年', '禁渔']],
  ['35岁', ['35岁']],
  ['6条', ['6条']],
  ['5g基站', ['5g', '基站']],
  ['紅旗區', ['红旗区']],
  ['ＡＧ６００', ['ag600']],
  ['中国的发展', ['中国', '(的)', '发展']],
  ['我们 长江', ['(我们)', '长江']], // a function word of two characters is one too
  ['怎么申请个人养老金', ['(怎么)', '申请', '个人', '养老金']], // a question asks about the rest
  ['今年粮食产量是多少', ['今年', '粮食产量', '(是)', '(多少)']],
  ['IT 行业', ['it', '行业']], // Latin words are not read as English function words
  ['碳中和', ['碳中和']],
  ['Rust', ['rust']],
  ['！？', []],
]

test('termsOf: jieba words, single characters glued, gaps separate', async (t) => {
  for (const [query, expected] of cases) await t.test(query, () => assert.deepEqual(texts(query), expected))
})

test('a phrase keeps its gaps: units need not touch where the query had a space', () => {
  const p = phraseOf('machine learning', analyzer, 'any')!
  assert.deepEqual(p.units, ['machine', 'learning'])
  assert.deepEqual(Array.from(p.joined), [0, 0])
  const q = phraseOf('十年禁渔', analyzer, 'title')!
  assert.deepEqual(Array.from(q.joined), [0, 1, 1, 1])
  assert.equal(q.field, 'title')
})

const parts = (q: string) => termsOf(q, analyzer, 'any').map((t) => t.parts?.map((p) => p.text) ?? null)

test('a word with a lone character glued on keeps its two pieces; a run of single characters does not', () => {
  assert.deepEqual(parts('断头路'), [['断头', '路']])
  assert.deepEqual(parts('阿尔茨海默病'), [['阿尔茨海默', '病']])
  assert.deepEqual(parts('35岁'), [['35', '岁']])
  assert.deepEqual(parts('于吉红'), [null])
  assert.deepEqual(parts('红旗区'), [null])
})

test('the glued-on character is known on either side of its word: it only filters, the word is scored', () => {
  const lone = (q: string) => termsOf(q, analyzer, 'any').map((t) => t.lone?.text ?? null)
  assert.deepEqual(lone('断头路'), ['路'])
  assert.deepEqual(lone('35岁'), ['岁'])
  // Glued forward: 致 has no word before it, so it joins the one after.
  assert.deepEqual(parts('致39人'), [['致', '39人']])
  assert.deepEqual(lone('致39人'), ['致'])
  assert.deepEqual(lone('红旗区'), [null])
})

test('in a phrase, a space between Han characters is a gap as punctuation is; lone characters between gaps are read in a row', () => {
  const joined = (q: string) => Array.from(phraseOf(q, analyzer, 'any')!.joined)
  assert.deepEqual(joined('红 旗 区'), [0, 1, 1])
  assert.deepEqual(joined('禁渔 令'), [0, 1, 0])
  assert.deepEqual(joined('飘香 各地'), [0, 1, 0, 1])
  assert.deepEqual(joined('中，国'), [0, 1])
  // A gap beside a word keeps its meaning: the document's text settles whether the lone 中 is in its place.
  assert.deepEqual(joined('中，国家'), [0, 0, 1])
  assert.deepEqual(joined('35 岁'), [0, 1])
  assert.deepEqual(joined('rust，语言'), [0, 0, 1])
})

test('touching letters and digits need not touch in the text; Han beside them still does', () => {
  const joins = (q: string) => termsOf(q, analyzer, 'any').map((t) => Array.from(t.joined))
  assert.deepEqual(joins('gpt4'), [[0, 0]])
  assert.deepEqual(joins('h5n1'), [[0, 0, 0, 0]])
  assert.deepEqual(joins('35岁'), [[0, 1]])
  assert.deepEqual(Array.from(phraseOf('iphone15 手机', analyzer, 'any')!.joined), [0, 0, 1, 1])
})

test('letters and digits joined by a hyphen are one term, which the text may write with a hyphen, a space or neither', () => {
  const one = (q: string) => termsOf(q, analyzer, 'any').map((t) => [t.text, t.units.join('|'), Array.from(t.joined).join('')])
  assert.deepEqual(one('GPT-4'), [['gpt-4', 'gpt|4', '00']])
  assert.deepEqual(one('COVID-19 疫苗').slice(0, 1), [['covid-19', 'covid|19', '00']])
  assert.deepEqual(one('x86-64'), [['x86-64', 'x|86|64', '000']])
  assert.deepEqual(one('GPT—4 HFC−134a'), [['gpt—4', 'gpt|4', '00'], ['hfc−134a', 'hfc|134|a', '000']])
  // A space still separates terms, and a hyphen between Han characters joins nothing.
  assert.deepEqual(one('iPhone 15').map(([text]) => text), ['iphone', '15'])
  assert.deepEqual(one('GPT -4').map(([text]) => text), ['gpt', '4'])
  assert.ok(termsOf('长江-黄河', analyzer, 'any').length >= 2)
})
