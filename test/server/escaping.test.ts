// Escaping, proved by properties: over random posts and queries, `title_html` and `snippet_html`
// carry no markup but <mark>…</mark>, and taking the marks out and unescaping gives back the title
// exactly and a slice of the post's text.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { buildIndex } from '../../src/index/build.js'
import { escapeHtml } from '../../src/search/highlight.js'
import { SearchEngine } from '../../src/search/engine.js'
import { termsOf } from '../../src/search/query-terms.js'
import { highlightTitle, makeSnippet } from '../../src/search/snippet.js'

/** Characters of the random text: Han, Latin, digits, markup and entity characters, quotes, emoji, spaces. */
const PIECES = [
  ...'红旗区断头路农田长江新乡的了是中国经济发展会议人民学校医院'.split(''),
  ...'abcxyzRSTmark'.split(''),
  ...'0123456789'.split(''),
  '<', '>', '&', '"', "'", '/', '=', ';', '#',
  '<mark>', '</mark>', '<script>', '</script>', '<img src=x onerror=alert(1)>', '&amp;', '&lt;', '&#39;', '&#x3C;',
  ' ', ' ', '，', '。', '“', '”', '😀', '𠮷', '\u00a0', '\u3000',
]

const piece = fc.constantFrom(...PIECES)
const phrase = (min: number, max: number) => fc.array(piece, { minLength: min, maxLength: max }).map((parts) => parts.join(''))
/** A title as an author writes it: no surrounding or doubled spaces, which front matter would not keep. */
const title = phrase(1, 20).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== '')
const paragraph = phrase(1, 80).map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '')
const post = fc.record({ title, paragraphs: fc.array(paragraph, { minLength: 1, maxLength: 8 }) })

