import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { attributionOf, isFooterLine, sourceLinkOf, takeAttribution, takeTrailingBoilerplate } from '../../src/ingest/boilerplate.js'

describe('sourceLinkOf', () => {
  const cases: [line: string, url: string | null][] = [
    ['<http://news.example.org/share.html?id=1>', 'http://news.example.org/share.html?id=1'],
    ['<https://tv.example.com/2024/01/01/VIDE1.shtml>', 'https://tv.example.com/2024/01/01/VIDE1.shtml'],
    ['  <http://example.com/a,b.html>  ', 'http://example.com/a,b.html'],
    ['<>', ''],
    ['<p>正文</p>', null],
    ['<http://example.com/a b>', null],
    ['见 <http://example.com/>', null],
    ['<ftp://example.com/file>', null],
    ['http://example.com/', null],
  ]
  for (const [line, url] of cases) it(`${JSON.stringify(line)} → ${JSON.stringify(url)}`, () => assert.equal(sourceLinkOf(line), url))
})

describe('isFooterLine', () => {
  const cases: [line: string, footer: boolean][] = [
    ['[返回城市新闻](//news.example.org/category/chengshi.html)｜[返回首页](//news.example.org/)', true],
    ['[返回快讯](../kuaixun/)', true],
    ['[返回首页](../)', true],
    ['[返回列表](/list/) | [返回首页](/)', true],
    ['[返回首页](../) 更多内容', false],
    ['点击[返回首页](../)', false],
    ['[首页](../)', false],
    ['', false],
  ]
  for (const [line, footer] of cases) it(`${JSON.stringify(line)} → ${footer}`, () => assert.equal(isFooterLine(line), footer))
})

describe('attributionOf', () => {
  const cases: [paragraph: string, found: { source: string; rest: string } | null][] = [
    ['（文章来源：示例晚报）', { source: '示例晚报', rest: '' }],
    ['（来源：示例通讯社）', { source: '示例通讯社', rest: '' }],
    ['(来源: Example News)', { source: 'Example News', rest: '' }],
    ['（稿件来源： 示例日报 ）', { source: '示例日报', rest: '' }],
    ['来源：示例日报', { source: '示例日报', rest: '' }],
    ['工程年底完工。（来源：示例日报）', { source: '示例日报', rest: '工程年底完工。' }],
    ['（来源：）', { source: '', rest: '' }],
    ['（示例日报）', null],
    ['（图片来源：示例图库）', null],
    ['来源于群众，服务于群众。', null],
    ['（来源：示例日报）后面还有话', null],
    [`（来源：${'很长'.repeat(30)}）`, null],
  ]
  for (const [paragraph, found] of cases) it(JSON.stringify(paragraph), () => assert.deepEqual(attributionOf(paragraph), found))
})

describe('takeTrailingBoilerplate', () => {
  const cases: { name: string; body: string; rest: string; url: string | null }[] = [
    {
      name: 'link then one-line footer',
      body: '<p>正文</p>\n\n<http://a.example/1>\n\n[返回新闻](//a.example/n/)｜[返回首页](//a.example/)\n',
      rest: '<p>正文</p>',
      url: 'http://a.example/1',
    },
    { name: 'link then two footer lines', body: '正文。\n\n<http://a.example/2>\n\n[返回快讯](../k/)\n[返回首页](../)', rest: '正文。', url: 'http://a.example/2' },
    { name: 'link, no footer', body: '正文。\n\n<http://a.example/3>\n', rest: '正文。', url: 'http://a.example/3' },
    { name: 'footer, no link', body: '<p>正文</p>\n\n[返回新闻](//a/)｜[返回首页](//a/)', rest: '<p>正文</p>', url: null },
    { name: 'empty link <>', body: '<p>正文</p>\n\n<>\n\n[返回首页](//a/)', rest: '<p>正文</p>', url: null },
    { name: 'neither', body: '第一段。\n\n第二段。', rest: '第一段。\n\n第二段。', url: null },
    { name: 'a link line that is not last stays', body: '<http://a.example/mid>\n\n正文。', rest: '<http://a.example/mid>\n\n正文。', url: null },
    { name: 'only boilerplate', body: '<http://a.example/4>\n[返回首页](../)', rest: '', url: 'http://a.example/4' },
    {
      name: 'a comment or Liquid tag after the footer, and a separator on a line of its own, do not hide it',
      body: '<p>正文</p>\n<http://a.example/7>\n\n[返回新闻](//a/)\n｜\n[返回首页](//a/)\n<!-- generated -->\n{% include footer.html %}\n',
      rest: '<p>正文</p>',
      url: 'http://a.example/7',
    },
    { name: 'only one link is taken', body: '<http://a.example/5>\n<http://a.example/6>', rest: '<http://a.example/5>', url: 'http://a.example/6' },
  ]
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(takeTrailingBoilerplate(c.body), { body: c.rest, url: c.url }))
  }
})

describe('takeAttribution', () => {
  it('drops a last paragraph that is only the attribution', () => {
    assert.deepEqual(takeAttribution(['甲。', '（文章来源：示例晚报）']), { paragraphs: ['甲。'], source: '示例晚报' })
  })
  it('keeps the text before an attribution at the end of the last paragraph', () => {
    assert.deepEqual(takeAttribution(['甲。', '乙。（来源：示例日报）']), { paragraphs: ['甲。', '乙。'], source: '示例日报' })
  })
  it('looks only at the last paragraph', () => {
    assert.deepEqual(takeAttribution(['（来源：示例日报）', '乙。']), { paragraphs: ['（来源：示例日报）', '乙。'], source: null })
  })
  it('an empty attribution is removed and gives no source', () => {
    assert.deepEqual(takeAttribution(['甲。', '（来源：）']), { paragraphs: ['甲。'], source: null })
  })
  it('no paragraphs', () => assert.deepEqual(takeAttribution([]), { paragraphs: [], source: null }))
})
