import assert from 'node:assert/strict'
import { test } from 'node:test'
import { codeUnitClasses } from '../../src/analysis/code-unit-classes.js'

test('a code unit is classed as its one-unit string is, once, and class 0 is remembered too', () => {
  const calls = new Map<string, number>()
  const classOf = (s: string) => {
    calls.set(s, (calls.get(s) ?? 0) + 1)
    return (/\p{Script=Latin}/u.test(s) ? 1 : 0) | (/\s/.test(s) ? 2 : 0) | (s === '\ud83d' ? 4 : 0)
  }
  const unitClass = codeUnitClasses(classOf)
  for (let round = 0; round < 2; round++) {
    for (let c = 0; c < 0x10000; c++) assert.equal(unitClass(c), classOf(String.fromCharCode(c)), `U+${c.toString(16)}`)
  }
  // Each unit was worked out by the table once (and once more by the comparison above, each round).
  for (const [s, n] of calls) assert.equal(n, 3, `U+${s.charCodeAt(0).toString(16)} classed ${n - 2} times by the table`)
  assert.equal(unitClass('😀'.charCodeAt(0)), 4, 'half of a surrogate pair is seen alone')
  assert.equal(unitClass('　'.charCodeAt(0)), 2)
})
