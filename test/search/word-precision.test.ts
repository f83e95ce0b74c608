import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { END, PostingCursor } from '../../src/index/posting-cursor.js'
import type { TermSpace } from '../../src/index/term-space.js'
import { SearchEngine } from '../../src/search/engine.js'
import { corpusIndex, SKIP_NO_SHARED } from '../helpers/shared.js'

let engine: SearchEngine | null = null

before(async () => {
  const dir = await corpusIndex()
  if (dir) engine = SearchEngine.open(dir)
  else console.log(`# ${SKIP_NO_SHARED}`)
})

/** Posts holding `word` as a jieba word, and posts holding its characters only across a word boundary (和服 in 和服务). */
function judgments(e: SearchEngine, word: string): { real: Set<string>; boundary: Set<string> } {
  const ix = e.index
  const docsOf = (space: TermSpace, term: number) => {
    const docs: number[] = []
    for (let cursor = new PostingCursor(space, term), d = cursor.next(); d !== END; d = cursor.next()) docs.push(d)
    return docs
  }
  const real = new Set(docsOf(ix.words, ix.words.lookup(word)))
  const all = docsOf(ix.grams, ix.grams.lookup(word))
  const id = (d: number) => ix.docs.display(d).id
  return { real: new Set([...real].map(id)), boundary: new Set(all.filter((d) => !real.has(d)).map(id)) }
}

test('a word found as a real word ranks above the same characters met across a word boundary (judged set from the corpus)', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const ix = engine.index
  // The judged set: two-character dictionary words that occur both ways, picked evenly through the vocabulary.
  const candidates: string[] = []
  for (let term = 0; term < ix.words.terms; term++) {
    const word = ix.words.key(term)
    if ([...word].length !== 2) continue
    const realDf = ix.words.df(term)
    const gram = ix.grams.lookup(word)
    const boundaryDf = gram < 0 ? 0 : ix.grams.df(gram) - realDf
    if (realDf >= 2 && boundaryDf >= 2 && realDf + boundaryDf <= 300) candidates.push(word)
  }
  const cases = candidates.filter((_, i) => i % Math.max(1, Math.floor(candidates.length / 40)) === 0).slice(0, 40)
  for (const fixed of ['和服', '会长', '花生']) if (!cases.includes(fixed) && candidates.includes(fixed)) cases.push(fixed)
  assert.ok(cases.length >= 30, `judged set has ${cases.length} words`)
  const failures: string[] = []
  for (const word of cases) {
    const { real, boundary } = judgments(engine!, word)
    const ranked: string[] = []
    for (let page = 1; ranked.length < real.size + boundary.size && page <= 4; page++) {
      ranked.push(...engine!.search({ q: word, page, size: 100 }).hits.map((h) => h.id))
    }
    const lastReal = Math.max(...ranked.map((id, i) => (real.has(id) ? i : -1)))
    const firstBoundary = ranked.findIndex((id) => boundary.has(id))
    if (firstBoundary >= 0 && firstBoundary < lastReal) failures.push(`${word} (boundary at ${firstBoundary + 1}, real word at ${lastReal + 1})`)
  }
  console.log(`# word precision: ${cases.length - failures.length}/${cases.length} words rank every real-word post first: ${cases.join(' ')}`)
  assert.deepEqual(failures, [])
})
