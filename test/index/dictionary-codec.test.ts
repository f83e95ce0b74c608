// The compact term dictionary (blocks of front-coded rows): every row read back as written, lookups and
// prefix bounds in JavaScript's string order across block boundaries, whatever the block size.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DictionaryReader } from '../../src/index/dictionary-reader.js'
import { DictionaryWriter, LONG_PREFIX, type TermRow } from '../../src/index/dictionary-writer.js'
import { checkpointCount } from '../../src/index/checkpoints.js'

interface Term extends TermRow {
  key: string
}

/** Terms in key order with made-up streams: lengths vary (empty ones too), offsets follow one another. */
function termsOf(keys: string[], start = { docs: 0, positions: 0, checkpoints: 0 }): Term[] {
  let { docs, positions, checkpoints } = start
  return [...new Set(keys)].sort().map((key, i) => {
    const df = (i * 37) % 90
    const positional = i % 3 !== 0
    const docLength = df === 0 ? 0 : 2 + ((i * 13) % 200)
    const posLength = positional && df > 0 ? 1 + ((i * 7) % 300) : 0
    const term = {
      key,
      df,
      positional,
      docStart: docs,
      docEnd: docs + docLength,
      posStart: positions,
      posEnd: positions + posLength,
      checkpointStart: checkpoints,
    }
    docs += docLength
    positions += posLength
    checkpoints += checkpointCount(df)
    return term
  })
}

function dictionaryOf(terms: Term[], blockSize: number): DictionaryReader {
  const writer = new DictionaryWriter(blockSize)
  for (const term of terms) writer.add(term.key, term)
  const last = terms.at(-1)
  const end = last
    ? {
        docs: last.docEnd,
        positions: last.posEnd,
        checkpoints: last.checkpointStart + checkpointCount(last.df),
      }
    : { docs: 0, positions: 0, checkpoints: 0 }
  return DictionaryReader.of(writer.sections('t', end), 't')
}

function assertRow(reader: DictionaryReader, t: number, term: Term): void {
  const entry = reader.entry(t)
  const { key, ...row } = term
  const { df, positional, docStart, docEnd, posStart, posEnd, checkpointStart } = entry
  assert.deepEqual({ df, positional, docStart, docEnd, posStart, posEnd, checkpointStart }, row, key)
  assert.equal(entry.checkpointEnd, checkpointStart + checkpointCount(df), key)
  assert.equal(reader.key(t), key)
}

// Han grams sharing their first character, Latin words sharing long prefixes (≥ 15 bytes: the header's
// escape), a BMP character above the surrogates (～ U+FF5E), private use (U+E000), astral ideographs
// (𠀀 U+20000, 𪚥 U+2A6A5: before U+E000 by code units, after it by bytes), and a long key.
const KEYS = [
  'a',
  'ab',
  'b',
  '10',
  '红旗',
  '红旗区',
  '红色',
  '红',
  '旗区',
  '～',
  '\ue000',
  '\ufffd',
  '𠀀',
  '𠀀人',
  '人𠀀',
  '𪚥',
  '红𪚥',
  '红\ue000',
  'internationalization',
  'internationalisation',
  'internationalizations',
  'international',
  'x'.repeat(300),
  'x'.repeat(301) + 'y',
  ...Array.from({ length: 60 }, (_, i) => `词${String.fromCharCode(0x4e00 + i * 3)}`),
]

for (const blockSize of [1, 2, 3, 16, 200]) {
  test(`every term's row and key read back as written, in order and at random (blocks of ${blockSize})`, () => {
    const terms = termsOf(KEYS)
    const reader = dictionaryOf(terms, blockSize)
    assert.equal(reader.terms, terms.length)
    terms.forEach((term, t) => assertRow(reader, t, term))
    for (let i = 0; i < terms.length; i++) {
      const t = (i * 31) % terms.length
      assertRow(reader, t, terms[t]!)
    }
    for (let t = terms.length - 1; t >= 0; t--) assertRow(reader, t, terms[t]!)
    assert.equal(reader.checkpointRange(terms.length), terms.at(-1)!.checkpointStart + checkpointCount(terms.at(-1)!.df))
  })

  test(`lookup finds every key and nothing else (blocks of ${blockSize})`, () => {
    const terms = termsOf(KEYS)
    const reader = dictionaryOf(terms, blockSize)
    terms.forEach((term, t) => assert.equal(reader.lookup(term.key), t, term.key))
    for (const missing of ['', 'c', '红旗区区', '红旗a', '𠀁', '\ud840', '人', '\ue001', 'ab\u0000', 'internationa', 'x'.repeat(299), '词', '\uffff', '0']) {
      assert.equal(reader.lookup(missing), -1, JSON.stringify(missing))
    }
  })

  test(`lowerBound agrees with JavaScript string comparison, before the first key and past the last (blocks of ${blockSize})`, () => {
    const terms = termsOf(KEYS)
    const reader = dictionaryOf(terms, blockSize)
    const sorted = terms.map((term) => term.key)
    for (const prefix of [...sorted, '', '0', '红', '𠀀', '\ud840', '\uffff', '\uffff\uffff', '人', 'a\uffff', '9', 'internationalis', 'x'.repeat(301), '词', '词\uffff']) {
      const expected = sorted.findIndex((key) => key >= prefix)
      assert.equal(reader.lowerBound(prefix), expected < 0 ? sorted.length : expected, JSON.stringify(prefix))
    }
  })
}

