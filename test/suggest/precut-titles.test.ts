// A full build's workers cut every title for the suggestions; the tail then indexes the titles from
// those terms. The index must be the one cutting the titles there would make, and a title the workers
// did not cut must still be cut, with the segmenter made only then.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createSegmenter } from '../../src/analysis/segment.js'
import { normalize } from '../../src/analysis/normalize.js'
import { precutTitles, titleSuggestionsOf, titleTermsCutter } from '../../src/suggest/build.js'
import { titleCutter } from '../../src/suggest/encoders.js'
import type { TitledDocument } from '../../src/suggest/vocabulary.js'

const segmenter = createSegmenter()

// Written for this test.
const documents: TitledDocument[] = [
  { id: 'a', title: '  长江经济带绿色发展论坛举行 ', dateMs: 3 },
  { id: 'b', title: 'Rust 与 WebAssembly 工具链更新', dateMs: 2 },
  { id: 'c', title: '全市中小学开展防溺水教育', dateMs: 1 },
  { id: 'd', title: '长江经济带绿色发展论坛举行', dateMs: 0 },
]

test("a title's precut terms are what cutting its folded text gives", () => {
  const cut = titleTermsCutter(segmenter)
  const fresh = titleCutter(segmenter)
  for (const d of documents) assert.equal(cut(d.title), fresh(normalize(d.title.trim())))
  assert.ok(cut(documents[0]!.title).split(' ').includes('经济'), 'sub-words of long words are cut too')
})

test('titles indexed from precut terms give the same suggestions as titles cut at once', () => {
  const cut = titleTermsCutter(segmenter)
  let madeSegmenter = 0
  const fallback = () => (madeSegmenter++, segmenter)
  const precut = titleSuggestionsOf(documents, precutTitles(documents, documents.map((d) => cut(d.title)), fallback))
  assert.equal(madeSegmenter, 0, 'every title was precut: no segmenter is made')
  assert.deepEqual(precut, titleSuggestionsOf(documents, segmenter))
})

test('a title the workers did not cut is cut by the fallback segmenter', () => {
  const cut = titleTermsCutter(segmenter)
  let madeSegmenter = 0
  const fallback = () => (madeSegmenter++, segmenter)
  // Only the first two were cut by a worker (as if the others were kept from a previous index).
  const cutter = precutTitles(documents.slice(0, 2), documents.slice(0, 2).map((d) => cut(d.title)), fallback)
  assert.deepEqual(titleSuggestionsOf(documents, cutter), titleSuggestionsOf(documents, segmenter))
  assert.equal(madeSegmenter, 1, 'the segmenter is made once, when first needed')
})
