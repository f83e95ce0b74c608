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
