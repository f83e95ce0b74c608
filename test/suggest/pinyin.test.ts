import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PinyinLookup } from '../../src/suggest/pinyin.js'
import { pinyinReadings } from '../../src/suggest/pinyin-readings.js'
import { buildTitleSuggestions, buildWordSuggestions, joinSuggestions, SuggestIndex } from '../../src/suggest/suggest-index.js'
import { createSegmenter } from '../../src/analysis/segment.js'

test('a word is read as a word: the reading its characters take together, ü typed as v; a word not all Han has none', () => {
  assert.deepEqual(pinyinReadings(['红旗区', '银行', '行长', '重庆', '绿色', 'rust', '红旗2', '']), ['hong qi qu', 'yin hang', 'hang zhang', 'chong qing', 'lv se', '', '', ''])
})

test('a lookup finds the start of the whole reading or of the initials, most frequent (lowest id) first, each word once', () => {
  // ids: 0 红旗渠 hong qi qu, 1 行长 hang zhang, 2 红旗区 hong qi qu, 3 后期 hou qi, 4 红 hong, 5 Rust
  const lookup = new PinyinLookup(['hong qi qu', 'hang zhang', 'hong qi qu', 'hou qi', 'hong', ''])
  assert.deepEqual(lookup.find('hongqi', 8), [0, 2])
  assert.deepEqual(lookup.find('hong', 8), [0, 2, 4])
  assert.deepEqual(lookup.find('hq', 8), [0, 2, 3])
  assert.deepEqual(lookup.find('hqq', 8), [0, 2])
  assert.deepEqual(lookup.find('HQQ', 8), [0, 2])
  assert.deepEqual(lookup.find("hong qi", 8), [0, 2])
  assert.deepEqual(lookup.find("hong'qi", 8), [0, 2])
  assert.deepEqual(lookup.find('h', 8), [], 'one letter starts too much')
  assert.deepEqual(lookup.find('hq', 2), [0, 2], 'the limit keeps the most frequent')
  for (const typed of ['hong-qi', 'hong1', '红旗', 'hongqiqux', '']) assert.deepEqual(lookup.find(typed, 8), [], typed)
})

test('suggestions: pinyin finds words only where no indexed word starts with the letters typed', () => {
  const segmenter = createSegmenter()
  const words = [
    { text: '红旗渠', key: '红旗渠', df: 30 },
    { text: 'Chang', key: 'chang', df: 20 },
    { text: '红旗区', key: '红旗区', df: 12 },
    { text: '常见', key: '常见', df: 10 },
    { text: '红旗', key: '红旗', df: 7 },
  ]
  const data = JSON.parse(JSON.stringify(joinSuggestions(buildWordSuggestions(words, pinyinReadings(words.map((w) => w.key))), buildTitleSuggestions([], segmenter))))
  const suggester = new SuggestIndex(data, segmenter)
  const shown = (typed: string) => suggester.suggest(typed).map((s) => `${s.kind}:${s.text}`)
  assert.deepEqual(shown('hongqi'), ['word:红旗渠', 'word:红旗区', 'word:红旗'])
  assert.deepEqual(shown('hqq'), ['word:红旗渠', 'word:红旗区'])
  assert.deepEqual(shown('changj'), ['word:常见'])
  // A Latin word starts with these letters (or is them): they are that word being typed, not pinyin.
  assert.deepEqual(shown('chan'), ['word:Chang'])
  assert.deepEqual(shown('chang'), [])
  // An index built before suggestions read pinyin has no readings: nothing, as before.
  delete data.readings
  assert.deepEqual(new SuggestIndex(data, segmenter).suggest('hongqi'), [])
})
