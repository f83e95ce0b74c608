import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { mulberry32, randomBelow } from '../../bench/lib/prng.js'
import { ContainmentOracle, sampleSubstrings, type SampleSource } from '../../bench/lib/substrings.js'
import { SearchEngine } from '../../src/search/engine.js'
import { corpusIndex, SKIP_NO_SHARED } from '../helpers/shared.js'

let engine: SearchEngine | null = null
let docs: SampleSource[] = []

before(async () => {
  const dir = await corpusIndex()
  if (!dir) return console.log(`# ${SKIP_NO_SHARED}`)
  engine = SearchEngine.open(dir)
  for (let d = 0; d < engine.documentCount; d++) {
    const { id, title } = engine.index.docs.display(d)
    docs.push({ id, title, paragraphs: engine.index.docs.text(d).split('\n') })
  }
})

test('substring recall: any run of 2–8 Chinese characters copied from a post finds that post (2,000 seeded samples)', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const { samples } = sampleSubstrings(docs, { count: 2000, seed: 20261126 })
  const missed = samples.filter((s) => !engine!.matchingIds(s.query).includes(s.docId))
  console.log(`# substring recall: ${samples.length - missed.length}/${samples.length}; missed e.g. ${JSON.stringify(missed.slice(0, 5))}`)
  assert.equal(missed.length, 0)
})

test('known items: a distinctive sentence from a post ranks that post first (500 seeded posts, rate reported)', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const oracle = new ContainmentOracle(docs)
  const random = mulberry32(7)
  let asked = 0
  let first = 0
  const misses: string[] = []
  for (let k = 0; k < 2000 && asked < 500; k++) {
    const doc = docs[randomBelow(random, docs.length)]!
    // The longest sentence of ordinary length that no other post contains.
    const sentence = doc.paragraphs
      .flatMap((p) => p.split(/[。！？；!?]/))
      .map((s) => s.trim())
      .filter((s) => s.length >= 12 && s.length <= 60)
      .sort((a, b) => b.length - a.length)[0]
    if (!sentence || oracle.countContaining(sentence, 1) !== 1) continue
    asked++
    if (engine!.search({ q: sentence, page: 1, size: 1 }).hits[0]?.id === doc.id) first++
    else if (misses.length < 5) misses.push(sentence)
  }
  const rate = first / asked
  console.log(`# sentence known-item: ${first}/${asked} = ${(rate * 100).toFixed(1)}% first; misses e.g. ${JSON.stringify(misses)}`)
  assert.ok(asked >= 400)
  assert.ok(rate >= 0.95, `sentence known-item rate ${rate}`)
})

test('a title pasted in quotes finds its post, spaces between its words included (500 seeded titles)', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const random = mulberry32(11)
  const missed: string[] = []
  let spaced = 0
  for (let k = 0; k < 500; k++) {
    const doc = docs[randomBelow(random, docs.length)]!
    // Quotes inside a title would end the phrase early; such titles are read as their pieces.
    if (/["“”「」『』]/.test(doc.title)) continue
    if (/\p{Script=Han}\s+\p{Script=Han}/u.test(doc.title)) spaced++
    if (!engine!.matchingIds(`title:"${doc.title}"`).includes(doc.id)) missed.push(doc.title)
  }
  console.log(`# quoted titles: ${spaced} with a space between Han characters; missed ${missed.length}, e.g. ${JSON.stringify(missed.slice(0, 3))}`)
  assert.ok(spaced >= 50, 'the sample holds titles whose words are set apart by spaces')
  assert.deepEqual(missed, [])
})

test('numbers with units, percentages and Latin words are searchable', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const seed = '2022-03-29-202203292325812882'
  for (const q of ['94%', '6条 断头路', '2021年 签约项目74个', '5G智慧办税大厅', '红旗e岗通']) {
    assert.ok(engine!.matchingIds(q).includes(seed), `${q} finds the 红旗区 article`)
  }
  assert.ok(engine!.search({ q: 'WebAssembly', page: 1, size: 10 }).total > 0)
  assert.equal(engine!.search({ q: 'webassembly', page: 1, size: 10 }).total, engine!.search({ q: 'ＷｅｂＡｓｓｅｍｂｌｙ', page: 1, size: 10 }).total)
})
