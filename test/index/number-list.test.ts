// The build's tables (checkpoints, offsets, block maxima) are collected a number at a time into
// NumberList: what it hands back must be exactly the numbers pushed, through every growth.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { f64List, u32List } from '../../src/index/number-list.js'

test('a list grown many times over hands back exactly the numbers pushed, in order', () => {
  const list = u32List()
  const pushed: number[] = []
  for (let i = 0; i < 5000; i++) {
    const value = (i * 2654435761) >>> 0
    list.push(value)
    pushed.push(value)
  }
  assert.equal(list.length, 5000)
  assert.deepEqual([...list.finish()], pushed)
})

test('the last number can be read and raised in place, as block maxima are', () => {
  const list = f64List()
  assert.equal(list.last, undefined)
  list.push(0.5)
  list.push(1.25)
  list.last = 2.75
  assert.equal(list.last, 2.75)
  assert.deepEqual([...list.finish()], [0.5, 2.75])
})

test('an empty list hands back an empty array', () => {
  assert.equal(u32List().finish().length, 0)
})
