import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PinyinLookup } from '../../src/suggest/pinyin.js'
import { pinyinReadings } from '../../src/suggest/pinyin-readings.js'
import { buildTitleSuggestions, buildWordSuggestions, joinSuggestions, SuggestIndex, type SuggestData } from '../../src/suggest/suggest-index.js'
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

/** Suggestion data of these words, most frequent first, with their readings and no titles, as stored. */
function suggestionData(words: { text: string; key: string; df: number }[]): SuggestData {
  const stored = joinSuggestions(buildWordSuggestions(words, pinyinReadings(words.map((w) => w.key))), buildTitleSuggestions([], segmenter))
  return JSON.parse(JSON.stringify(stored)) as SuggestData
}

const segmenter = createSegmenter()
const shownBy = (suggester: SuggestIndex) => (typed: string) => suggester.suggest(typed).map((s) => `${s.kind}:${s.text}`)

test('suggestions: pinyin finds words only where no indexed word starts with the letters typed', () => {
  const data = suggestionData([
    { text: '红旗渠', key: '红旗渠', df: 30 },
    { text: 'Chang', key: 'chang', df: 20 },
    { text: '红旗区', key: '红旗区', df: 12 },
    { text: '常见', key: '常见', df: 10 },
    { text: '红旗', key: '红旗', df: 7 },
  ])
  const shown = shownBy(new SuggestIndex(data, segmenter))
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

test('suggestions: a regional word typed whole that starts no other word suggests the mainland words it means', () => {
  const data = suggestionData([
    { text: '软件', key: '软件', df: 30 },
    { text: '软件开发', key: '软件开发', df: 12 },
    { text: '出租车', key: '出租车', df: 9 },
    { text: '服务器', key: '服务器', df: 5 },
    { text: '软体', key: '软体', df: 3 },
  ])
  const shown = shownBy(new SuggestIndex(data, segmenter))
  // 計程車 (Taiwan's 出租车) and 伺服器 (服务器) start no word here, nor 軟體 (folded 软体) any but itself.
  assert.deepEqual(shown('計程車'), ['word:出租车'])
  assert.deepEqual(shown('伺服器'), ['word:服务器'])
  assert.deepEqual(shown('出租'), ['word:出租车'])
  assert.deepEqual(shown('軟體'), ['word:软件', 'word:软件开发'])
  assert.deepEqual(shown('軟'), ['word:软件', 'word:软件开发', 'word:软体'])
})
