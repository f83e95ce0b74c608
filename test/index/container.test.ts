import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
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
