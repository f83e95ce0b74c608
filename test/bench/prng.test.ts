import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mulberry32, randomBelow, sampleWithoutReplacement } from '../../bench/lib/prng.js'

describe('mulberry32', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = mulberry32(7)
    const b = mulberry32(7)
    const c = mulberry32(8)
    const first = Array.from({ length: 5 }, () => a())
    assert.deepEqual(first, Array.from({ length: 5 }, () => b()))
    assert.notDeepEqual(first, Array.from({ length: 5 }, () => c()))
  })

  it('stays in [0, 1) and covers it evenly', () => {
    const random = mulberry32(1)
    const buckets = new Array<number>(10).fill(0)
    for (let i = 0; i < 10_000; i++) {
      const x = random()
      assert.ok(x >= 0 && x < 1)
      buckets[Math.floor(x * 10)]!++
    }
    for (const count of buckets) assert.ok(count > 900 && count < 1100, `bucket holds ${count} of 10000`)
  })
})

describe('sampling helpers', () => {
  it('randomBelow gives every integer below n and nothing else', () => {
    const random = mulberry32(3)
    const seen = new Set(Array.from({ length: 500 }, () => randomBelow(random, 4)))
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3])
  })

  it('sampleWithoutReplacement draws distinct items, all of them when asked for more', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f']
    const three = sampleWithoutReplacement(items, 3, mulberry32(5))
    assert.equal(new Set(three).size, 3)
    assert.ok(three.every((x) => items.includes(x)))
    assert.deepEqual(sampleWithoutReplacement(items, 3, mulberry32(5)), three)
    assert.deepEqual(sampleWithoutReplacement(items, 10, mulberry32(5)).sort(), items)
    assert.deepEqual(items, ['a', 'b', 'c', 'd', 'e', 'f'])
  })
})
