import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { HtmlWriter } from '../../src/search/html-writer.js'
import { escapeHtml, markRanges, writeMarked, type MatchRange } from '../../src/search/highlight.js'

// What the writer replaces, spelled out with string operations: escaping by replace, newlines by a regular expression, String.prototype.trim.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escaped = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!)
function referenceMarked(text: string, ranges: MatchRange[], from: number, to: number): string {
  let html = ''
  let at = from
  for (const r of ranges) {
    if (r.end <= from || r.start >= to) continue
    const s = Math.max(r.start, from)
    const e = Math.min(r.end, to)
    html += escaped(text.slice(at, s)) + '<mark>' + escaped(text.slice(s, e)) + '</mark>'
    at = e
  }
  return html + escaped(text.slice(at, to))
}

const PIECES = ['红旗区', '紅旗區', '\n', '\n\n', ' ', '\u3000', '\t', '&', '<b>', '"', "'", '𠮷', '𝐀', 'rust', '，', '。', 'a', '\u2028']
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((parts) => parts.join(''))
/** Sorted, non-overlapping ranges of `text` (as mergeRanges gives them), and a window [from, to). */
const marked = text.chain((t) =>
  fc.tuple(fc.constant(t), fc.uniqueArray(fc.nat({ max: t.length }), { maxLength: 8 }), fc.nat({ max: t.length }), fc.nat({ max: t.length })).map(([t, cuts, a, b]) => {
    const sorted = [...cuts].sort((x, y) => x - y)
    const ranges: MatchRange[] = []
    for (let k = 0; k + 1 < sorted.length; k += 2) ranges.push({ start: sorted[k]!, end: sorted[k + 1]!, term: 0 })
    return { text: t, ranges, from: Math.min(a, b), to: Math.max(a, b) }
  }),
)

test('marked text is escaped and marked as string operations would do it', () => {
  fc.assert(
    fc.property(marked, ({ text, ranges, from, to }) => {
      assert.equal(markRanges(text, ranges, from, to), referenceMarked(text, ranges, from, to))
    }),
    { numRuns: 500 },
  )
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
})

test('on one line, each run of newlines is one space, across marks as the regular expression sees them', () => {
  fc.assert(
    fc.property(marked, ({ text, ranges, from, to }) => {
      const out = new HtmlWriter()
      out.reset()
      writeMarked(out, text, ranges, from, to, true)
      assert.equal(out.toString(), referenceMarked(text, ranges, from, to).replace(/\n+/g, ' '))
    }),
    { numRuns: 500 },
  )
  const out = new HtmlWriter()
  out.reset()
  writeMarked(out, 'a\n\n\nb\n', [{ start: 1, end: 2, term: 0 }], 0, 6, true)
  assert.equal(out.toString(), 'a<mark> </mark> b ')
  // Text written in two pieces is one text: a run of newlines across them is still one space.
  out.reset()
  out.text('a\n', 0, 2, true)
  out.text('\n\nb', 0, 3, true)
  assert.equal(out.toString(), 'a b')
})

test('trim removes what String.prototype.trim removes, from the mark on only', () => {
  fc.assert(
    fc.property(text, text, (before, piece) => {
      const out = new HtmlWriter()
      out.reset()
      out.text(before, 0, before.length)
      const start = out.position
      out.text(piece, 0, piece.length)
      out.trim(start)
      assert.equal(out.toString(), escaped(before) + escaped(piece).trim())
    }),
    { numRuns: 500 },
  )
})

test('a writer grows past its buffer and starts afresh after a long document', () => {
  const out = new HtmlWriter()
  const long = '&红旗区\n'.repeat(50_000)
  out.reset()
  out.text(long, 0, long.length)
  assert.equal(out.toString(), escaped(long))
  out.reset()
  out.markup('…')
  out.text('<短>', 0, 3)
  assert.equal(out.toString(), '…&lt;短&gt;')
})
