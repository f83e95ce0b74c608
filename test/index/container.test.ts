import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { crc32 } from 'node:zlib'
import { Container, writeContainer } from '../../src/index/container.js'

test('sections round-trip as typed views, and the recorded checksum is the file’s', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-container-'))
  try {
    const cases: Record<string, Parameters<typeof writeContainer>[2]> = {
      mixed: { bytes: new Uint8Array([1, 2, 3]), ints: new Uint32Array([7, 8]), signed: new Int32Array([-1]), reals: new Float64Array([1.5]) },
      // An empty last section once reset the running CRC to 0.
      emptyLast: { bytes: new Uint8Array([1, 2, 3]), empty: Uint32Array.from([]) },
      allEmpty: { a: new Uint8Array(0), b: new Float64Array(0) },
      // Enough sections that the header's length changes while offsets are laid out.
      many: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`s${i}`, new Uint8Array(i * 37)])),
    }
    for (const [name, sections] of Object.entries(cases)) {
      const path = join(dir, `${name}.idx`)
      const written = writeContainer(path, { name }, sections)
      assert.equal(written.crc32, crc32(readFileSync(path)) >>> 0, name)
      const c = Container.open(path, written)
      assert.deepEqual(c.meta, { name })
      if (name === 'mixed') {
        assert.deepEqual([...c.u8('bytes')], [1, 2, 3])
        assert.deepEqual([...c.u32('ints')], [7, 8])
        assert.deepEqual([...c.i32('signed')], [-1])
        assert.deepEqual([...c.f64('reals')], [1.5])
      }
      if (name === 'many') assert.equal(c.u8('s39').length, 39 * 37)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('sections left on disk are checked with the rest, read by range, and not held in memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-container-'))
  try {
    const path = join(dir, 'store.idx')
    // Odd lengths, so the sections cut out of memory leave padding behind them.
    const first = Uint8Array.from({ length: 13 }, (_, i) => i)
    const blob = Uint8Array.from({ length: 3 * 1024 * 1024 + 5 }, (_, i) => (i * 7) % 251)
    const middle = new Uint32Array([10, 20, 30])
    const tail = Uint8Array.from({ length: 9 }, (_, i) => 200 + i)
    const last = new Float64Array([2.5, -1])
    const written = writeContainer(path, { kind: 'store' }, { first, blob, middle, tail, last })

    for (const shared of [false, true]) {
      const whole = Container.open(path, written, { shared })
      const lean = Container.open(path, written, { shared, onDisk: ['blob', 'tail'] })
      assert.ok(lean.bytes.length < whole.bytes.length - blob.length, 'the on-disk sections take no memory')
      assert.deepEqual([...lean.u8('first')], [...first])
      assert.deepEqual([...lean.u32('middle')], [...middle])
      assert.deepEqual([...lean.f64('last')], [...last])
      for (const [start, end] of [[0, 0], [0, 5], [1_048_570, 1_048_600], [blob.length - 3, blob.length]] as const) {
        assert.deepEqual([...lean.read('blob', start, end)], [...blob.subarray(start, end)], `blob ${start}–${end}`)
        assert.deepEqual([...whole.read('blob', start, end)], [...blob.subarray(start, end)])
      }
      assert.deepEqual([...lean.read('tail', 2, 9)], [...tail.subarray(2)])
      assert.throws(() => lean.u8('blob'), /left on disk/)
      assert.throws(() => lean.read('blob', 0, blob.length + 1), /outside section blob/)
      // Another thread views the same bytes and opens the file itself.
      const viewed = Container.fromBytes(path, lean.bytes, ['blob', 'tail'])
      assert.deepEqual([...viewed.u32('middle')], [...middle])
      assert.deepEqual([...viewed.read('blob', 100, 110)], [...blob.subarray(100, 110)])
    }

    // A damaged byte inside a section left on disk still fails the checksum when the file is opened.
    const bytes = readFileSync(path)
    const insideBlob = bytes.length - 1000
    bytes[insideBlob] = bytes[insideBlob]! ^ 0xff
    const damaged = join(dir, 'damaged.idx')
    writeFileSync(damaged, bytes)
    assert.throws(() => Container.open(damaged, written, { onDisk: ['blob'] }), /checksum mismatch/)
    assert.throws(() => Container.open(damaged, { ...written, bytes: written.bytes + 1 }, { onDisk: ['blob'] }), /size/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
