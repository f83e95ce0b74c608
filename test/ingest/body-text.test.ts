import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bodyParagraphs, looksLikeHtml, MARKDOWN_LIMITS, nextMarks } from '../../src/ingest/body-text.js'

describe('looksLikeHtml', () => {
  const cases: [body: string, html: boolean][] = [
    ['<p>甲</p><p>乙</p>', true],
    ['<p>甲</p>\n <p>乙</p>\n\n<div>丙</div>', true],
    ['<!-- 注释 -->\n<p>甲</p>', true],
    ['</p>\n<p>甲</p>', true],
    ['> 摘要一句。\n\n<p>正文</p>', false],
    ['正文一段。', false],
    ['## 标题\n\n<p>段</p>', false],
    ['<http://example.com/>', false],
    ['', false],
  ]
  for (const [body, html] of cases) it(`${JSON.stringify(body)} → ${html}`, () => assert.equal(looksLikeHtml(body), html))
})

describe('bodyParagraphs', () => {
  const cases: { name: string; body: string; format: 'html' | 'markdown'; paragraphs: string[] }[] = [
    { name: 'HTML body', body: '<p>甲。</p><p>乙。</p>', format: 'markdown', paragraphs: ['甲。', '乙。'] },
    { name: 'a one-line Markdown body', body: '\n示例公司发布公告称，利润增长。\n', format: 'markdown', paragraphs: ['示例公司发布公告称，利润增长。'] },
    {
      name: 'Markdown: headings, links, emphasis, lists, code, images',
      body: '## 工具\n\n1、[示例编辑器](https://e.example) 是**开源**的\n\n![](https://img.example/a.jpg)\n\n- 一\n- 二 `<div>`\n\n```js\nlet a = 1\n```\n',
      format: 'markdown',
      paragraphs: ['工具', '1、示例编辑器 是开源的', '一', '二 <div>', 'let a = 1'],
    },
    { name: 'a `>` digest blockquote is kept as text', body: '> 摘要：今天晴。\n\n正文。', format: 'markdown', paragraphs: ['摘要：今天晴。', '正文。'] },
    {
      name: 'bold beside Chinese punctuation, which CommonMark leaves as `**`; code, a lone `**` and `** **` stay as written',
      body: '论文题目叫做**《跳伞的安全》**。**重要的事，**放在最后。\n\n`a**b**c` 与 F**k。\n\n（@某人** **投稿）',
      format: 'markdown',
      paragraphs: ['论文题目叫做《跳伞的安全》。重要的事，放在最后。', 'a**b**c 与 F**k。', '（@某人** **投稿）'],
    },
    {
      name: 'a Markdown `>` line followed by HTML',
      body: '> 摘要：示例公司宣布新产品。（示例报）\n\n<p style="display:none;"><br /></p><!-- start --><p>新产品<span><a href="#">发布</a></span>了！<br /></p><p class="m">（文章来源：示例报）</p>',
      format: 'markdown',
      paragraphs: ['摘要：示例公司宣布新产品。（示例报）', '新产品发布了！', '（文章来源：示例报）'],
    },
    { name: 'Markdown soft breaks inside Chinese text join', body: '一个开源的文本编辑器，支持\n多种语言。', format: 'markdown', paragraphs: ['一个开源的文本编辑器，支持多种语言。'] },
    { name: 'a script in Markdown is dropped', body: '正文<script>steal()</script>。\n\n<script>\nalert(1)\n</script>', format: 'markdown', paragraphs: ['正文。'] },
    { name: '.html posts are never read as Markdown', body: '# 不是标题\n\n*不是强调*', format: 'html', paragraphs: ['# 不是标题 *不是强调*'] },
    { name: 'Liquid tags are not text', body: '{% raw %}正文{{ 变量 }}{% endraw %}\n\n{%- include a.html -%}', format: 'markdown', paragraphs: ['正文{{ 变量 }}'] },
    {
      name: 'Liquid outputs and comment blocks are not text either; raw keeps even tags as written',
      body: '{{ site.url }}/图片路径\n\n前文{% comment %}液体注释内容{% endcomment %}后文\n\n{% raw %}{% if a %}原样{% endraw %}',
      format: 'markdown',
      paragraphs: ['/图片路径', '前文后文', '{% if a %}原样'],
    },
    {
      name: 'bold and strikethrough by `__` and `~~` beside Chinese, as `**`',
      body: '售出了__1337__份，叫做__“下划”__的书。\n\n前文~~“删除”~~后文。\n\nsnake_case_name 与 __x',
      format: 'markdown',
      paragraphs: ['售出了1337份，叫做“下划”的书。', '前文“删除”后文。', 'snake_case_name 与 __x'],
    },
    {
      name: 'footnotes, as kramdown writes them, keep their text at the end, without the reference marks',
      body: '城东修了新路[^1]，还有别的[^说明]。\n\n第二段。\n\n[^1]: 资金来自专项债。\n[^说明]: 这条说明\n    写了两行。\n\n    还有第二段。\n\n[^unused]: 无人引用，不显示。',
      format: 'markdown',
      paragraphs: ['城东修了新路，还有别的。', '第二段。', '资金来自专项债。', '这条说明写了两行。', '还有第二段。'],
    },
    { name: 'empty body', body: '\n\n', format: 'markdown', paragraphs: [] },
  ]
  for (const c of cases) it(c.name, () => assert.deepEqual(bodyParagraphs(c.body, c.format), { paragraphs: c.paragraphs, note: null }))
})

