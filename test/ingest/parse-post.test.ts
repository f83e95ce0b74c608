import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import iconv from 'iconv-lite'
import type { Document, IngestResult } from '../../src/ingest/index.js'
import { parsePost, TITLE_FROM_BODY_MAX_CHARS, titleFromBody } from '../../src/ingest/index.js'
import { jekyllPost, postFile, utf8 } from './helpers.js'

const FRONT = ['layout: post', 'title: "示例标题"', 'date: 2022-03-29 08:42:52 +0800', 'categories: shili', 'tags: 示例新闻']
const GENERATED_BODY = '<p>第一段。</p><p>第二段。</p><p class="em_media">（文章来源：示例日报）</p>\n\n<http://news.example.org/s.html?id=1>\n\n[返回示例新闻](//e.example/c.html)｜[返回首页](//e.example/)\n'

type Expect = Partial<Omit<Document, 'id' | 'path'>> & { notes?: string[] }

function documentOf(result: IngestResult): { document: Document; notes: string[] } {
  assert.equal(result.kind, 'document', result.kind === 'skipped' ? `skipped: ${result.code} ${result.reason}` : '')
  if (result.kind !== 'document') throw new Error('unreachable')
  return { document: result.document, notes: result.notes.map((n) => n.code) }
}

describe('parsePost: posts it reads', () => {
  const cases: { name: string; bytes: Uint8Array; file?: string; expect: Expect }[] = [
    {
      name: 'the generator shape: link, footer and attribution leave the text',
      bytes: utf8(jekyllPost(FRONT, GENERATED_BODY)),
      expect: {
        title: '示例标题', date: '2022-03-29T08:42:52+08:00', categories: ['shili'], tags: ['示例新闻'],
        url: 'http://news.example.org/s.html?id=1', source: '示例日报', paragraphs: ['第一段。', '第二段。'], extra: { layout: 'post' }, notes: [],
      },
    },
    { name: 'no footer', bytes: utf8(jekyllPost(FRONT, '<p>正文。</p>\n\n<http://e.example/1>\n')), expect: { url: 'http://e.example/1', paragraphs: ['正文。'] } },
    { name: 'footer but no link', bytes: utf8(jekyllPost(FRONT, '<p>正文。</p>\n\n[返回示例新闻](//e/)｜[返回首页](//e/)')), expect: { url: null, paragraphs: ['正文。'] } },
    { name: 'an empty link <> means no url', bytes: utf8(jekyllPost(FRONT, '<p>正文。</p>\n\n<>\n\n[返回首页](//e/)')), expect: { url: null, paragraphs: ['正文。'] } },
    {
      name: 'source and link written in the front matter',
      bytes: utf8(jekyllPost([...FRONT, 'source: 晨光周刊', 'url: https://news.example.org/a?id=7'], '<p>正文。</p>')),
      expect: { url: 'https://news.example.org/a?id=7', source: '晨光周刊', paragraphs: ['正文。'], extra: { layout: 'post' }, notes: [] },
    },
    {
      name: 'the front matter\'s source and link over the body\'s lines, which still leave the text',
      bytes: utf8(jekyllPost([...FRONT, 'source: 晨光周刊', 'source_url: http://a.example/1', 'link: http://b.example/2'], GENERATED_BODY)),
      expect: { url: 'http://a.example/1', source: '晨光周刊', paragraphs: ['第一段。', '第二段。'] },
    },
    {
      name: 'a link that is a page of the site, and a source that is a list, are noted and left out',
      bytes: utf8(jekyllPost([...FRONT, 'url: /2022/03/29/shili.html', 'source: [甲, 乙]'], '<p>正文。</p>\n\n<http://e.example/1>\n')),
      expect: { url: 'http://e.example/1', source: null, paragraphs: ['正文。'], extra: { layout: 'post' }, notes: ['bad_url', 'bad_source'] },
    },
    {
      name: 'a link key that holds no link gives way to the next that does',
      bytes: utf8(jekyllPost([...FRONT, 'link: 见原文', 'url: https://c.example/3'], '<p>正文。</p>')),
      expect: { url: 'https://c.example/3', paragraphs: ['正文。'], notes: ['bad_url'] },
    },
    { name: 'attribution with ASCII parentheses', bytes: utf8(jekyllPost(FRONT, '<p>正文。</p><p>(来源: 示例社)</p>')), expect: { source: '示例社', paragraphs: ['正文。'] } },
    { name: 'no attribution', bytes: utf8(jekyllPost(FRONT, '<p>正文。（示例社）</p>')), expect: { source: null, paragraphs: ['正文。（示例社）'] } },
    {
      name: 'no title: the start of the body stands in',
      bytes: utf8(jekyllPost(['title: ""', 'date:  +0800'], '> 据示例网消息，示例公司今天发布新品。据悉这是首款。\n\n<p>正文。</p>')),
      expect: { title: '据示例网消息，示例公司今天发布新品', date: '2022-03-29T00:00:00+08:00', paragraphs: ['据示例网消息，示例公司今天发布新品。据悉这是首款。', '正文。'], notes: ['bad_date', 'title_from_body'] },
    },
    { name: 'a title key that is missing altogether', bytes: utf8(jekyllPost(['date: 2021-12-08'], '正文一句话')), expect: { title: '正文一句话', notes: ['title_from_body'] } },
    { name: 'a numeric title keeps its written form', bytes: utf8(jekyllPost(['title: 1.10', 'date: 2021-12-08'], '正文。')), expect: { title: '1.10' } },
    { name: 'entities in a title are decoded; tags in it stay text', bytes: utf8(jekyllPost(['title: "A &amp; B <i>斜</i>"'], '正文。')), expect: { title: 'A & B <i>斜</i>' } },
    {
      name: 'control characters written as entities leave the title and the text (ESC would reach a terminal)',
      bytes: utf8(jekyllPost(['title: "标题&#x1b;]0;pwned&#x7;终端"'], '正文&#x1b;[31m红色&#x9b;0m。')),
      expect: { title: '标题]0;pwned终端', paragraphs: ['正文[31m红色0m。'] },
    },
    {
      name: 'list-valued tags and string categories split on spaces',
      bytes: utf8(jekyllPost(['title: 周刊', 'categories: weekly tech', 'tags: [科技爱好者, 科技, 2024]'], '正文。')),
      expect: { categories: ['weekly', 'tech'], tags: ['科技爱好者', '科技', '2024'] },
    },
    {
      name: 'mappings among the tags and categories name none, and a note says they were left out',
      bytes: utf8(jekyllPost(['title: 甲', 'date: 2021-12-08', 'tags: {a: {b: c}}', 'categories: [[新闻, 本地], {z: 1}, 要闻]'], '正文。')),
      expect: { categories: ['新闻', '本地', '要闻'], tags: [], notes: ['bad_categories', 'bad_tags'] },
    },
    { name: 'string tags split on commas', bytes: utf8(jekyllPost(['title: 甲', 'tags: "一, 二，三 三"'], '正文。')), expect: { tags: ['一', '二', '三'] } },
    { name: 'a singular category joins categories', bytes: utf8(jekyllPost(['title: 甲', 'category: 新闻 中心', 'categories: [a]'], '正文。')), expect: { categories: ['a', '新闻 中心'] } },
    { name: 'empty and null lists', bytes: utf8(jekyllPost(['title: 甲', 'categories:', 'tags: []'], '正文。')), expect: { categories: [], tags: [] } },
    {
      name: 'zero-width spaces and soft hyphens leave titles and tags as they leave paragraphs',
      bytes: utf8(jekyllPost(['title: "钓\u200b鱼 hyphen\u00adation"', 'tags: ["标\u200b签"]'], '<p>正\u200b文。</p>')),
      expect: { title: '钓鱼 hyphenation', tags: ['标签'], paragraphs: ['正文。'] },
    },
    {
      name: 'accents are composed (NFC) in titles, tags and paragraphs',
      bytes: utf8(jekyllPost(['title: "Poke\u0301mon"', 'tags: ["cafe\u0301"]'], '<p>cafe\u0301 咖啡</p>')),
      expect: { title: 'Pok\u00e9mon', tags: ['caf\u00e9'], paragraphs: ['caf\u00e9 咖啡'] },
    },
    {
      name: 'a tag or category longer than 200 characters is cut to 200, with a note',
      bytes: utf8(jekyllPost(['title: 甲', 'date: 2021-12-08', `categories: ["${'类'.repeat(201)}"]`, `tags: ["${'😀'.repeat(250)}", 短]`], '正文。')),
      expect: { categories: ['类'.repeat(200)], tags: ['😀'.repeat(200), '短'], notes: ['long_facet', 'long_facet'] },
    },
    {
      name: 'a front matter title longer than 500 characters is cut there, with a note; one of 500 is whole',
      bytes: utf8(jekyllPost([`title: "${'长'.repeat(498)}😀😀😀${'题'.repeat(100_000)}"`, 'date: 2021-12-08'], '正文。')),
      expect: { title: `${'长'.repeat(498)}😀😀…`, notes: ['long_title'] },
    },
    {
      name: 'a front matter title of exactly 500 characters is kept whole',
      bytes: utf8(jekyllPost([`title: "${'长'.repeat(499)}😀"`, 'date: 2021-12-08'], '正文。')),
      expect: { title: `${'长'.repeat(499)}😀`, notes: [] },
    },
    {
      name: 'an .html title is cut by characters: an emoji at the limit stays whole',
      bytes: utf8(`<html><head><title>${'长'.repeat(199)}${'😀'.repeat(3)}</title></head><body><p>正文。</p></body></html>`),
      file: 'page.html',
      expect: { title: `${'长'.repeat(199)}😀…` },
    },
    {
      name: 'other keys go to extra, dates in them as written',
      bytes: utf8(jekyllPost(['title: 甲', 'layout: post', 'author: 王', 'published: true', 'updated: 2022-01-02', 'meta: {a: [1, 2]}'], '正文。')),
      expect: { extra: { layout: 'post', author: '王', published: true, updated: '2022-01-02', meta: { a: [1, 2] } } },
    },
    {
      name: 'a Markdown body',
      bytes: utf8(jekyllPost(['title: 周刊'], '开头一段。\n\n## 小节\n\n- **一**\n- [二](http://e.example)\n\n> 引用。')),
      expect: { paragraphs: ['开头一段。', '小节', '一', '二', '引用。'] },
    },
    { name: 'an empty body: still a document', bytes: utf8(jekyllPost(FRONT, '')), expect: { title: '示例标题', paragraphs: [], notes: ['empty_body'] } },
    { name: 'a body that is only boilerplate', bytes: utf8(jekyllPost(FRONT, '<http://e.example/2>\n\n[返回首页](../)')), expect: { url: 'http://e.example/2', paragraphs: [], notes: ['empty_body'] } },
    { name: 'CRLF line ends', bytes: utf8(jekyllPost(FRONT, GENERATED_BODY).replace(/\n/g, '\r\n')), expect: { title: '示例标题', url: 'http://news.example.org/s.html?id=1', source: '示例日报', paragraphs: ['第一段。', '第二段。'] } },
    { name: 'a BOM', bytes: Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(jekyllPost(FRONT, '<p>正文。</p>'))]), expect: { title: '示例标题', paragraphs: ['正文。'], notes: [] } },
    {
      name: 'GBK bytes',
      bytes: iconv.encode(jekyllPost(FRONT, GENERATED_BODY), 'gbk'),
      expect: { title: '示例标题', tags: ['示例新闻'], source: '示例日报', paragraphs: ['第一段。', '第二段。'], notes: ['decoded_legacy_encoding'] },
    },
    {
      name: 'malformed YAML: still indexed from its text',
      bytes: utf8(jekyllPost(['title: "标题还在"', 'tags: [一, 二', 'date: 2021-12-08 10:00:00 +0800'], '<p>正文。</p>')),
      expect: { title: '标题还在', date: '2021-12-08T10:00:00+08:00', tags: ['一', '二'], paragraphs: ['正文。'], notes: ['front_matter_malformed'] },
    },
    {
      name: 'a stray line inside the front matter: the keys after it are still read, the line goes to the body',
      bytes: utf8(jekyllPost(['title: 误放测试', '这是误放的一行', 'date: 2024-01-01 10:00:00 +0800', 'tags: 标签甲', 'categories: cat'], '<p>正文内容一。</p>')),
      expect: { title: '误放测试', date: '2024-01-01T10:00:00+08:00', tags: ['标签甲'], categories: ['cat'], paragraphs: ['这是误放的一行', '正文内容一。'], notes: ['front_matter_malformed'] },
    },
    {
      name: 'front matter never closed',
      bytes: utf8('---\ntitle: 没有结尾\ndate: 2021-12-08\n\n<p>正文。</p>'),
      expect: { title: '没有结尾', date: '2021-12-08T00:00:00+08:00', paragraphs: ['正文。'], notes: ['front_matter_unclosed'] },
    },
    { name: 'no front matter at all', bytes: utf8('<p>只有正文。</p>'), expect: { title: '只有正文', paragraphs: ['只有正文。'], notes: ['no_front_matter', 'date_from_file_name', 'title_from_body'] } },
    { name: 'date without a time', bytes: utf8(jekyllPost(['title: 甲', 'date: 2021-12-08'], '正文。')), expect: { date: '2021-12-08T00:00:00+08:00', notes: [] } },
    { name: 'date with slashes', bytes: utf8(jekyllPost(['title: 甲', 'date: 2021/12/08 10:00'], '正文。')), expect: { date: '2021-12-08T10:00:00+08:00', notes: [] } },
    { name: 'date with no zone', bytes: utf8(jekyllPost(['title: 甲', 'date: 2021-12-08 10:46:18'], '正文。')), expect: { date: '2021-12-08T10:46:18+08:00', notes: [] } },
    { name: 'date that is only a zone', file: 'example.md', bytes: utf8(jekyllPost(['title: 甲', 'date:  +0800'], '正文。')), expect: { date: null, notes: ['bad_date'] } },
    { name: 'garbage date', file: 'example.md', bytes: utf8(jekyllPost(['title: 甲', 'date: 下周二'], '正文。')), expect: { date: null, notes: ['bad_date'] } },
    { name: 'impossible date', file: 'example.md', bytes: utf8(jekyllPost(['title: 甲', 'date: 2023-02-29'], '正文。')), expect: { date: null, notes: ['bad_date'] } },
    { name: 'impossible date: dated by the file name instead', bytes: utf8(jekyllPost(['title: 甲', 'date: 2023-02-29'], '正文。')), expect: { date: '2022-03-29T00:00:00+08:00', notes: ['bad_date'] } },
    { name: 'no date: dated by the file name, as Jekyll does', bytes: utf8(jekyllPost(['title: 甲'], '正文。')), expect: { date: '2022-03-29T00:00:00+08:00', notes: ['date_from_file_name'] } },
    { name: 'no date, nor one in the file name', file: 'example.md', bytes: utf8(jekyllPost(['title: 甲'], '正文。')), expect: { date: null, notes: ['no_date'] } },
    { name: 'no date, and a file name whose day does not exist', file: '2022-02-30-example.md', bytes: utf8(jekyllPost(['title: 甲'], '正文。')), expect: { date: null, notes: ['no_date'] } },
    { name: 'control characters a YAML escape writes into the title', bytes: utf8(jekyllPost(['title: "标\\0题\\x07甲\\t乙"', 'date: 2021-12-08'], '正文。')), expect: { title: '标题甲 乙', notes: [] } },
    { name: 'date with a YAML anchor', bytes: utf8(jekyllPost(['title: 甲', 'date: &d 2023-05-06 10:00:00 +0800'], '正文。')), expect: { date: '2023-05-06T10:00:00+08:00', notes: [] } },
    { name: 'date with a YAML tag', bytes: utf8(jekyllPost(['title: 甲', 'date: !!timestamp 2023-05-06'], '正文。')), expect: { date: '2023-05-06T00:00:00+08:00', notes: [] } },
    { name: 'date on the line after its key', bytes: utf8(jekyllPost(['title: 甲', 'date:', '  2023-05-06 10:00:00 +0900'], '正文。')), expect: { date: '2023-05-06T10:00:00+09:00', notes: [] } },
    {
      name: 'nested and broken HTML',
      bytes: utf8(jekyllPost(FRONT, '<div><p>一<b>二</p>三<div><p>四</div></b><span>五')),
      expect: { paragraphs: ['一二', '三', '四', '五'] },
    },
    {
      name: 'entities and no-break spaces',
      bytes: utf8(jekyllPost(FRONT, '<p>甲&nbsp;&amp;&nbsp;乙&nbsp;&lt;丙&gt;&#x4E01;&#25098;</p>')),
      expect: { paragraphs: ['甲 & 乙 <丙>丁戊'] },
    },
    {
      name: '<script> and <style> inside the text',
      bytes: utf8(jekyllPost(FRONT, '<p>前文<script>document.write("<p>注入</p>")</script>后文</p><style>.a{}</style><p>尾</p>')),
      expect: { paragraphs: ['前文后文', '尾'] },
    },
    {
      name: 'hidden paragraphs are dropped',
      bytes: utf8(jekyllPost(FRONT, '<p style="display:none;height:1px;overflow:hidden;"><br /></p><p style="display: none">藏起来的</p><p>看得见的</p>')),
      expect: { paragraphs: ['看得见的'] },
    },
    {
      name: 'xwlb-style <br> and <strong>',
      bytes: utf8(jekyllPost(FRONT, '<p><strong>示例网消息</strong>（示例节目）：今天开会。<br>会议决定三件事。</p><p style="text-align: center;"><strong>公报</strong><br><br>&nbsp;&nbsp;（第1号）</p>')),
      expect: { paragraphs: ['示例网消息（示例节目）：今天开会。', '会议决定三件事。', '公报', '（第1号）'] },
    },
    { name: 'an .html post is read as HTML', file: 'page.html', bytes: utf8(jekyllPost(['title: 页'], '# 井号\n<p>段</p>')), expect: { paragraphs: ['# 井号', '段'] } },
    {
      name: 'a saved web page without front matter takes its title from <title>',
      file: 'page.html',
      bytes: utf8('<html><head><meta charset="utf-8"><title>\n  城市 &amp; 公园\n  指南 </title></head><body><h1>别的</h1><p>公园正文。</p></body></html>\n'),
      expect: { title: '城市 & 公园指南', paragraphs: ['别的', '公园正文。'], notes: ['no_front_matter', 'no_date'] },
    },
    {
      name: 'an .html post without a title and without <title> takes its first <h1>',
      file: 'page.html',
      bytes: utf8(jekyllPost(['date: 2021-12-08'], '<h1>湖边 <b>公园</b></h1><p>正文。</p>')),
      expect: { title: '湖边 公园', notes: [] },
    },
    { name: 'a Markdown post does not look for <title>', bytes: utf8(jekyllPost(['date: 2021-12-08'], '<title>不是标题</title>\n\n正文一句话')), expect: { title: '正文一句话', notes: ['title_from_body'] } },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const file = postFile(c.file ?? '2022-03-29-example.md')
      const { document, notes } = documentOf(parsePost(c.bytes, file))
      assert.equal(document.id, file.id)
      assert.equal(document.path, file.relPath)
      const { notes: expectedNotes, ...fields } = c.expect
      for (const [key, value] of Object.entries(fields)) assert.deepEqual(document[key as keyof Document], value, key)
      if (expectedNotes) assert.deepEqual(notes, expectedNotes)
    })
  }
})

