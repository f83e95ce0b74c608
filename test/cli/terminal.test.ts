import assert from 'node:assert/strict'
import { test } from 'node:test'
import { stripVTControlCharacters } from 'node:util'
import type { BuildReport } from '../../src/index/build.js'
import pc from 'picocolors'
import { colorsFor, formatReport, formatResults } from '../../src/cli/terminal.js'
import type { SearchResponse } from '../../src/search/types.js'

const report = (notes: number, skipped: number): BuildReport => ({
  documents: 100,
  skipped: Array.from({ length: skipped }, (_, i) => ({ path: `bad-${i}.md`, code: 'no_front_matter', reason: 'no front matter' })),
  notes: Array.from({ length: notes }, (_, i) => ({ path: `post-${i}.md`, code: 'title_from_body', message: 'the title was taken from the body' })),
  terms: 1000,
  bytes: 2e6,
  seconds: 1.5,
  indexDir: 'index-data',
  generation: 'gen-x',
  mode: 'full',
  reprocessed: 100,
  reused: 0,
  removed: 0,
  written: true,
  leftOver: [],
})

test('the build summary lists the first notes and skipped files, and says how many more the report holds', () => {
  const text = formatReport(report(14, 53))
  assert.match(text, /notes: title_from_body ×14/)
  assert.match(text, /post-9\.md/)
  assert.doesNotMatch(text, /post-10\.md/)
  // Where the report is: it lies in the generation folder, not beside the manifest.
  assert.match(text, /… and 4 more \(see index-data\/gen-x\/build-report\.json\)/)
  assert.match(text, /… and 3 more \(see index-data\/gen-x\/build-report\.json\)/)
  assert.doesNotMatch(formatReport(report(10, 50)), /more \(see/, 'nothing more to see')
})

test('an update\'s summary says how many of the files it read were new and how many changed; a full build\'s, how many it read', () => {
  const update = { ...report(0, 0), mode: 'incremental' as const, reprocessed: 5, added: 3, changed: 2, reused: 95, removed: 1 }
  assert.match(formatReport(update), /^ {2}updated the previous index: 5 file\(s\) read \(3 new, 2 changed\), 95 document\(s\) reused, 1 removed$/m)
  assert.match(formatReport(report(0, 0)), /^ {2}full build: 100 file\(s\) read$/m)
})

test('the build summary counts one document in the singular', () => {
  assert.match(stripVTControlCharacters(formatReport({ ...report(0, 0), documents: 1 })), /indexed 1 document into index-data/)
  assert.match(stripVTControlCharacters(formatReport(report(0, 0))), /indexed 100 documents into/)
})

test('search results show facet counts when asked, and the first eight tags of a hit with the count of the rest', () => {
  const hit = { id: 'a', path: 'a.md', title: '甲', title_html: '甲', url: null, date: '2024-01-02', categories: ['新闻'], tags: Array.from({ length: 20 }, (_, i) => `标签${i}`), score: 1, snippet_html: '正文' }
  const response: SearchResponse = { query: '甲', terms: ['甲'], total: 1, page: 1, size: 10, took_ms: 1, relaxed: false, hits: [hit], facets: { year: [{ value: '2024', count: 1 }] } }
  const text = stripVTControlCharacters(formatResults(response))
  assert.match(text, /年份: 2024 1/)
  assert.match(text, /标签7 · 另有 12 个标签/)
  assert.doesNotMatch(text, /标签8/)
})

test('a relaxed answer says few posts hold every term, not that none does (the page says the same)', () => {
  const hit = { id: 'a', path: 'a.md', title: '甲', title_html: '甲', url: null, date: null, categories: [], tags: [], score: 1, snippet_html: '甲乙' }
  const response: SearchResponse = { query: '甲 乙', terms: ['甲', '乙'], total: 4, page: 1, size: 10, took_ms: 1, relaxed: true, hits: [hit] }
  const text = stripVTControlCharacters(formatResults(response))
  assert.match(text, /同时包含全部关键词的文章不多/)
  assert.doesNotMatch(text, /没有/)
  assert.doesNotMatch(stripVTControlCharacters(formatResults({ ...response, relaxed: false })), /关键词/)
})

test('a corrected query the response offers is printed under the count, as the page offers it', () => {
  const response: SearchResponse = { query: '宏旗区', terms: ['宏旗区'], total: 0, page: 1, size: 10, took_ms: 1, relaxed: false, did_you_mean: '红旗区', hits: [] }
  assert.match(stripVTControlCharacters(formatResults(response)), /^0 条结果.*\n是不是要找：红旗区$/)
  assert.doesNotMatch(stripVTControlCharacters(formatResults({ ...response, did_you_mean: undefined })), /是不是/)
})

test('a page past the last says so and names the last page, as the search page does', () => {
  const response: SearchResponse = { query: '甲', terms: ['甲'], total: 14, page: 5, size: 10, took_ms: 1, relaxed: false, hits: [] }
  const text = stripVTControlCharacters(formatResults(response))
  // It printed "14 条结果" and nothing else: fourteen results, none shown, no word why.
  assert.match(text, /第 5 页没有结果，结果一共只有 2 页（--page 2）/)
  assert.doesNotMatch(stripVTControlCharacters(formatResults({ ...response, total: 0 })), /第 5 页/, 'no results at all is not a paging mistake')
})

test('text from posts is printed with its control characters escaped: a title cannot clear the screen, a file name cannot forge a line', () => {
  const evil = '标题\u001b[2J\u001b]0;pwned\u0007\u009b31m'
  const hit = { id: 'x\u001b[2J', path: 'x\u001b[2J.md', title: evil, title_html: evil, url: null, date: '2024-01-02', categories: [evil], tags: [evil], score: 1, snippet_html: `<mark>红</mark>${evil}` }
  const response: SearchResponse = { query: '红', terms: ['红'], total: 1, page: 1, size: 10, took_ms: 1, relaxed: false, hits: [hit], facets: { tag: [{ value: evil, count: 1 }] } }
  const built = formatReport(
    { ...report(0, 0), skipped: [{ path: 'a\u001b[2J\n✓ forged.md', code: 'empty_file', reason: evil }], notes: [{ path: 'b.md', code: 'bad_date', message: `date "${evil}" is not a date` }] },
    pc.createColors(false),
  )
  for (const text of [formatResults(response), built]) {
    // Colours are SGR sequences (ESC [ … m) and nothing else.
    assert.doesNotMatch(text.replace(/\u001b\[[\d;]*m/g, ''), /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, JSON.stringify(text))
    assert.match(text, /标题\\x1b\[2J\\x1b\]0;pwned\\x07\\x9b31m/)
  }
  assert.doesNotMatch(built, /^✓ forged/m)
})

test('colour: a flag decides before the environment, FORCE_COLOR=0 means none, and what follows a lone -- is query text', () => {
  const argv = (...args: string[]) => ['node', 'jiansuo', 'search', ...args]
  const pipe = { isTTY: false }
  const tty = { isTTY: true }
  assert.equal(colorsFor(pipe, argv('红旗区'), {}), false)
  assert.equal(colorsFor(tty, argv('红旗区'), {}), true)
  assert.equal(colorsFor(tty, argv('红旗区'), { TERM: 'dumb' }), false)
  assert.equal(colorsFor(pipe, argv('红旗区'), { CI: 'true' }), true)
  for (const off of ['0', 'false']) assert.equal(colorsFor(tty, argv('红旗区'), { FORCE_COLOR: off }), false, `FORCE_COLOR=${off}`)
  assert.equal(colorsFor(pipe, argv('红旗区'), { FORCE_COLOR: '1' }), true)
  assert.equal(colorsFor(pipe, argv('红旗区', '--color'), { NO_COLOR: '1' }), true, 'the flag given on this command wins')
  assert.equal(colorsFor(tty, argv('红旗区', '--no-color'), { FORCE_COLOR: '1' }), false)
  assert.equal(colorsFor(tty, argv('红旗区'), { NO_COLOR: '1' }), false)
  assert.equal(colorsFor(pipe, argv('--', '红旗区', '--color'), {}), false, 'after --, --color is searched for')
})
