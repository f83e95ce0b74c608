// The term dictionary is searched in place over its UTF-8 key blob, in JavaScript's string order
// (UTF-16 code units), which differs from UTF-8 byte order for characters beyond the BMP.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { Container, writeContainer } from '../../src/index/container.js'
import { SpaceWriter } from '../../src/index/space-writer.js'
import { TermSpace } from '../../src/index/term-space.js'

// Han, Latin, digits, a BMP character above the surrogates (～, U+FF5E), private use (U+E000), and
// astral ideographs (𠀀 U+20000, 𪚥 U+2A6A5), which sort before U+E000 by code units but after it by bytes.
const KEYS = ['a', 'ab', 'b', '10', '红旗', '红旗区', '旗区', '～', '\ue000', '\ufffd', '𠀀', '𠀀人', '人𠀀', '𪚥', '红𪚥', '红\ue000']

/** The keys written as a term space on disk; `block`: the dictionary's block size (small ones cross block boundaries). */
function spaceOf(keys: string[], block?: number): { space: TermSpace; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-terms-'))
  const writer = new SpaceWriter(null, null, undefined, block)
  for (const key of [...keys].sort()) {
    writer.beginTerm(key, false)
    writer.endTerm(0)
  }
  const path = join(dir, 'terms.idx')
  writeContainer(path, { space: 'test' }, writer.sections('t'))
  return { space: new TermSpace(Container.open(path), 't'), done: () => rmSync(dir, { recursive: true, force: true }) }
}

for (const block of [undefined, 3]) {
  test(`lookup finds every key, astral and high-BMP ones included, and nothing else (blocks of ${block ?? 'the default'})`, () => {
    const { space, done } = spaceOf(KEYS, block)
    try {
      const sorted = [...KEYS].sort()
      for (const key of KEYS) assert.equal(space.lookup(key), sorted.indexOf(key), key)
      for (const missing of ['', 'c', '红', '红旗区区', '𠀁', '\ud840', '人', '\ue001', 'ab\u0000']) assert.equal(space.lookup(missing), -1, missing)
    } finally {
      done()
    }
  })

  test(`lowerBound agrees with JavaScript string comparison (blocks of ${block ?? 'the default'})`, () => {
    const { space, done } = spaceOf(KEYS, block)
    try {
      const sorted = [...KEYS].sort()
      for (const prefix of [...KEYS, '', '红', '𠀀', '\ud840', '\uffff', '人', 'a\uffff', '9']) {
        const expected = sorted.findIndex((key) => key >= prefix)
        assert.equal(space.lowerBound(prefix), expected < 0 ? sorted.length : expected, JSON.stringify(prefix))
      }
    } finally {
      done()
    }
  })
}
