import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { findMatches, markRanges } from '../../src/search/highlight.js'
import { termsOf } from '../../src/search/query-terms.js'
import { highlightTitle, makeSnippet } from '../../src/search/snippet.js'

const analyzer = new Analyzer()
const terms = (q: string) => termsOf(q, analyzer, 'any')

test('highlights follow the index rule: units, not raw substrings', () => {
  assert.equal(highlightTitle('Go 与 Google', terms('go')), '<mark>Go</mark> 与 Google')
  assert.equal(highlightTitle('紅旗區的斷頭路', terms('红旗区 断头路')), '<mark>紅旗區</mark>的<mark>斷頭路</mark>')
  assert.equal(highlightTitle('５Ｇ基站', terms('5G')), '<mark>５Ｇ</mark>基站')
})

test('everything but the marks is escaped', () => {
  const html = highlightTitle('<script>alert("红旗区")</script> & more', terms('红旗区'))
  assert.equal(html, '&lt;script&gt;alert(&quot;<mark>红旗区</mark>&quot;)&lt;/script&gt; &amp; more')
})

test('overlapping matches merge into one mark', () => {
  const text = '红旗区委'
  const ranges = findMatches(text, [...terms('红旗区'), ...terms('区委')])
  assert.equal(markRanges(text, ranges), '<mark>红旗区委</mark>')
})

test('the snippet shows the passage with the most distinct terms, cut at sentence ends', () => {
  const filler = '这是一段与查询无关的文字，用来把正文撑长。'.repeat(12)
  const text = `${filler}红旗区今年要打通6条断头路，其中两条已经开工。${filler}`
  const snippet = makeSnippet(text, terms('红旗区 断头路'))
  assert.match(snippet, /^…/)
  assert.match(snippet, /<mark>红旗区<\/mark>今年要打通6条<mark>断头路<\/mark>/)
  const plain = snippet.replace(/<\/?mark>/g, '').replace(/…/g, '')
  assert.ok(plain.length <= 160, `snippet length ${plain.length}`)
  assert.ok(text.includes(plain), 'the snippet is a slice of the text')
})

test('a short text is shown whole; no match shows the beginning', () => {
  assert.equal(makeSnippet('短文。', terms('红旗区')), '短文。')
  const long = '开头的一句话。' + '后面还有很多内容。'.repeat(40)
  assert.ok(makeSnippet(long, terms('红旗区')).startsWith('开头的一句话。'))
})

test('a cut never splits a surrogate pair', () => {
  const text = 'a' + '𠀀'.repeat(100) + 'b红旗区' + '𠀀'.repeat(100) // a naive cut 20 back from the match lands mid-pair
  const snippet = makeSnippet(text, terms('红旗区'))
  const plain = snippet.replace(/<\/?mark>/g, '').replace(/…/g, '')
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(plain), 'no lone surrogate')
  assert.match(snippet, /<mark>红旗区<\/mark>/)
})
