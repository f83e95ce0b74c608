import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readVarint, type Cursor } from '../../src/index/bytes.js'
import { readPosting, type Posting } from '../../src/index/posting-codec.js'
import { BODY, TermAccumulator, TITLE, type ShardSpace } from '../../src/index/term-accumulator.js'

/** A term's postings as [doc, title count, body count] and its positions, decoded from a finished space. */
function postingsOf(space: ShardSpace, key: string): { docs: [number, number, number][]; positions: number[] } {
  const t = space.keys.indexOf(key)
  assert.ok(t >= 0, `the space holds ${key}`)
  const docs: [number, number, number][] = []
  const cursor: Cursor = { at: space.docOffset[t]! }
  const posting: Posting = { delta: 0, tfTitle: 0, tfBody: 0 }
  let doc = 0
  for (let i = 0; i < space.df[t]!; i++) {
    readPosting(space.docBytes, cursor, posting)
    doc = i === 0 ? posting.delta : doc + posting.delta
    docs.push([doc, posting.tfTitle, posting.tfBody])
  }
  assert.equal(cursor.at, space.docOffset[t]! + space.docLength[t]!, 'the postings fill the term’s bytes exactly')
  const positions: number[] = []
  const at: Cursor = { at: space.posOffset[t]! }
  while (at.at < space.posOffset[t]! + space.posLength[t]!) positions.push(readVarint(space.posBytes, at))
  return { docs, positions }
}

test('occurrences become postings per document in document order, title before body, positions delta-coded per field', () => {
  const space = new TermAccumulator()
  const river = space.intern('江河')
  const boat = space.intern('渡船')
  // Document 0: 江河 in the title at 0, in the body at 2 and 7; document 3 (1 and 2 hold none): 江河 at 4 of the body.
  space.add(river, 0, TITLE, 0)
  space.add(boat, 0, BODY, 1)
  space.add(river, 0, BODY, 2)
  space.add(river, 0, BODY, 7)
  space.add(boat, 3, BODY, 0)
  space.add(river, 3, BODY, 4)
  const finished = space.finish()
  assert.deepEqual(finished.keys, ['江河', '渡船'].sort())
  const r = postingsOf(finished, '江河')
  assert.deepEqual(r.docs, [
    [0, 1, 2],
    [3, 0, 1],
  ])
  // Per document: title positions, then body positions, each field's first from 0.
  assert.deepEqual(r.positions, [0, 2, 5, 4])
  assert.deepEqual(postingsOf(finished, '渡船').docs, [
    [0, 0, 1],
    [3, 0, 1],
  ])
  assert.equal(finished.lastDoc[finished.keys.indexOf('江河')], 3)
})

test('thousands of documents, past every growth of the buffers, keep each occurrence under its own document', () => {
  const space = new TermAccumulator()
  const terms = ['甲乙', '乙丙', '丙丁'].map((k) => space.intern(k))
  const documents = 5000
  // Document d holds term k (d % (k + 2) === 0) (d % 5) + 1 times in its body.
  for (let d = 0; d < documents; d++) {
    terms.forEach((term, k) => {
      if (d % (k + 2) !== 0) return
      for (let i = 0; i <= d % 5; i++) space.add(term, d, BODY, i * 3)
    })
  }
  const finished = space.finish()
  ;['甲乙', '乙丙', '丙丁'].forEach((key, k) => {
    const expected: [number, number, number][] = []
    for (let d = 0; d < documents; d += k + 2) expected.push([d, 0, (d % 5) + 1])
    assert.deepEqual(postingsOf(finished, key).docs, expected, key)
  })
})

test('a document added after a later one is refused, rather than filed under the wrong document', () => {
  const space = new TermAccumulator()
  const term = space.intern('江河')
  space.add(term, 5, BODY, 0)
  assert.throws(() => space.add(term, 4, BODY, 0), /document 4 added after document 5/)
})

test('a sealed space refuses another document, and finishes as it would have unsealed', () => {
  const fill = (space: TermAccumulator) => {
    for (let d = 0; d < 50; d++) space.add(space.intern(d % 2 ? '江河' : '湖'), d, BODY, d % 5)
    return space
  }
  const sealed = fill(new TermAccumulator(7))
  const lake = sealed.intern('湖') // interned already: the same id
  sealed.seal()
  sealed.seal()
  assert.throws(() => sealed.add(lake, 60, BODY, 0), /document 60 added after the postings were sealed/)
  assert.deepEqual(sealed.finish(), fill(new TermAccumulator(7)).finish())
})

test('postings inverted in partials (a few documents at a time) are byte for byte those inverted at once', () => {
  // Terms met at different times, some in every partial, some in one, with and without positions.
  const fill = (space: TermAccumulator) => {
    const keys = Array.from({ length: 40 }, (_, k) => String.fromCharCode(0x4e00 + ((k * 7) % 40)) + (k % 3 ? '河' : ''))
    for (let d = 0; d < 700; d++) {
      for (let k = 0; k < keys.length; k++) {
        if ((d * 31 + k * 17) % (k + 3) !== 0) continue
        const term = space.intern(keys[k]!, k % 4 !== 0)
        if (d % 9 === 0) space.add(term, d, TITLE, k % 2)
        const times = space.isPositional(term) ? 1 + ((d + k) % 4) : 1
        for (let i = 0; i < times; i++) space.add(term, d, BODY, space.isPositional(term) ? 5 * i + (d % 3) : 1 + ((d + k) % 6))
      }
    }
    return space.finish()
  }
  const whole = fill(new TermAccumulator())
  for (const flushAt of [1, 37, 500, 4000]) assert.deepEqual(fill(new TermAccumulator(flushAt)), whole, `partials of ${flushAt}+ occurrences`)
})
