import assert from 'node:assert/strict'
import { test } from 'node:test'
import { splitUnits } from '../../src/analysis/units.js'

const cases: [string, string, string][] = [
  // input (already folded), units joined by |, joined flags
  ['红旗区有6条', '红|旗|区|有|6|条', '011111'],
  ['我从2025年开始学习rust语言。', '我|从|2025|年|开|始|学|习|rust|语|言', '01111111111'],
  ['ag600m 5g', 'ag|600|m|5|g', '01101'],
  ['1.1亿元 94%', '1.1|亿|元|94', '0111'],
  ['2024.05.12', '2024.05|12', '00'],
  ['a, b', 'a|b', '00'],
  ['程序员 35 岁', '程|序|员|35|岁', '01111'], // a space between Han and digits is cosmetic
  ['35  岁', '35|岁', '01'],
  ['使用 rust 语言', '使|用|rust|语|言', '01111'],
  ['rust go', 'rust|go', '00'], // between two Latin words a space separates
  ['中 国', '中|国', '00'],
  ['35\n岁', '35|岁', '00'],
  ['café résumé', 'café|résumé', '00'],
  ['𠀀中', '𠀀|中', '01'],
  ['', '', ''],
  ['，。！', '', ''],
  ['版本 2.', '版|本|2', '011'], // a text may end in a number's full stop
  ['35.', '35', '0'],
  ['ⅱ类水质 第ⅲ卷', 'ⅱ|类|水|质|第|ⅲ|卷', '0111011'], // letter numbers are units, not gaps
  ['c++ 和 c#，g++编译', 'c++|和|c#|g++|编|译', '011011'], // a language named by a letter and ++ or #
  ['c++20 a#b c+++ ab++ c#', 'c|20|a|b|c|ab|c#', '0000000'], // not when more of a word follows, nor after longer words
]

test('splitUnits: one unit per ideograph, per letter run, per number', async (t) => {
  for (const [input, units, joined] of cases) {
    await t.test(JSON.stringify(input), () => {
      const u = splitUnits(input)
      assert.equal(u.keys.join('|'), units)
      assert.equal(Array.from(u.joined).join(''), joined)
      u.keys.forEach((k, i) => assert.equal(input.slice(u.starts[i], u.ends[i]), k))
    })
  }
})
