// The page searches as the user types, so the query's last word may be cut short (rus, on the way to
// rust). Letters that end the query and that no post holds as typed stand for the words they begin.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { postsIndex } from '../helpers/posts-index.js'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { MAX_COMPLETIONS } from '../../src/search/completions.js'
import { analyzeQuery } from '../../src/search/query-analysis.js'
import type { SearchEngine } from '../../src/search/engine.js'

let engine: SearchEngine

const POSTS: Record<string, string> = {
  // Two mentions of the common word, against one of a rare word that shares its start.
  common: 'zorbin语言很好用，zorbin也很快',
  rare: 'zorbinscan工具很好用，也很快',
  ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`mention${i}`, `这里提到了zorbin一次，第${i + 1}篇`])),
  other: '今天下雨了，红旗区修路',
  exact: '只写了qux这个词',
  longer: '还写了quxbar这个词',
  ...Object.fromEntries(Array.from({ length: MAX_COMPLETIONS + 4 }, (_, i) => [`many${i}`, `词语wib${String.fromCharCode(97 + i)}出现`])),
}

let remove = () => {}

before(async () => {
  ;({ engine, remove } = await postsIndex(POSTS, { title: (name) => `记事 ${name}` }))
})

after(() => remove())

const search = (q: string, size = 20) => engine.search({ q, page: 1, size })
const ids = (q: string) => search(q).hits.map((h) => h.id.replace('2024-08-01-', ''))

test('only letters that end the query, alone in their clause, may be a word still being typed', () => {
  const analyzer = new Analyzer()
  const unfinished = (q: string) => analyzeQuery(q, analyzer, new Map()).unfinished?.text ?? null
  assert.equal(unfinished('rus'), 'rus')
  assert.equal(unfinished('红旗区 RUS'), 'rus')
  assert.equal(unfinished('title:rus'), 'rus')
  for (const q of ['rus ', '"rus"', 'rus 红旗区', 'r', '红旗', 'go | rus', 'rus。', 'gpt4', '-rus']) assert.equal(unfinished(q), null, q)
})

test('a word cut short finds the posts of the words it begins, marked whole in their snippets', () => {
  const found = search('zorb')
  assert.deepEqual(new Set(found.terms), new Set(['zorbin', 'zorbinscan']))
  assert.equal(found.total, 10)
  const rare = found.hits.find((h) => h.id.endsWith('-rare'))!
  assert.match(rare.snippet_html, /<mark>zorbinscan<\/mark>/)
  // Finished by a space, it means itself, and no post holds it.
  assert.equal(search('zorb ').total, 0)
})

test('the completions of one word weigh as that one word: the common word, named twice, ranks above a rare one named once', () => {
  assert.equal(ids('zorb')[0], 'common')
})

test('letters a post holds as typed mean themselves, not the longer words they begin', () => {
  assert.deepEqual(ids('qux'), ['exact'])
})

test('a completed word is one clause of the query: the post holding the other word too ranks first', () => {
  assert.equal(ids('工具 zorb')[0], 'rare')
})

test('an unfinished word brings in at most MAX_COMPLETIONS words, the commonest', () => {
  const found = search('wib', 50)
  assert.equal(found.terms.length, MAX_COMPLETIONS)
  assert.equal(found.total, MAX_COMPLETIONS)
})