describe('parsePost: posts it skips', () => {
  const cases: { name: string; bytes: Uint8Array; code: string }[] = [
    { name: '0 bytes', bytes: new Uint8Array(0), code: 'empty_file' },
    { name: 'binary', bytes: Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x0a, 0x00, 0xff, 0x00, 0x13]), code: 'binary' },
    { name: 'invalid UTF-8 that is not Chinese', bytes: Uint8Array.from([...utf8('---\ntitle: '), 0xe9, 0x20, 0xff, 0x0a, ...utf8('---\n'), 0xc0, 0x20]), code: 'bad_encoding' },
    { name: 'neither title nor text', bytes: utf8(jekyllPost(['title: ""', 'date: 2021-12-08'], '<p> </p>\n\n<>\n\n[返回首页](../)')), code: 'no_text' },
    { name: 'only whitespace', bytes: utf8('\n  \n\t\n'), code: 'no_text' },
    { name: 'only front matter, no title', bytes: utf8('---\nlayout: post\n---\n'), code: 'no_text' },
    // Jekyll leaves it out of the site; the search page showed it to everyone.
    { name: 'published: false', bytes: utf8(jekyllPost(['title: 草稿', 'published: false'], '<p>未发布的正文。</p>')), code: 'unpublished' },
    { name: 'published: false in front matter read key by key', bytes: utf8(jekyllPost(['title: [unclosed', 'published: false'], '<p>未发布。</p>')), code: 'unpublished' },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const result = parsePost(c.bytes, postFile('x/skip-me.md'))
      assert.equal(result.kind, 'skipped')
      if (result.kind === 'skipped') {
        assert.equal(result.code, c.code)
        assert.equal(result.path, 'x/skip-me.md')
        assert.ok(result.reason.length > 0)
      }
    })
  }
})

