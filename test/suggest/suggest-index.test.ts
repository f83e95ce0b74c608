// The suggestion index on a small vocabulary written for these tests: FlexSearch's defaults that
// hurt Chinese, turned off; prefixes in Chinese and Latin; ranking; at most 8; export and import.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Encoder } from 'flexsearch'
import { createSegmenter, type Segmenter } from '../../src/analysis/segment.js'
import { termEncoder, titleIndexEncoder, titleQueryEncoder } from '../../src/suggest/encoders.js'
import {
  buildTitleSuggestions,
  buildWordSuggestions,
  joinSuggestions,
  MAX_SUGGESTIONS,
  SuggestIndex,
  type SuggestData,
  type Suggestion,
} from '../../src/suggest/suggest-index.js'
import type { SuggestedTitle, SuggestedWord } from '../../src/suggest/vocabulary.js'

const segmenter = createSegmenter()

/** What a build chooses: words by falling df (chooseWords), titles newest first (distinctTitles). */
interface Vocabulary {
  words: SuggestedWord[]
  titles: SuggestedTitle[]
}

/** Both halves indexed as a build indexes them, and joined. */
function suggestData(v: Vocabulary, cut: Segmenter): SuggestData {
  return joinSuggestions(buildWordSuggestions(v.words), buildTitleSuggestions(v.titles, cut))
}

/** Words by falling df; titles newest first. */
const vocabulary: Vocabulary = {
  words: [
    { text: '常见', key: '常见', df: 40 },
    { text: '红旗渠', key: '红旗渠', df: 30 },
    { text: '常用', key: '常用', df: 20 },
    { text: '红旗区', key: '红旗区', df: 12 },
    { text: 'CSS', key: 'css', df: 10 },
    { text: 'Rust', key: 'rust', df: 9 },
    { text: '常常', key: '常常', df: 8 },
    { text: '红旗', key: '红旗', df: 7 },
    { text: '红旗飘飘', key: '红旗飘飘', df: 5 },
    { text: 'C++', key: 'c++', df: 4 },
    { text: 'rustup', key: 'rustup', df: 2 },
  ],
  titles: [
    { text: '2024年全市道路建设计划公布', id: 'plan-2024' },
    { text: '第202号通告：4条公交线路调整', id: 'notice-202' },
    { text: '常常回家看看 社区开展敬老活动', id: 'visit-home' },
    { text: '红旗区道路改造完工', id: 'road-2023' },
    { text: '用Rust重写的调度系统上线', id: 'rust-rewrite' },
    { text: 'C++标准草案发布', id: 'cpp-draft' },
    { text: '长江经济带生态保护成效显著', id: 'yangtze' },
    { text: '红旗渠精神代代相传', id: 'canal-2020' },
    { text: '假期出游人次1.19亿 创新高', id: 'trips-1.19' },
    { text: '1至7月份经济运行平稳', id: 'economy-1-7' },
  ],
}

// Built, exported and imported again, as serve loads it; a JSON round trip as through the file.
const suggester = new SuggestIndex(JSON.parse(JSON.stringify(suggestData(vocabulary, segmenter))), segmenter)

const texts = (list: Suggestion[], kind?: Suggestion['kind']) => list.filter((s) => !kind || s.kind === kind).map((s) => s.text)

describe("FlexSearch's defaults that hurt Chinese", () => {
  test('its default encoder cuts numbers into triplets and collapses repeated characters', () => {
    // Why the encoders below turn both off: this is what FlexSearch 0.8 does out of the box.
    const defaults = new Encoder()
    assert.deepEqual(defaults.encode('2024'), ['202', '4'])
    assert.deepEqual(defaults.encode('常常'), ['常'])
  })

  test('our encoders keep 2024 whole and 常常 doubled', () => {
    for (const encoder of [termEncoder(), titleIndexEncoder(segmenter), titleQueryEncoder(segmenter)]) {
      assert.deepEqual(encoder.encode('2024'), ['2024'])
      assert.ok(encoder.encode('常常').includes('常常'), `${JSON.stringify(encoder.encode('常常'))}`)
      assert.ok(!encoder.encode('谢谢大家').includes('谢'))
    }
  })

  test('2024 suggests the 2024 title only, not one holding 202 and 4 apart', () => {
    const titles = suggester.suggest('2024').filter((s) => s.kind === 'title')
    assert.deepEqual(titles.map((s) => s.id), ['plan-2024'])
    // 202 is a prefix of both numbers.
    assert.deepEqual(suggester.suggest('202').map((s) => s.id).sort(), ['notice-202', 'plan-2024'])
  })

  test('常常 suggests what starts with 常常, not every 常 word', () => {
    const list = suggester.suggest('常常')
    assert.deepEqual(texts(list, 'word'), [])
    assert.deepEqual(list.map((s) => s.id), ['visit-home'])
    // The doubled word itself is offered, spelled as written, when only 常 was typed.
    assert.deepEqual(texts(suggester.suggest('常'), 'word'), ['常见', '常用', '常常'])
  })
})

