import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { domParagraphs } from '../../src/ingest/html-text.js'
import { plainHtmlParagraphs } from '../../src/ingest/plain-html.js'

describe('plainHtmlParagraphs', () => {
  it('reads the common post body the way the DOM walk does', () => {
    const html = '<p><strong>本台消息</strong>（晚间新闻）：今天&nbsp;多云。</p><p style="text-indent: 2em;">第二段<br/>换行</p>\n<p>尾&lt;声&gt;</p>'
    const paragraphs = plainHtmlParagraphs(html)
    assert.deepEqual(paragraphs, ['本台消息（晚间新闻）：今天 多云。', '第二段', '换行', '尾<声>'])
    assert.deepEqual(paragraphs, domParagraphs(html))
  })

  it('reads what marked renders: headings, lists, links, images, code blocks', () => {
    const html = '<h2 id="x">小标题</h2>\n<ul>\n<li>一<a href="https://example.com/?a=1&b=2">链接</a></li>\n<li>二</li>\n</ul>\n<p><img src="a.png" alt="图">说明</p>\n<pre><code class="language-js">const a = 1\n\nlet b = &quot;二&quot;\n</code></pre>\n<blockquote>\n<p>引文</p>\n</blockquote>\n'
    assert.notEqual(plainHtmlParagraphs(html), null)
    assert.deepEqual(plainHtmlParagraphs(html), domParagraphs(html))
  })

  it('follows htmlparser2 where tags overlap or stray', () => {
    const cases = [
      '<strong><p>甲</strong>乙</p>丙',
      '<p>一<b>粗<i>斜</b>体</i><p>二<div>三</p>四',
      '</p>甲</br>乙<p>丙<li>丁<li>戊</ul>己',
      '<ul><li>一<ul><li>二</li></ul>三</li></ul>',
      '<pre>行一\n<span>行二\n行三</span></pre>尾\n巴',
      '<p>未闭合<span>和行内',
      '<P>大写</P><BR>标签',
      '<h3>题<p>段</h3>后',
    ]
    for (const html of cases) {
      assert.notEqual(plainHtmlParagraphs(html), null, html)
      assert.deepEqual(plainHtmlParagraphs(html), domParagraphs(html), html)
    }
  })

  it('leaves everything else to the full parser', () => {
    const declined = [
      '<p>前<script>x()</script>后</p>',
      '<p style="display:none">藏</p>',
      '<div hidden>藏</div>',
      '<div role="navigation">菜单</div>',
      '<div role="main">正文</div>',
      '<nav>菜单</nav>',
      '<main>正文</main>',
      '<p>省略&hellip;</p>',
      '<p>AT&T</p>',
      '<table><tr><td>格</td></tr></table>',
      '<p>甲 < 乙</p>',
      '<p class=x>无引号</p>',
      '<![CDATA[x]]>',
      '<p>&#128;</p>',
    ]
    for (const html of declined) assert.equal(plainHtmlParagraphs(html), null, html)
  })

  it('agrees with the DOM walk on any mix of known and unknown markup', () => {
    const piece = fc.oneof(
      fc.constantFrom('<p>', '</p>', '<div>', '</div>', '<li>', '</li>', '<ul>', '</ul>', '<pre>', '</pre>', '<h2>', '</h2>', '<blockquote>', '<center>', '</center>'),
      fc.constantFrom('<strong>', '</strong>', '<span style="color: red;">', '</span>', '<a href="x?a=1&b=2">', '</a>', '<em>', '</em>', '<code>', '</code>'),
      fc.constantFrom('<br>', '<br/>', '</br>', '<hr>', '<img src="a.png">', '</img>', '<wbr>', '<!-- 注 -->'),
      fc.constantFrom('&nbsp;', '&amp;', '&lt;', '&#20013;', '&#x27;', '&quot;'),
      fc.constantFrom('<table>', '<td>', '<script>', '&hellip;', '<p hidden>', '<span style="display: none">', '<nav>', '<main>', '<div role="main">', '<p role="navigation">'),
      fc.constantFrom('中文', '正文。', 'word', ' ', '\n', '\t', '\u00a0', '\u3000', '\u200b'),
    )
    let read = 0
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const html = pieces.join('')
        const fast = plainHtmlParagraphs(html)
        if (fast === null) return
        read++
        assert.deepEqual(fast, domParagraphs(html))
      }),
      { numRuns: 3000 },
    )
    assert.ok(read > 1000, `the fast reading took ${read} of 3000 inputs`)
  })
})