describe('parsePost: hostile front matter', () => {
  it('an alias bomb in the front matter is cut off, not expanded', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 12; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`)
    levels.push('tags: *l11', 'title: 炸弹')
    const started = Date.now()
    const { document, notes } = documentOf(parsePost(utf8(jekyllPost(levels, '正文。')), postFile('bomb.md')))
    assert.ok(Date.now() - started < 5000, 'bounded work')
    assert.equal(document.title, '炸弹')
    assert.ok(notes.includes('front_matter_truncated'))
    assert.ok(JSON.stringify(document).length < 1_000_000)
  })
})

describe('parsePost: a field of a megabyte', () => {
  it('a date of 500,000 characters is quoted in its note cut to 40, not whole', () => {
    // The whole value was printed by `index` and stored in the build report: 500 KB for one post.
    const result = parsePost(utf8(jekyllPost(['title: 甲', `date: "${'2'.repeat(500_000)}"`], '正文。')), postFile('long-date.md'))
    assert.equal(result.kind, 'document')
    if (result.kind !== 'document') return
    assert.deepEqual(result.notes.find((n) => n.code === 'bad_date')?.message, `date "${'2'.repeat(40)}…" is not a date; the post has none`)
  })
})

describe('parsePost: hostile inputs finish in bounded time and keep their text', () => {
  const N = 200_000
  const keys = (n: number, value: string): string[] => Array.from({ length: n }, (_, i) => `k${i}: ${value}`)
  const cases: { name: string; text: string; check?: (d: Document) => boolean }[] = [
    { name: 'a footer near-miss', text: jekyllPost(['title: t'], `${'[返回a](b)  '.repeat(60)}x`) },
    { name: 'a huge footer-like line', text: jekyllPost(['title: t'], `${'[返回a](b)｜'.repeat(N / 8)}x`) },
    { name: 'many unclosed attributions', text: jekyllPost(['title: t'], `<p>${'（来源：'.repeat(N / 4)}</p>`) },
    { name: 'whitespace runs in front matter values', text: jekyllPost([`title: a${' '.repeat(N)}b`, `date: 2021${' '.repeat(N)}x`], '正文'), check: (d) => d.title === 'a b' },
    { name: '20,000 front matter keys', text: jekyllPost(keys(20_000, '2021-01-01'), '正文') },
    { name: '20,000 broken front matter keys', text: jekyllPost(keys(20_000, '[a'), '正文'), check: (d) => d.paragraphs[0] === '正文' },
    { name: 'front matter never closed, 20,000 keys', text: `---\n${keys(20_000, 'v').join('\n')}\n\n正文`, check: (d) => d.paragraphs[0] === '正文' },
    { name: 'unclosed Liquid tags', text: jekyllPost(['title: t'], `正文${'{%'.repeat(N / 2)}`) },
    { name: 'a title of entity look-alikes', text: jekyllPost([`title: "${'&a'.repeat(N / 2)}"`], '正文') },
    { name: 'no title and one huge paragraph', text: jekyllPost(['title: ""'], '字'.repeat(N)), check: (d) => d.title.length <= TITLE_FROM_BODY_MAX_CHARS + 1 },
    { name: '20,000 link lines', text: jekyllPost(['title: t'], '<http://a>\n'.repeat(20_000)) },
    { name: 'a run of < characters', text: jekyllPost(['title: t'], `正文${'<'.repeat(N)}`) },
    { name: 'a run of open tags', text: jekyllPost(['title: t'], '<p>'.repeat(N / 3)) },
    { name: 'an element with 100,000 children', text: jekyllPost(['title: t'], `<div>${'<i>字</i>'.repeat(100_000)}</div>`), check: (d) => d.paragraphs[0]!.length === 100_000 },
    { name: 'a tags string of 100,000 words', text: jekyllPost(['title: t', `tags: "${'词 '.repeat(100_000)}"`], '正文'), check: (d) => d.tags.length === 1 },
    { name: 'YAML nested 5,000 deep', text: jekyllPost(['title: t', `meta: ${'['.repeat(5000)}1${']'.repeat(5000)}`], '正文') },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const started = Date.now()
      const { document } = documentOf(parsePost(utf8(c.text), postFile('hostile.md')))
      assert.ok(Date.now() - started < 10_000, 'bounded time')
      assert.ok(document.title.length > 0)
      if (c.check) assert.ok(c.check(document), JSON.stringify(document).slice(0, 300))
    })
  }
})

describe('titleFromBody', () => {
  const long = '很'.repeat(TITLE_FROM_BODY_MAX_CHARS + 10)
  const cases: [paragraph: string, title: string][] = [
    ['第一句话。第二句话。', '第一句话'],
    ['没有句号的一段话', '没有句号的一段话'],
    ['Question? Answer.', 'Question'],
    [long, `${'很'.repeat(TITLE_FROM_BODY_MAX_CHARS)}…`],
    [`${'长'.repeat(TITLE_FROM_BODY_MAX_CHARS + 5)}。`, `${'长'.repeat(TITLE_FROM_BODY_MAX_CHARS)}…`],
    ['𠀀'.repeat(TITLE_FROM_BODY_MAX_CHARS + 1), `${'𠀀'.repeat(TITLE_FROM_BODY_MAX_CHARS)}…`],
    ['。开头就是句号', '。开头就是句号'],
  ]
  for (const [paragraph, title] of cases) it(JSON.stringify(paragraph.slice(0, 12)), () => assert.equal(titleFromBody(paragraph), title))
})

describe('parsePost: properties', () => {
  const wellFormed = (result: IngestResult): void => {
    if (result.kind === 'skipped') {
      assert.ok(result.code.length > 0 && result.reason.length > 0)
      return
    }
    const d = result.document
    assert.ok(d.title.length > 0 || d.paragraphs.length > 0)
    for (const p of d.paragraphs) {
      assert.ok(p.length > 0, 'no empty paragraphs')
      assert.equal(p, p.trim(), 'trimmed')
      assert.ok(!/\s{2}|[\t\n\r]/.test(p), 'whitespace collapsed')
    }
    assert.doesNotThrow(() => JSON.stringify(d))
    assert.deepEqual(structuredClone(d), d)
  }

  it('never throws on arbitrary bytes, and what it returns is well formed', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => wellFormed(parsePost(bytes, postFile('p.md')))), { numRuns: 400 })
  })

  it('never throws on arbitrary post-like text', () => {
    const piece = fc.constantFrom('---', '\n', '\r\n', 'title: ', 'date: ', 'tags: [', ']', '"', "'", '<p>', '</p>', '<br>', '<script>', '&amp;', '&#', '>',
      '<http://e.example/x>', '<>', '[返回首页](../)', '（来源：', '）', '中文', '# ', '- ', '```', '{%', '%}', '*', '&', ':', ' ')
    const text = fc.array(fc.oneof(piece, fc.string({ maxLength: 5 })), { maxLength: 60 }).map((parts) => parts.join(''))
    fc.assert(fc.property(text, (t) => wellFormed(parsePost(utf8(t), postFile('p.md')))), { numRuns: 600 })
  })

  it('is deterministic', () => {
    const bytes = utf8(jekyllPost(FRONT, GENERATED_BODY))
    assert.deepEqual(parsePost(bytes, postFile('a.md')), parsePost(bytes, postFile('a.md')))
  })
})

describe('parsePost: published', () => {
  it('only the boolean false leaves a post out, as in Jekyll: a quoted "false" or "no", no#draft (a string), or published: true or yes, is read', () => {
    for (const value of ['"false"', "'no'", '"off"', 'true', 'yes', 'On', 'nope', 'no way', 'no#draft']) {
      const { document } = documentOf(parsePost(utf8(jekyllPost(['title: 甲', `published: ${value}`], '<p>正文。</p>')), postFile('2024-01-01-a.md')))
      assert.equal(document.title, '甲', value)
    }
  })

  it('the false words of Jekyll\'s YAML (no, off, false, in any case) leave a post out, though gray-matter reads them as strings', () => {
    for (const value of ['no', 'No', 'NO', 'off', 'Off', 'fAlSe', 'no  # draft']) {
      const result = parsePost(utf8(jekyllPost(['title: 草稿', `published: ${value}`, 'tags: [a]'], '<p>未发布的正文。</p>')), postFile('x/draft.md'))
      assert.equal(result.kind, 'skipped', value)
      if (result.kind === 'skipped') {
        assert.equal(result.code, 'unpublished', value)
        assert.match(result.reason, /published: /)
      }
    }
  })
})