describe('suggest', () => {
  test('Chinese prefix: words that start with it by df, the typed word itself left out, then titles', () => {
    const list = suggester.suggest('红旗')
    assert.deepEqual(texts(list, 'word'), ['红旗渠', '红旗区', '红旗飘飘'])
    assert.deepEqual(texts(list, 'title'), ['红旗区道路改造完工', '红旗渠精神代代相传'])
    assert.deepEqual(list.map((s) => s.kind), ['word', 'word', 'word', 'title', 'title'])
    for (const s of list) assert.equal('id' in s, s.kind === 'title')
  })

  test('Latin prefix: shown in its usual spelling, matched whatever the case or width typed', () => {
    for (const typed of ['rus', 'Rus', 'RUS', 'ｒｕｓ']) {
      assert.deepEqual(texts(suggester.suggest(typed), 'word'), ['Rust', 'rustup'], typed)
    }
    assert.deepEqual(suggester.suggest('rus').filter((s) => s.kind === 'title').map((s) => s.id), ['rust-rewrite'])
  })

  test('c++ is a word of its own, as the index keeps it: typed, it is not the letter c', () => {
    assert.deepEqual(texts(suggester.suggest('c'), 'word'), ['CSS', 'C++'])
    for (const typed of ['c++', 'C++', 'ｃ＋＋']) {
      // It was read as c: CSS, and every title with a word starting with c.
      assert.deepEqual(suggester.suggest(typed).map((s) => s.id ?? s.text), ['cpp-draft'], typed)
    }
  })

  test('traditional characters find the simplified words', () => {
    assert.deepEqual(texts(suggester.suggest('紅旗'), 'word'), ['红旗渠', '红旗区', '红旗飘飘'])
  })

  test('invisible characters pasted inside a word are dropped, as /search drops them', () => {
    // A zero-width space or soft hyphen copied from a web page split the word in two: no word started with both halves.
    assert.deepEqual(suggester.suggest('红\u200b旗'), suggester.suggest('红旗'))
    assert.deepEqual(texts(suggester.suggest('ru\u00ads'), 'word'), ['Rust', 'rustup'])
  })

  test('a title is found from the start of any of its words, even when the typed text is cut differently', () => {
    assert.deepEqual(suggester.suggest('长江经').map((s) => s.id), ['yangtze'])
    assert.deepEqual(suggester.suggest('生态保护').map((s) => s.id), ['yangtze'])
    assert.deepEqual(suggester.suggest('精神').map((s) => s.id), ['canal-2020'])
  })

  test('two typed words suggest titles holding both, and no single word', () => {
    const list = suggester.suggest('红旗区 道路')
    assert.deepEqual(texts(list, 'word'), [])
    assert.deepEqual(list.map((s) => s.id), ['road-2023'])
  })

  test('every other typed word must start a word of the title, not merely occur in it', () => {
    // 济 and 江 occur in 长江经济带 inside words (长江, 经济), which they do not start.
    assert.deepEqual(suggester.suggest('长江 济'), [])
    assert.deepEqual(suggester.suggest('经济 江'), [])
    assert.deepEqual(suggester.suggest('生态 长江').map((s) => s.id), ['yangtze'])
  })

  test('a decimal number is one word: 1.1 starts 1.19, and is not 1 and 1', () => {
    assert.deepEqual(suggester.suggest('1.1').map((s) => s.id), ['trips-1.19'])
    assert.deepEqual(suggester.suggest('1.19亿').map((s) => s.id), ['trips-1.19'])
    assert.deepEqual(suggester.suggest('1').map((s) => s.id).sort(), ['economy-1-7', 'trips-1.19'])
  })

  test('nothing for blank input, punctuation, or what matches nothing', () => {
    for (const typed of ['', '   ', '，。！', '火星基地']) assert.deepEqual(suggester.suggest(typed), [], JSON.stringify(typed))
  })
})

describe('how many, and in what order', () => {
  // 12 words and 12 titles that all start with 新.
  const many: Vocabulary = {
    words: Array.from({ length: 12 }, (_, i) => ({ text: `新词${i}`, key: `新词${i}`, df: 100 - i })),
    titles: Array.from({ length: 12 }, (_, i) => ({ text: `新闻标题第${i}篇`, id: `t${i}` })),
  }
  const index = new SuggestIndex(suggestData(many, segmenter), segmenter)

  test(`at most ${MAX_SUGGESTIONS}: the most frequent words, then the newest titles`, () => {
    const list = index.suggest('新')
    assert.equal(list.length, MAX_SUGGESTIONS)
    assert.deepEqual(texts(list, 'word'), ['新词0', '新词1', '新词2', '新词3', '新词4'])
    assert.deepEqual(list.filter((s) => s.kind === 'title').map((s) => s.id), ['t0', 't1', 't2'])
  })

  test('titles fill the places words leave, and words the places titles leave', () => {
    assert.deepEqual(index.suggest('新闻').map((s) => s.id), ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'])
    assert.deepEqual(texts(index.suggest('新词')), Array.from({ length: 8 }, (_, i) => `新词${i}`))
  })

  test('a smaller limit is honoured; a larger one is capped', () => {
    assert.equal(index.suggest('新', 3).length, 3)
    assert.equal(index.suggest('新', 50).length, MAX_SUGGESTIONS)
    assert.deepEqual(index.suggest('新', 0), [])
  })
})
