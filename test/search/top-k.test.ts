import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BoundedHeap, topK } from '../../src/search/top-k.js'

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

test('topK gives the first k of a full sort, ties included', () => {
  const next = random(7)
  for (let round = 0; round < 200; round++) {
    const n = Math.floor(next() * 300)
    // Few distinct scores, so that many items tie and only the tie-break (the item itself) orders them.
    const score = Array.from({ length: n }, () => Math.floor(next() * 8))
    const before = (a: number, b: number) => score[b]! - score[a]! || a - b
    const items = Array.from({ length: n }, (_, i) => i)
    const k = Math.floor(next() * (n + 5))
    assert.deepEqual(topK(items, k, before), [...items].sort(before).slice(0, k), `n ${n}, k ${k}`)
  }
})

test('a bounded heap keeps the best k, and its worst is the one the next item must beat', () => {
  const score = [5, 1, 9, 3, 7, 9, 2]
  const before = (a: number, b: number) => score[b]! - score[a]! || a - b
  const heap = new BoundedHeap(3, before)
  for (const item of [0, 1, 2]) heap.offer(item)
  assert.ok(heap.full)
  assert.equal(heap.worst, 1, 'score 1 is the worst of 5, 1, 9')
  heap.offer(3)
  assert.equal(heap.worst, 3, 'score 3 replaced score 1')
  heap.offer(6)
  assert.equal(heap.worst, 3, 'score 2 does not get in')
  heap.offer(4)
  heap.offer(5)
  assert.deepEqual(heap.sorted(), [2, 5, 4], 'the two 9s, the earlier first, then the 7')
  const empty = new BoundedHeap(0, before)
  empty.offer(2)
  assert.deepEqual(empty.sorted(), [])
})
