import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { flattenHtml, MAX_HTML_NESTING, nestsTooDeep } from '../../src/ingest/html-flatten.js'

describe('nestsTooDeep', () => {
  const over = MAX_HTML_NESTING + 1
  const cases: [name: string, html: string, deep: boolean][] = [
    ['a normal post', '<p><strong>甲</strong>乙<br></p>'.repeat(1000), false],
    ['exactly at the limit', `${'<div>'.repeat(MAX_HTML_NESTING)}${'</div>'.repeat(MAX_HTML_NESTING)}`, false],
    ['one past the limit', `${'<div>'.repeat(over)}${'</div>'.repeat(over)}`, true],
    ['unclosed inline tags', '<b>'.repeat(over), true],
    ['unclosed <p> and <li> close themselves', `${'<p>甲'.repeat(over)}${'<li>乙'.repeat(over)}`, false],
    ['void and self-closed tags do not nest', `${'<br><img src=x><hr/>'.repeat(over)}${'<span/>'.repeat(over)}`, false],
    ['tags inside comments and scripts do not count', `<!--${'<div>'.repeat(over)}--><script>${'<div>'.repeat(over)}</script>`, false],
    ['stray < characters are not tags', '1 < 2 '.repeat(over * 2), false],
    // htmlparser2 parses them as HTML: skipping to their end let a post nest 150,000 deep (15 s to parse).
    ['tags inside an unclosed <noscript> or <iframe> count', `<noscript>${'<div>'.repeat(over)}`, true],
    ['tags inside a closed <iframe> count', `<iframe>${'<b>'.repeat(over)}</iframe>`, true],
    // A closing tag that closes nothing open does not make room: parsers go quadratic on this.
    ['stray closing tags between opening ones', '<b></i>'.repeat(over), true],
    ['a closing tag closes the elements opened after its own', '<div><span><em>甲</div>'.repeat(over * 2), false],
  ]
  for (const [name, html, deep] of cases) it(name, () => assert.equal(nestsTooDeep(html), deep))
})

describe('flattenHtml', () => {
  const cases: [name: string, html: string, flat: string][] = [
    ['block tags become <br>, inline tags vanish', '<div><p>甲<b>乙</b></p>丙</div>', '<br><br>甲乙<br>丙<br>'],
    ['entities stay encoded for the parser to decode', '<p>A &amp; B</p>', '<br>A &amp; B<br>'],
    ['script and style content is dropped', '甲<script>if (a < b) x()</script>乙<STYLE>p{}</STYLE>丙', '甲乙丙'],
    ['comments and doctypes are dropped', '<!DOCTYPE html>甲<!-- 注 -->乙', '甲乙'],
    ['a stray < stays text', '1 < 2', '1 &lt; 2'],
    ['an unclosed comment ends the text', '甲<!-- 没有结束', '甲'],
    ['an unclosed script ends the text', '甲<script>var s = "乙"', '甲'],
    ['an unterminated tag ends the text', '甲<div class="x', '甲'],
  ]
  for (const [name, html, flat] of cases) it(name, () => assert.equal(flattenHtml(html), flat))
})