const ENTITY = /&(amp|lt|gt|quot|#39);/g
const UNESCAPE: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/**
 * Checks `html` holds only escaped text and balanced, unnested <mark>…</mark>, and returns its text.
 * Fails with the offending HTML otherwise.
 */
function textOfMarkedHtml(html: string): string {
  let open = false
  for (const tag of html.match(/<[^>]*>?/g) ?? []) {
    assert.ok(tag === (open ? '</mark>' : '<mark>'), `unexpected markup ${JSON.stringify(tag)} in ${JSON.stringify(html)}`)
    open = !open
  }
  assert.equal(open, false, `unclosed <mark> in ${JSON.stringify(html)}`)
  const text = html.replace(/<\/?mark>/g, '')
  assert.doesNotMatch(text, /[<>"']/, `unescaped character in ${JSON.stringify(html)}`)
  assert.doesNotMatch(text.replace(ENTITY, ''), /&/, `a bare & in ${JSON.stringify(html)}`)
  assert.doesNotMatch(html, /<mark><\/mark>/, 'an empty mark')
  return text.replace(ENTITY, (entity) => UNESCAPE[entity]!)
}

/**
 * The snippet's text is slices of the document's in the document's order (one, or a second passage after
 * a …), newlines shown as spaces, with … where it was cut.
 */
function assertSnippetIsSlice(snippetHtml: string, documentText: string): void {
  let text = textOfMarkedHtml(snippetHtml)
  const shown = documentText.replace(/\n+/g, ' ')
  const cutBefore = text.startsWith('…')
  const cutAfter = text.endsWith('…') && text.length > 1
  if (cutBefore) text = text.slice(1)
  if (cutAfter) text = text.slice(0, -1)
  // One slice; else passages, each found after the one before (a … of the text's own splits a passage too, in order).
  const pieces = shown.includes(text) ? [text] : text.split('…')
  let at = 0
  for (const piece of pieces) {
    const found = shown.indexOf(piece, at)
    assert.ok(found >= 0, `snippet passage ${JSON.stringify(piece)} is not a slice of ${JSON.stringify(shown)} after offset ${at}`)
    at = found + piece.length
  }
  if (!cutBefore) assert.ok(shown.startsWith(pieces[0]!), `no … but the snippet does not start the text: ${JSON.stringify(text)}`)
  if (!cutAfter) assert.ok(shown.endsWith(pieces.at(-1)!), `no … but the snippet does not end the text: ${JSON.stringify(text)}`)
}

/** A query built from the documents' own text (so it finds something) or made up, with some syntax. */
function queryFor(posts: { title: string; paragraphs: string[] }[]) {
  const sources = posts.flatMap((p) => [p.title, ...p.paragraphs])
  const slice = fc
    .tuple(fc.constantFrom(...sources), fc.nat(), fc.integer({ min: 1, max: 6 }))
    .map(([text, at, length]) => {
      const chars = [...text]
      const start = at % chars.length
      return chars.slice(start, start + length).join('')
    })
  const term = fc.oneof(slice, slice, phrase(1, 4))
  return fc
    .tuple(fc.array(term, { minLength: 1, maxLength: 3 }), fc.constantFrom(' ', ' OR ', ' -', ' "', ' title:'))
    .map(([terms, joint]) => terms.join(joint))
    .filter((q) => q.trim() !== '')
}

describe('escaping of highlighted text', () => {
  const analyzer = new Analyzer()

  test('makeSnippet and highlightTitle on random text and terms', () => {
    fc.assert(
      fc.property(post, phrase(1, 6), (doc, query) => {
        const terms = termsOf(query, analyzer, 'any')
        assert.equal(textOfMarkedHtml(highlightTitle(doc.title, terms)), doc.title)
        const text = doc.paragraphs.join('\n')
        assertSnippetIsSlice(makeSnippet(text, terms), text)
      }),
      { numRuns: 400 },
    )
  })

  test('escapeHtml is undone exactly by the entity decoding used above', () => {
    fc.assert(fc.property(phrase(0, 40), (text) => assert.equal(textOfMarkedHtml(escapeHtml(text)), text)), { numRuns: 200 })
  })

  test('search responses over indexes of random posts', async (t) => {
    const root = mkdtempSync(path.join(tmpdir(), 'jiansuo-escaping-'))
    let run = 0
    let hits = 0
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(post, { minLength: 1, maxLength: 6 }).chain((posts) => fc.tuple(fc.constant(posts), fc.array(queryFor(posts), { minLength: 1, maxLength: 8 }))),
          async ([posts, queries]) => {
            const dir = path.join(root, `run-${run++}`)
            const postsDir = path.join(dir, 'posts')
            mkdirSync(postsDir, { recursive: true })
            posts.forEach((p, i) => {
              const body = p.paragraphs.map((para) => `<p>${escapeHtml(para)}</p>`).join('\n')
              writeFileSync(
                path.join(postsDir, `2024-01-0${1 + (i % 9)}-post${i}.md`),
                `---\ntitle: ${JSON.stringify(p.title)}\ndate: 2024-01-0${1 + (i % 9)} 08:00:00 +0800\ncategories: ceshi\n---\n${body}\n`,
              )
            })
            await buildIndex({ postsDir, outDir: path.join(dir, 'index'), workers: 1 })
            const engine = SearchEngine.open(path.join(dir, 'index'))
            // The text snippets are cut from, as the index stores it (ingest decodes entities, reads the HTML).
            const stored = new Map<string, string>()
            for (let doc = 0; doc < engine.documentCount; doc++) stored.set(engine.index.docs.display(doc).id, engine.index.docs.text(doc))
            for (const q of queries) {
              const response = engine.search({ q, page: 1, size: 100 })
              for (const hit of response.hits) {
                assert.equal(textOfMarkedHtml(hit.title_html), hit.title)
                assertSnippetIsSlice(hit.snippet_html, stored.get(hit.id)!)
              }
              hits += response.hits.length
            }
            rmSync(dir, { recursive: true, force: true })
          },
        ),
        { numRuns: 15 },
      )
      assert.ok(hits >= 20, `the queries found something to check (${hits} hits)`)
      t.diagnostic(`${run} random indexes, ${hits} hits checked`)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
