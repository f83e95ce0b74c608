// What the suggestion index offers: which words (by df, Latin words from the grams space), how Latin
// words are spelled, and which titles, in what order.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { TermDictionary } from '../../src/suggest/term-dictionary.js'
import {
  addWritten,
  chooseWords,
  commonSpellings,
  countWritten,
  DEFAULT_VOCABULARY_LIMITS,
  distinctTitles,
  isSuggestedGram,
  latinRuns,
  spellingsOf,
  type TitledDocument,
} from '../../src/suggest/vocabulary.js'

/** A term space's dictionary as the index stores it: keys in code-unit order with their df. */
function dictionary(entries: Record<string, number>): TermDictionary {
  const keys = Object.keys(entries).sort()
  return { terms: keys.length, key: (t) => keys[t]!, df: (t) => entries[keys[t]!]! }
}

const day = (iso: string) => Date.parse(`${iso}T08:00:00+08:00`)

describe('chooseWords and distinctTitles', () => {
  const documents: TitledDocument[] = [
    { id: 'a', title: '用 Rust 写搜索', dateMs: day('2024-01-02'), text: 'Rust 很快。rust 的工具链叫 cargo。GitHub 上的项目。' },
    { id: 'b', title: 'GitHub 托管', dateMs: day('2024-03-04'), text: '代码放在 GitHub。' },
    { id: 'c', title: '用 Rust 写搜索', dateMs: day('2024-05-06') },
    { id: 'd', title: '   ', dateMs: day('2024-07-08') },
    { id: 'e', title: '没有日期的文章', dateMs: Number.NaN },
    { id: 'f', title: '更早的文章', dateMs: day('2020-01-01') },
  ]

  test('words of the words space and Latin words of the grams space, most frequent first', () => {
    const words = chooseWords({
      words: dictionary({ 红旗区: 4, 红旗渠: 9, 断头路: 4 }),
      // Han characters and bigrams, numbers, single letters and mixed grams are not words to complete.
      grams: dictionary({ 红: 30, 红旗: 12, rust: 5, github: 6, c: 40, '2024': 50, rust语: 3, café: 2 }),
      documents,
    })
    assert.deepEqual(
      words.map((w) => [w.text, w.key, w.df]),
      [
        ['红旗渠', '红旗渠', 9],
        ['GitHub', 'github', 6],
        ['Rust', 'rust', 5],
        ['断头路', '断头路', 4],
        ['红旗区', '红旗区', 4],
        ['café', 'café', 2],
      ],
    )
  })

  test('where the index counts words standing on their own, a word seen only inside longer words is not offered', () => {
    const words = chooseWords({
      // 视网 only ever inside 央视网: in many documents, a word of its own in none.
      words: { ...dictionary({ 视网: 50, 视频: 10, 央视网: 50 }), standaloneDf: [50, 0, 9] },
      grams: dictionary({}),
      documents,
    })
    assert.deepEqual(
      words.map((w) => [w.key, w.df]),
      [
        ['央视网', 50],
        ['视频', 9],
      ],
    )
  })

  test('a language named by a letter and ++ or # is a word, spelled as the archive writes it', () => {
    const words = chooseWords({
      words: dictionary({}),
      grams: dictionary({ 'c++': 5, 'c#': 3, c: 40, abc: 1 }),
      documents: [{ id: 'x', title: 'C++ 与 C# 入门', dateMs: 0, text: '学c++，用 C++ 写；ABC++ 不是它。' }],
    })
    assert.deepEqual(words.map((w) => [w.text, w.key, w.df]), [['C++', 'c++', 5], ['C#', 'c#', 3], ['ABC', 'abc', 1]])
    assert.equal(isSuggestedGram('c++'), true)
  })

  test('a large archive drops rare words, and at most maxWords are kept', () => {
    assert.equal(DEFAULT_VOCABULARY_LIMITS.minDf(30), 1)
    assert.equal(DEFAULT_VOCABULARY_LIMITS.minDf(5000), 1)
    assert.equal(DEFAULT_VOCABULARY_LIMITS.minDf(5001), 2)
    assert.equal(DEFAULT_VOCABULARY_LIMITS.minDf(20_007), 3)
    assert.equal(DEFAULT_VOCABULARY_LIMITS.minDf(1_000_000), 3)
    const words = chooseWords(
      { words: dictionary({ 甲乙: 1, 丙丁: 2, 戊己: 3, 庚辛: 5 }), grams: dictionary({ ab: 2, cd: 4 }), documents },
      { maxWords: 3, minDf: () => 2 },
    )
    assert.deepEqual(words.map((w) => w.key), ['庚辛', 'cd', '戊己'])
  })

  test('titles appear once each, newest first, for their newest document; blank titles are left out', () => {
    assert.deepEqual(distinctTitles(documents), [
      { text: '用 Rust 写搜索', id: 'c' },
      { text: 'GitHub 托管', id: 'b' },
      { text: '更早的文章', id: 'f' },
      { text: '没有日期的文章', id: 'e' },
    ])
  })

  test('titles that differ only in spaces, case or width are one title, the newest spelling', () => {
    const titled = (id: string, title: string, day: number): TitledDocument => ({ id, title, dateMs: Date.UTC(2024, 0, day), text: '' })
    const spellings = [titled('old', '对口援疆 助力新疆发展', 1), titled('new', '对口援疆助力新疆发展', 2), titled('wide', 'ＧＰＴ 新版本', 3), titled('narrow', 'gpt 新版本', 4)]
    assert.deepEqual(distinctTitles(spellings), [
      { text: 'gpt 新版本', id: 'narrow' },
      { text: '对口援疆助力新疆发展', id: 'new' },
    ])
  })
})