test('a block boundary: the first key of a block is found, and the last of the one before', () => {
  const terms = termsOf(Array.from({ length: 40 }, (_, i) => `k${String(i).padStart(2, '0')}`))
  const reader = dictionaryOf(terms, 16)
  for (const t of [15, 16, 31, 32, 39]) {
    assert.equal(reader.lookup(terms[t]!.key), t)
    assertRow(reader, t, terms[t]!)
  }
  assert.equal(reader.lowerBound('k15~'), 16, 'between two blocks: the next block’s first term')
  assert.equal(reader.lowerBound('k39~'), 40, 'past the last key')
})

test('the largest df and offsets round-trip: 32-bit stream offsets, a df near 2^31, a long list', () => {
  const big = 0xffff_0000
  const terms: Term[] = [
    {
      key: 'a',
      df: 2 ** 31 - 1,
      positional: true,
      docStart: big,
      docEnd: big + 40_000,
      posStart: big - 9,
      posEnd: 0xffff_fff0,
      checkpointStart: 0,
    },
    {
      key: 'b',
      df: 0,
      positional: false,
      docStart: big + 40_000,
      docEnd: big + 40_000,
      posStart: 0xffff_fff0,
      posEnd: 0xffff_fff0,
      checkpointStart: checkpointCount(2 ** 31 - 1),
    },
    {
      key: 'c',
      df: 1,
      positional: true,
      docStart: big + 40_000,
      docEnd: 0xffff_ffff,
      posStart: 0xffff_fff0,
      posEnd: 0xffff_ffff,
      checkpointStart: checkpointCount(2 ** 31 - 1),
    },
  ]
  for (const blockSize of [1, 2, 16]) {
    const reader = dictionaryOf(terms, blockSize)
    terms.forEach((term, t) => assertRow(reader, t, term))
    assert.equal(reader.lookup('b'), 1)
  }
})

test('an empty dictionary finds nothing', () => {
  const reader = dictionaryOf([], 16)
  assert.equal(reader.terms, 0)
  assert.equal(reader.lookup('a'), -1)
  assert.equal(reader.lowerBound('a'), 0)
  assert.equal(reader.lowerBound(''), 0)
  assert.equal(reader.checkpointRange(0), 0)
})

test('a shared prefix of 15 bytes or more is written in the long form and read back', () => {
  const keys = [
    'p'.repeat(LONG_PREFIX - 1) + 'a',
    'p'.repeat(LONG_PREFIX - 1) + 'b',
    'p'.repeat(LONG_PREFIX) + 'a',
    'p'.repeat(LONG_PREFIX) + 'b',
    'p'.repeat(200) + 'a',
    'p'.repeat(200) + 'b',
  ]
  const terms = termsOf(keys)
  const reader = dictionaryOf(terms, 16)
  terms.forEach((term, t) => {
    assert.equal(reader.key(t), term.key)
    assert.equal(reader.lookup(term.key), t)
  })
})

test('rows read again after hundreds of others come back right (decoded rows are kept in reused slots)', () => {
  const terms = termsOf(Array.from({ length: 1_000 }, (_, i) => `w${i}`))
  const reader = dictionaryOf(terms, 16)
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < terms.length; i++) {
      const t = (i * 389 + round * 17) % terms.length
      assertRow(reader, t, terms[t]!)
      assertRow(reader, (t + 256) % terms.length, terms[(t + 256) % terms.length]!)
    }
  }
})

test('a key before the first looked up, or bounded, leaves the next row read in order right', () => {
  const terms = termsOf(Array.from({ length: 40 }, (_, i) => `k${String(i).padStart(2, '0')}`))
  const reader = dictionaryOf(terms, 16)
  assertRow(reader, 20, terms[20]!)
  assert.equal(reader.lookup('a'), -1)
  assertRow(reader, 21, terms[21]!)
  assert.equal(reader.lowerBound('a'), 0)
  assertRow(reader, 22, terms[22]!)
})
