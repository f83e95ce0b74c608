import assert from 'node:assert/strict'
import { test } from 'node:test'
import { foldTable, normalize, normalizeUnits } from '../../src/analysis/normalize.js'

const cases: [string, string, string][] = [
  ['full-width Latin and digits', 'ＡＧ６００Ｍ　５Ｇ', 'ag600m 5g'],
  ['Latin case', 'Rust WebAssembly', 'rust webassembly'],
  ['traditional to simplified', '紅旗區 斷頭路', '红旗区 断头路'],
  ['traditional phrase', '長江 禁漁', '长江 禁渔'],
  ['simplified stays', '红旗区打通断头路', '红旗区打通断头路'],
  ['full-width punctuation', '（文章来源：新乡日报）', '(文章来源:新乡日报)'],
  ['ligature keeps its length', 'ﬁle', 'ﬁle'],
  ['a Roman numeral keeps its length, in lower case', 'Ⅱ类 ⅱ类', 'ⅱ类 ⅱ类'],
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

test('normalize folds code unit for code unit, whatever the length, lone surrogates included', () => {
  const table = foldTable()
  const oneByOne = (s: string) => Array.from({ length: s.length }, (_, i) => String.fromCharCode(table[s.charCodeAt(i)]!)).join('')
  const piece = '紅旗區，ＡＢＣ\ud800（斷頭路）\udc00ｘ１２。'
  // Short, then longer than the kept buffer, then short again: a reused buffer must not leak a longer text's tail.
  for (const s of [piece, piece.repeat(40_000), 'Ｑ', piece.slice(0, 5)]) {
    const folded = normalize(s)
    assert.equal(folded.length, s.length)
    assert.ok(folded === oneByOne(s), `folding ${s.length} code units`)
  }
  assert.equal(normalize('Ａ\ud800Ｂ'), 'a\ud800b')
})

test('normalizeUnits folds code units in place to what normalize gives for their text', () => {
  for (const s of ['紅旗區，ＡＢＣ\ud800（斷頭路）\udc00ｘ１２。', 'plain', '', '𠀀😀中']) {
    const units = Uint16Array.from({ length: s.length }, (_, i) => s.charCodeAt(i))
    const folded = normalizeUnits(units)
    assert.ok(folded === normalize(s), s)
    assert.deepEqual([...units], Array.from({ length: s.length }, (_, i) => folded.charCodeAt(i)), 'the units hold the fold')
  }
})