describe('commonSpellings', () => {
  const doc = (title: string, text = ''): TitledDocument => ({ id: title, title, dateMs: 0, text })

  test('the spelling used most in titles and bodies, for the words asked about only', () => {
    const spellings = commonSpellings(new Set(['github', 'ai', 'rust']), [
      doc('GitHub 的 AI 工具', 'github 和 GitHub，还有 Github。ai 与 AI 与 AI。Python 不在其中。'),
    ])
    assert.deepEqual(Object.fromEntries(spellings), { github: 'GitHub', ai: 'AI' })
  })

  test('full-width letters count as their ordinary form; a tie goes to the spelling met first', () => {
    const spellings = commonSpellings(new Set(['rust', 'vue']), [doc('ＲＵＳＴ 与 Rust 与 RUST', 'vue 和 Vue')])
    assert.deepEqual(Object.fromEntries(spellings), { rust: 'RUST', vue: 'vue' })
  })
})

describe('spellings counted a run of documents at a time', () => {
  // Spellings of a few words, ties and full-width forms among them, and languages' names.
  const pieces = ['Rust', 'rust', 'RUST', 'ＲＵＳＴ', 'GitHub', 'github', 'C++', 'c++', 'C#', 'c#', 'ABC++', 'AI', 'ai', '中文', ' ', '，']
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join(''))
  const documents = fc.array(fc.record({ title: text, text }), { maxLength: 8 }).map((docs) => docs.map((d, i): TitledDocument => ({ id: String(i), dateMs: 0, ...d })))
  const keySets = fc.subarray(['rust', 'github', 'ai', 'c++', 'c#', 'abc'])

  test('by the build workers, each its own run, and added in order, they choose what counting all documents at once does', () => {
    fc.assert(
      fc.property(documents, keySets, fc.nat(), (docs, keys, at) => {
        const cut = docs.length === 0 ? 0 : at % (docs.length + 1)
        const runs = [docs.slice(0, cut), docs.slice(cut)].map((run) => {
          const written = new Map<string, number>()
          for (const doc of run) {
            countWritten(doc.title, written)
            countWritten(doc.text!, written)
          }
          return written
        })
        const added = runs.reduce((all, run) => addWritten(all, run), new Map<string, number>())
        assert.deepEqual([...spellingsOf(new Set(keys), added)], [...commonSpellings(new Set(keys), docs)])
      }),
      { numRuns: 300 },
    )
  })

  test('chooseWords given the counts reads no text', () => {
    const documents: TitledDocument[] = [
      {
        id: 'a',
        title: '',
        dateMs: 0,
        get text(): string {
          throw new Error('a text was read')
        },
      },
    ]
    const written = new Map([
      ['rust', 1],
      ['Rust', 2],
    ])
    const words = chooseWords({ words: dictionary({}), grams: dictionary({ rust: 1 }), documents, written })
    assert.deepEqual(words.map((w) => w.text), ['Rust'])
  })
})

describe('latinRuns', () => {
  const regexRuns = (text: string) => [...text.matchAll(/\p{Script=Latin}+/gu)].map(([run]) => run)
  // Han, ASCII and full-width letters, accents, digits, Greek, Latin letters outside the BMP (U+10780,
  // U+1DF00), a non-Latin one (U+20BB7), and lone surrogate halves.
  const pieces = ['中文', 'Rust', 'ＧｉｔＨｕｂ', 'é', 'Ǆ', '42', 'λ', '\u{10780}', '\u{1DF00}', '\u{20BB7}', '\ud800', '\udc00', ' ', '。']

  test('finds the runs of Latin letters a \\p{Script=Latin}+ regex finds', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const text = parts.join('')
        assert.deepEqual([...latinRuns(text)], regexRuns(text))
      }),
      { numRuns: 500 },
    )
  })

  test('also in arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => assert.deepEqual([...latinRuns(text)], regexRuns(text))), { numRuns: 500 })
  })
})

test('the grams suggested are Latin words of 2 to 64 letters; an endless run of letters is none, and no crash', () => {
  assert.equal(isSuggestedGram('rust'), true)
  assert.equal(isSuggestedGram('x'), false)
  assert.equal(isSuggestedGram('中国'), false)
  assert.equal(isSuggestedGram('a'.repeat(64)), true)
  assert.equal(isSuggestedGram('a'.repeat(65)), false)
  // The regex alone overflowed the stack here, failing every full build of an archive holding such a post.
  assert.equal(isSuggestedGram('x'.repeat(5_000_000)), false)
})
