import assert from 'node:assert/strict'
import { test } from 'node:test'
import { normalize } from '../../src/analysis/normalize.js'

const cases: [string, string, string][] = [
  ['full-width Latin and digits', 'ＡＧ６００Ｍ　５Ｇ', 'ag600m 5g'],
  ['Latin case', 'Rust WebAssembly', 'rust webassembly'],
  ['traditional to simplified', '紅旗區 斷頭路', '红旗区 断头路'],
  ['traditional phrase', '長江 禁漁', '长江 禁渔'],
  ['simplified stays', '红旗区打通断头路', '红旗区打通断头路'],
  ['full-width punctuation', '（文章来源：新乡日报）', '(文章来源:新乡日报)'],
  ['ligature keeps its length', 'ﬁle', 'ﬁle'],
  ['astral characters pass through', '𠀀😀中', '𠀀😀中'],
]

test('normalize folds width, case and script', async (t) => {
  for (const [name, input, expected] of cases) {
    await t.test(name, () => assert.equal(normalize(input), expected))
  }
})

test('normalize keeps every offset', () => {
  const samples = ['紅旗區ＡＢＣ，ｘ１２', 'İstanbul ß ﬃ ㈱', '\u0000\ud800 lone', 'ǅ ǈ ǋ Ⅻ ①']
  for (const s of samples) assert.equal(normalize(s).length, s.length, s)
})