describe('nextMarks: where marked may end a text token for **, __ and ~~', () => {
  it('finds marks near the start of the rest, and past a leading run of tildes or backticks', () => {
    assert.equal(nextMarks('叫做**《书名》**', '**'), 2)
    assert.equal(nextMarks(`${'~'.repeat(3000)}删**去`, '**'), 3001)
    assert.equal(nextMarks('没有标记', '__'), undefined)
  })

  it('does not search the whole rest of a paragraph, which made a 1 MB line of `[` take 24 s', () => {
    assert.equal(nextMarks(`${'['.repeat(5000)}**粗**`, '**'), undefined)
  })

  it('marks beyond its reach are still read: a later text token finds them', () => {
    const text = bodyParagraphs(`${'长'.repeat(3000)}叫做**《书名》**，${'['.repeat(3000)}售出了__1337__份`, 'markdown')
    assert.equal(text.note, null)
    assert.ok(text.paragraphs[0]!.includes('长叫做《书名》，['), text.paragraphs[0]!.slice(2990, 3020))
    assert.ok(text.paragraphs[0]!.endsWith('[售出了1337份'))
  })
})

describe('bodyParagraphs: bodies marked would choke on are read as plain text', () => {
  const cases: { name: string; body: string; paragraphs: (ps: string[]) => boolean }[] = [
    {
      name: `over ${MARKDOWN_LIMITS.emphasisMarks} emphasis marks`,
      body: `开头。\n\n${'_a'.repeat(MARKDOWN_LIMITS.emphasisMarks)}\n\n**结尾**`,
      paragraphs: (ps) => ps.length === 3 && ps[0] === '开头。' && ps[2] === '**结尾**',
    },
    {
      name: `blockquotes nested over ${MARKDOWN_LIMITS.nesting} deep`,
      body: `${'>'.repeat(100_000)} 深处的引用`,
      paragraphs: (ps) => ps.length === 1 && ps[0]!.endsWith('深处的引用'),
    },
    {
      name: 'a list nested 2000 deep',
      body: Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i * 2)}- 第${i}层`).join('\n'),
      paragraphs: (ps) => ps.length === 1 && ps[0]!.startsWith('- 第0层 - 第1层'),
    },
    {
      name: 'list markers nested on one line, which overflowed marked on the main thread but not in a worker',
      body: `${'- '.repeat(3000)}独特词语`,
      paragraphs: (ps) => ps.length === 1 && ps[0]!.endsWith('独特词语'),
    },
    {
      name: 'numbered list markers nested on one line',
      body: `${'1. '.repeat(100)}独特词语`,
      paragraphs: (ps) => ps.length === 1 && ps[0]!.endsWith('独特词语'),
    },
    {
      name: `over ${MARKDOWN_LIMITS.emphasisMarks} strikethrough marks (quadratic in marked)`,
      body: `开头。\n\n${'~a~~'.repeat(MARKDOWN_LIMITS.emphasisMarks / 3 + 1)}`,
      paragraphs: (ps) => ps[0] === '开头。',
    },
    {
      name: 'footnote marks left open along a line (marked-footnote reads to the line end from each: quadratic)',
      body: `开头。\n\n${`[^注${'长'.repeat(100)}`.repeat(1000)}`,
      paragraphs: (ps) => ps.length === 2 && ps[0] === '开头。' && ps[1]!.startsWith('[^注长'),
    },
    {
      name: `over ${MARKDOWN_LIMITS.footnoteMarks} footnote marks (each reference looks up every footnote)`,
      body: `${'正文[^1]'.repeat(MARKDOWN_LIMITS.footnoteMarks + 1)}\n\n[^1]: 注释。`,
      paragraphs: (ps) => ps.length === 2 && ps[1] === '[^1]: 注释。',
    },
    {
      name: 'a list item of thousands of lines (marked goes over the item again for each line: quadratic)',
      body: `- 第一项\n${'续行内容\n'.repeat(4000)}\n结尾。`,
      paragraphs: (ps) => ps.length === 2 && ps[0]!.startsWith('- 第一项续行内容续行内容') && ps[1] === '结尾。',
    },
    {
      name: 'quoted lines returned to after unquoted ones thousands of times (marked rereads the quote: quadratic)',
      body: `${'> 引用\n正文\n'.repeat(3000)}\n结尾。`,
      paragraphs: (ps) => ps.length === 2 && ps[0]!.startsWith('> 引用正文 > 引用正文') && ps[1] === '结尾。',
    },
    {
      name: `over ${MARKDOWN_LIMITS.chars} characters`,
      body: `${'一段普通的文字。'.repeat(20)}\n\n`.repeat(Math.ceil(MARKDOWN_LIMITS.chars / 162) + 1),
      paragraphs: (ps) => ps.length > 6000 && ps.every((p) => p === '一段普通的文字。'.repeat(20)),
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const started = Date.now()
      const text = bodyParagraphs(c.body, 'markdown')
      assert.ok(Date.now() - started < 10_000, 'bounded time')
      assert.equal(text.note?.code, 'markdown_not_rendered')
      assert.ok(c.paragraphs(text.paragraphs), JSON.stringify(text.paragraphs.slice(0, 3)).slice(0, 300))
    })
  }

  it('a line indented far, or a blank one of many spaces, nests nothing: the post is still rendered', () => {
    const text = bodyParagraphs(`# 标题\n\n第一段**加粗**。\n${' '.repeat(200)}\n第二段。\n\n${' '.repeat(160)}8、[链接](https://example.org)`, 'markdown')
    assert.equal(text.note, null)
    assert.deepEqual(text.paragraphs.slice(0, 3), ['标题', '第一段加粗。', '第二段。'])
  })

  it('an interview quoting each question, a long list item and a few footnotes are still rendered', () => {
    const interview = '> 问：这条路什么时候通车？\n答：年底前。\n'.repeat(60)
    const item = `- 第一项\n${'  续行。\n'.repeat(200)}`
    const text = bodyParagraphs(`${interview}\n${item}\n正文[^1]。\n\n[^1]: 注释。`, 'markdown')
    assert.equal(text.note, null)
    assert.ok(text.paragraphs[0]!.startsWith('问：这条路什么时候通车？答：年底前。问：'))
    assert.deepEqual(text.paragraphs.slice(-2), ['正文。', '注释。'])
  })

  it('HTML nested too deep is read flat, with a note', () => {
    const depth = 100_000
    const text = bodyParagraphs(`<p>前言</p>${'<div><b>'.repeat(depth)}深处&amp;底部${'</b></div>'.repeat(depth)}<p>后记</p>`, 'html')
    assert.deepEqual(text, { paragraphs: ['前言', '深处&底部', '后记'], note: { code: 'html_flattened', message: text.note?.message } })
  })
})
