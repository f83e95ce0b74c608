// A post read in full (GET /doc) marks the query's terms where folding finds them, as its hit does:
// traditional characters and full-width letters under a simplified, half-width query.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'

let work: string
let engine: SearchEngine

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-reading-'))
  mkdirSync(join(work, 'posts'))
  writeFileSync(
    join(work, 'posts', 'roads.md'),
    '---\ntitle: 紅旗區打通斷頭路\ndate: 2024-04-02\n---\n<p>今年紅旗區要打通三條斷頭路。</p>\n<p>沿線新建５Ｇ基站兩座。</p>\n',
  )
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index') })
  engine = SearchEngine.open(join(work, 'index'))
})

after(() => rmSync(work, { recursive: true, force: true }))

test('the title and every paragraph are marked where the folded text holds the terms', () => {
  const view = engine.read('roads', '红旗区 断头路 5g')
  assert.ok(view)
  assert.equal(view.title_html, '<mark>紅旗區</mark>打通<mark>斷頭路</mark>')
  assert.deepEqual(view.paragraphs_html, ['今年<mark>紅旗區</mark>要打通三條<mark>斷頭路</mark>。', '沿線新建<mark>５Ｇ</mark>基站兩座。'])
  // Its hit marks the same terms in its title and snippet.
  const hit = engine.search({ q: '红旗区 断头路 5g', page: 1, size: 10 }).hits[0]
  assert.equal(hit?.title_html, view.title_html)
  assert.match(hit?.snippet_html ?? '', /<mark>紅旗區<\/mark>要打通三條<mark>斷頭路<\/mark>/)
})

test('without a query nothing is marked', () => {
  const view = engine.read('roads')
  assert.equal(view?.title_html, '紅旗區打通斷頭路')
  assert.deepEqual(view?.paragraphs_html, ['今年紅旗區要打通三條斷頭路。', '沿線新建５Ｇ基站兩座。'])
})
