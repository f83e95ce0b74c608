import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { buildIndex } from '../../src/index/build.js'
import type { RunningServer } from '../../src/server/serve.js'
import { rawRequest, startTestServer } from './fixture.js'

/**
 * A page of 100 hits whose text barely compresses: compressed, it is far larger than a socket's write
 * buffer, which is where a corked response once waited forever for a drain.
 */
let work = ''
let server: RunningServer

/** Han characters in an order no compressor finds patterns in (a fixed pseudo-random walk). */
function noisyText(seed: number, length: number): string {
  let x = seed
  let out = ''
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    out += String.fromCharCode(0x4e00 + (x % 6000))
  }
  return out
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'jiansuo-compression-'))
  mkdirSync(path.join(work, 'posts'))
  for (let i = 0; i < 110; i++) {
    const body = `${noisyText(i * 7 + 1, 60)}，港口的灯塔今夜照常点亮，${noisyText(i * 7 + 2, 200)}。`
    writeFileSync(path.join(work, 'posts', `2024-05-01-lamp${i}.md`), `---\ntitle: "灯塔${noisyText(i * 7 + 3, 30)}"\ndate: 2024-05-01 08:00:00 +0800\n---\n<p>${body}</p>\n`)
  }
  const report = await buildIndex({ postsDir: path.join(work, 'posts'), outDir: path.join(work, 'index'), workers: 1 })
  server = await startTestServer(report.indexDir)
})

after(async () => {
  await server?.close()
  rmSync(work, { recursive: true, force: true })
})

const decoders: Record<string, (body: Buffer) => Buffer> = { gzip: gunzipSync, br: brotliDecompressSync, deflate: inflateSync }

test('a large page of results arrives compressed with every encoding, searched and from the cache', { timeout: 30_000 }, async () => {
  const page = `/search?q=${encodeURIComponent('灯塔')}&size=100`
  const plain = await rawRequest(server.url, page, { headers: { 'Accept-Encoding': 'identity' } })
  assert.equal(plain.status, 200)
  const ids = (plain.json() as { hits: { id: string }[] }).hits.map((h) => h.id)
  assert.equal(ids.length, 100)
  for (const encoding of Object.keys(decoders)) {
    // The first is searched (or cached by the plain request); the second comes from the cache.
    for (const round of [1, 2]) {
      const response = await rawRequest(server.url, page, { headers: { 'Accept-Encoding': encoding } })
      assert.equal(response.status, 200, `${encoding} #${round}`)
      assert.equal(response.headers['content-encoding'], encoding)
      assert.ok(response.body.length > 20 * 1024, `${encoding}: ${response.body.length} bytes compressed, more than a 16 KiB write buffer`)
      const decoded = JSON.parse(decoders[encoding]!(response.body).toString('utf8')) as { hits: { id: string }[] }
      assert.deepEqual(
        decoded.hits.map((h) => h.id),
        ids,
      )
    }
  }
})
