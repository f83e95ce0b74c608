import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Analyzer, analysisVersion } from '../../src/analysis/analyzer.js'
import { createSegmenter } from '../../src/analysis/segment.js'

const analyzer = new Analyzer()

test('words are jieba words of two or more Han characters, at unit positions', () => {
  const { words, units } = analyzer.analyze('今年，我市要打通13条“断头路”，红旗区有6条。')
  const keys = words.map((w) => w.key)
  assert.ok(keys.includes('红旗区'))
  assert.ok(keys.includes('打通'))
  assert.ok(!keys.includes('13'), 'numbers are units, not words')
  for (const w of words) {
    const text = units.keys.slice(w.pos, w.pos + w.key.length).join('')
    assert.equal(text, w.key)
  }
})

test('long words also yield their dictionary sub-words', () => {
  const keys = analyzer.analyze('中华人民共和国').words.map((w) => `${w.key}@${w.pos}`)
  assert.deepEqual(keys, ['中华人民共和国@0', '中华@0', '华人@1', '人民@2', '共和@4', '共和国@4'])
})

test('traditional text is cut as its simplified form', () => {
  const a = analyzer.analyze('紅旗區打通斷頭路').words.map((w) => w.key)
  const b = analyzer.analyze('红旗区打通断头路').words.map((w) => w.key)
  assert.deepEqual(a, b)
})

test('a user dictionary adds words and changes the analysis stamp', () => {
  const custom = new Analyzer(createSegmenter('断头路\n吉红科技 5000 nz'))
  assert.ok(custom.analyze('打通断头路').words.some((w) => w.key === '断头路'))
  assert.ok(!analyzer.analyze('打通断头路').words.some((w) => w.key === '断头路'))
  assert.notEqual(custom.version, analyzer.version)
})

test('the analysis stamp is known without loading jieba, and a user dictionary changes it', () => {
  assert.equal(analysisVersion(), analyzer.version)
  const words = '红旗区断头路\n阿尔茨海默 10'
  assert.equal(analysisVersion(words), new Analyzer(createSegmenter(words)).version)
  assert.notEqual(analysisVersion(words), analysisVersion())
})

test('a user dictionary line jieba would reject is named, with what is wrong', () => {
  assert.throws(() => createSegmenter('新乡红旗区\n红旗区 abc\n'), /user dictionary line 2: the frequency "abc" is not a whole number/)
  assert.throws(() => createSegmenter('# 注释\n\n断头路 -5'), /line 3: the frequency "-5"/)
  assert.throws(() => createSegmenter('断头路 300 n extra'), /line 1: .* more than a word, a frequency and a tag/)
  assert.throws(() => createSegmenter('断头路 18446744073709551616 n'), /line 1: the frequency 18446744073709551616 is too large \(at most 18446744073709551615\)/)
  assert.ok(createSegmenter('断头路 18446744073709551615 n').cut('断头路').includes('断头路'))
  // Comments, blank lines, a bare word, a frequency and a tag are all fine.
  assert.ok(createSegmenter('# 地名\n\n新乡红旗区\n断头路\t300\tn\r\n').cut('新乡红旗区的断头路').includes('新乡红旗区'))
})
