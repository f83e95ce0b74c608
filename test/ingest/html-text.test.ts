import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_HTML_NESTING } from '../../src/ingest/html-flatten.js'
import { cleanParagraph, htmlToParagraphs, readHtml } from '../../src/ingest/html-text.js'

describe('htmlToParagraphs', () => {
  const cases: { name: string; html: string; paragraphs: string[] }[] = [
    { name: 'one paragraph per <p>', html: '<p>第一段。</p>\n <p>第二段。</p>', paragraphs: ['第一段。', '第二段。'] },
    { name: 'inline markup joins without spaces', html: '<p><strong>示例网消息</strong>（晚间新闻）：今天<a href="#">多云</a>。</p>', paragraphs: ['示例网消息（晚间新闻）：今天多云。'] },
    { name: '<br> splits a paragraph; empty pieces vanish', html: '<p><strong>公告</strong><br><br>（第1号）<br></p><p>正文。<br/></p>', paragraphs: ['公告', '（第1号）', '正文。'] },
    { name: 'headings, lists and divs are paragraphs', html: '<h2>小标题</h2><ul><li>一</li><li>二<ul><li>二之一</li></ul></li></ul><div>尾<div>内</div>声</div>', paragraphs: ['小标题', '一', '二', '二之一', '尾', '内', '声'] },
    { name: 'entities are decoded', html: '<p>A&nbsp;&amp;&nbsp;B &lt;tag&gt; &quot;引&quot; &#x27;单&#39; &#20013;&hellip;</p>', paragraphs: ['A & B <tag> "引" \'单\' 中…'] },
    { name: 'script, style and noscript content is dropped', html: '<p>前<script>alert("x")</script>后</p><style>p{color:red}</style><noscript>请启用</noscript><p>尾</p>', paragraphs: ['前后', '尾'] },
    { name: 'a script that never closes swallows only itself', html: '<p>正文。</p><script>var a = "<p>不是正文</p>"', paragraphs: ['正文。'] },
    {
      name: 'hidden elements are dropped, overflow:hidden is not hiding',
      html: '<p style="display:none;height:1px;overflow:hidden;">藏</p><p style="overflow:hidden">显</p><div hidden>藏</div><span style="visibility: hidden">藏</span><p style="DISPLAY : NONE !important">藏</p><p>见</p>',
      paragraphs: ['显', '见'],
    },
    { name: 'ruby annotations are not text', html: '<p>这个<ruby>饕<rp>(</rp><rt>tāo</rt><rp>)</rp>餮<rt>tiè</rt></ruby>很贪吃。</p>', paragraphs: ['这个饕餮很贪吃。'] },
    { name: 'menus are not text: <nav>, and role="navigation"', html: '<nav><a href="/">首页</a><a href="/a">地方新闻</a></nav><p>正文。</p><div role="navigation"><a href="/b">上一篇</a></div><ul role="Navigation menu"><li>目录</li></ul>', paragraphs: ['正文。'] },
    { name: 'a role that only mentions navigation is text', html: '<div role="region navigation">区域</div><div data-role="navigation">数据</div>', paragraphs: ['区域', '数据'] },
    {
      name: 'a whole page is read from its <main>; the header, sidebar and footer around it are site chrome',
      html: '<html><head><title>站名</title></head><body><header><h1>示例日报</h1><p>订阅</p></header><aside>热门文章</aside><main><h2>断头路打通了</h2><p>红旗区的断头路今天通车。</p></main><footer>版权所有</footer></body></html>',
      paragraphs: ['断头路打通了', '红旗区的断头路今天通车。'],
    },
    { name: 'role="main" marks it too, and two mains are read in order', html: '<div>页眉</div><div role="main"><p>甲</p></div><div>中间</div><main><p>乙</p></main><div>页脚</div>', paragraphs: ['甲', '乙'] },
    { name: 'a main inside main is read once', html: '<main hidden><p>旧页</p></main><main><div role="main"><p>内</p></div><p>外</p></main>', paragraphs: ['内', '外'] },
    { name: 'a page whose only <main> is hidden is read whole, as a page without one', html: '<div>页面</div><main style="display:none"><p>旧页</p></main><p>正文</p>', paragraphs: ['页面', '正文'] },
    { name: 'images and comments contribute nothing', html: '<p>图<img src="x.jpg" alt="说明">后<!-- 注释 --></p><center><img src="y.jpg"></center>', paragraphs: ['图后'] },
    { name: 'broken nesting is repaired', html: '<p>一<b>粗<i>斜</b>体</i><p>二<div>三</p>四', paragraphs: ['一粗斜体', '二', '三', '四'] },
    { name: 'unclosed tags at the end', html: '<div><p>未闭合的段落<span>和行内', paragraphs: ['未闭合的段落和行内'] },
    { name: 'stray closing tags and a lone <', html: '</p></div>甲 < 乙</span>丙', paragraphs: ['甲 < 乙丙'] },
    { name: 'table rows are paragraphs, cells separated by spaces', html: '<table><tr><th>项目</th><th>数量</th></tr><tr><td>步道</td><td>3</td></tr></table>', paragraphs: ['项目 数量', '步道 3'] },
    { name: 'cells written on lines of their own stay apart', html: '<table>\n<tr>\n<td>单元甲鹦</td>\n<td>鹉单元乙</td>\n</tr>\n</table>', paragraphs: ['单元甲鹦 鹉单元乙'] },
    { name: 'each <pre> line is a paragraph', html: '<pre><code>const a = 1\n\nconsole.log(a)\n</code></pre>', paragraphs: ['const a = 1', 'console.log(a)'] },
    { name: 'whitespace collapses, including no-break and ideographic spaces', html: '<p>  甲\t\t乙\u00a0\u00a0丙\u3000丁  </p>', paragraphs: ['甲 乙 丙 丁'] },
    { name: 'a line break between Chinese characters is not a space', html: '<p>支持\n多种语言 and\nEnglish</p>', paragraphs: ['支持多种语言 and English'] },
    { name: 'zero-width characters are removed', html: '<p>红\u200b旗\ufeff区</p>', paragraphs: ['红旗区'] },
    { name: 'so are direction marks, invisible operators and variation selectors', html: '<p>红\u200e旗\u2062区\u034f乙\ufe0f</p>', paragraphs: ['红旗区乙'] },
    { name: 'control characters go, written as entities or raw, C1 ones too: no terminal escape survives', html: '<p>红&#x1b;[2J旗&#7;区\u009b31m乙\u0085丙\u0000丁</p>', paragraphs: ['红[2J旗区31m乙丙丁'] },
    { name: 'and ideographic variation selectors, which would cut a word in two (长 + 江)', html: '<p>长\u{E0100}江经济带，葛\u{E0101}飾区</p>', paragraphs: ['长江经济带，葛飾区'] },
    { name: 'text outside any element', html: '开头文字<p>段落</p>结尾文字', paragraphs: ['开头文字', '段落', '结尾文字'] },
    { name: 'empty input', html: '', paragraphs: [] },
    { name: 'only markup', html: '<p> </p><div><br></div>', paragraphs: [] },
  ]
  for (const c of cases) it(c.name, () => assert.deepEqual(htmlToParagraphs(c.html), c.paragraphs))

  it('nesting deeper than MAX_HTML_NESTING is read flat, quickly, keeping the text', () => {
    const depth = 200_000
    const started = Date.now()
    const deep = readHtml(`${'<div><span>'.repeat(depth)}深处${'</span></div>'.repeat(depth)}<p>尾&amp;声</p>`)
    assert.ok(Date.now() - started < 5_000, 'linear time')
    assert.deepEqual(deep, { paragraphs: ['深处', '尾&声'], flattened: true })
    const unclosed = readHtml(`${'<b>'.repeat(depth)}未闭合`)
    assert.deepEqual(unclosed, { paragraphs: ['未闭合'], flattened: true })
  })

  it('nesting just under the limit is parsed as a tree, through its own stack', () => {
    const depth = MAX_HTML_NESTING - 1 // each span sits one deeper than its div
    const html = `${'<div><span style="display:none">藏</span>'.repeat(depth)}底${'</div>'.repeat(depth)}`
    assert.deepEqual(readHtml(html), { paragraphs: ['底'], flattened: false })
  })

  it('many tags that do not nest are parsed as a tree', () => {
    const html = '<p>段<br>行</p>'.repeat(5_000) + '<li>项'.repeat(2_000)
    const read = readHtml(html)
    assert.equal(read.flattened, false)
    assert.equal(read.paragraphs.length, 12_000)
  })
})

describe('cleanParagraph', () => {
  const cases: [text: string, clean: string][] = [
    ['  a  b  ', 'a b'],
    ['中文\n中文', '中文中文'],
    ['中文 \n 中文', '中文中文'],
    ['word\nword', 'word word'],
    ['中文\nword', '中文 word'],
    ['\u00ad\u200b', ''],
  ]
  for (const [text, clean] of cases) it(JSON.stringify(text), () => assert.equal(cleanParagraph(text), clean))
})
