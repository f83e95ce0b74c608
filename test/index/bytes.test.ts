// ByteWriter.finish hands over a nearly full buffer instead of copying it (a merge sized in advance
// writes hundreds of megabytes); the bytes must be the written ones either way, and must not be
// changed by anything the writer does afterwards.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ByteWriter } from '../../src/index/bytes.js'
import { expectedBytes } from '../../src/index/space-writer.js'

function filled(capacity: number, count: number): { writer: ByteWriter; written: number[] } {
  const writer = new ByteWriter(capacity)
  const written: number[] = []
  for (let i = 0; i < count; i++) {
    writer.varint(i % 100)
    written.push(i % 100)
  }
  return { writer, written }
}

test('a nearly full writer hands over its own buffer, holding exactly the written bytes', () => {
  const { writer, written } = filled(1000, 950)
  const bytes = writer.finish()
  assert.deepEqual([...bytes], written)
  assert.equal(bytes.buffer, writer.bytes.buffer, 'no copy')
})

test('a mostly empty writer hands over a trimmed copy, so no slack travels with it', () => {
  const { writer, written } = filled(1000, 300)
  const bytes = writer.finish()
  assert.deepEqual([...bytes], written)
  assert.notEqual(bytes.buffer, writer.bytes.buffer)
  assert.equal(bytes.buffer.byteLength, 300)
})

test('a writer that outgrows its expected size still keeps every byte', () => {
  const { writer, written } = filled(16, 5000)
  assert.deepEqual([...writer.finish()], written)
})

test('expectedBytes leaves room for re-coded first postings and grown gaps, and copies positions as they are', () => {
  const input = { docBytes: new Uint8Array(1000), posBytes: new Uint8Array(700), terms: 10 }
  const expected = expectedBytes([input, input])
  assert.equal(expected.positions, 1400)
  assert.ok(expected.docs >= 2000 + 2 * 5 * 10, `room for the heads: ${expected.docs}`)
})
