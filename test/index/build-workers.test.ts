import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { MessagePort } from 'node:worker_threads'
import { buildIndex } from '../../src/index/build.js'
import { readManifest } from '../../src/index/manifest.js'
import { analyzeFiles, BuildWorkers } from '../../src/index/shard-workers.js'
import type { ShardSpace } from '../../src/index/term-accumulator.js'
import { listPostFiles } from '../../src/ingest/walk.js'

/*
 * Builds of 400 posts or more analyse in worker threads, which also compress their own texts for the
 * document store. Whatever the workers do, the index must be the one a single in-process analysis
 * writes, byte for byte.
 */

let work = ''

// Written for this test: short news items from a few phrases, varied by number.
const PHRASES = ['春耕时节，农技人员深入田间地头', '城市地铁新线路今日开通运营', '科研团队在深海探测方面取得进展', '秋粮收购工作有序开展', 'Rust 与 WebAssembly 的工具链更新']

function post(i: number): string {
  const date = `2023-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`
  const paragraphs = Array.from({ length: 1 + (i % 6) }, (_, k) => `<p>${PHRASES[(i + k) % PHRASES.length]}，第${i}号报道第${k + 1}段，编号${(i * 7919) % 10007}。</p>`)
  return `---\ntitle: "${PHRASES[i % PHRASES.length]} ${i}"\ndate: ${date} 19:00:00 +0800\ncategories: [news]\ntags: [标签${i % 9}]\n---\n${paragraphs.join('\n')}\n`
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-build-workers-'))
  const posts = join(work, 'posts', 'news')
  mkdirSync(posts, { recursive: true })
  for (let i = 0; i < 460; i++) writeFileSync(join(posts, `2023-item-${String(i).padStart(4, '0')}.md`), post(i))
})

after(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

/** Every file the manifest lists, by name. */
function indexFiles(dir: string): Map<string, Buffer> {
  const manifest = readManifest(dir)
  return new Map(Object.keys(manifest.files).map((name) => [name, readFileSync(join(dir, manifest.generation, name))]))
}

async function sameAsInProcess(label: string): Promise<void> {
  const posts = join(work, 'posts')
  const threaded = await buildIndex({ postsDir: posts, outDir: join(work, `${label}-threads`), workers: 2, full: true })
  const single = await buildIndex({ postsDir: posts, outDir: join(work, `${label}-single`), workers: 1, full: true })
  assert.equal(threaded.documents, single.documents)
  assert.deepEqual(threaded.skipped, single.skipped)
  const a = indexFiles(join(work, `${label}-threads`))
  const b = indexFiles(join(work, `${label}-single`))
  assert.deepEqual([...a.keys()], [...b.keys()])
  for (const [name, bytes] of a) assert.ok(bytes.equals(b.get(name)!), `${label}: ${name} differs between worker threads and one in-process analysis`)
}

test('analysed in two worker threads, the index is the one a single in-process analysis writes', async () => {
  await sameAsInProcess('plain')
})

test('a file skipped near the start (every later post moves up one document number) changes nothing either', async () => {
  // Sorted second, and not a post: the workers' runs of documents no longer start where their files do.
  writeFileSync(join(work, 'posts', 'news', '2023-item-0000a-broken.md'), Buffer.from([0, 1, 2, 3]))
  await sameAsInProcess('skipped')
})

test("each worker sends its grams to the tail over a channel of its own, not through the build's main thread", async () => {
  const posts = join(work, 'posts')
  const { files } = await listPostFiles(posts)
  const options = { postsDir: posts, outDir: join(work, 'unused'), workers: 2 }
  const ports: MessagePort[] = []
  const shards = await analyzeFiles(files, options, ports)
  assert.equal(shards.length, 2)
  assert.equal(ports.length, shards.length, 'one channel per worker, in shard order')
  for (const shard of shards) assert.equal(shard.grams, null)
  const sent = await Promise.all(
    ports.map(
      (port) =>
        new Promise<ShardSpace>((resolve) =>
          port.once('message', (grams: ShardSpace) => {
            port.close()
            resolve(grams)
          }),
        ),
    ),
  )
  // Between them, the grams sent are the ones an in-process analysis keeps with its one shard.
  const [single] = await analyzeFiles(files, { ...options, workers: 1 }, ports.splice(0))
  assert.equal(ports.length, 0, 'an in-process analysis opens no channel')
  assert.deepEqual(new Set(sent.flatMap((grams) => grams.keys)), new Set(single!.grams!.keys))
  // The Latin words the suggestions read, which the main thread takes from the shards instead.
  assert.deepEqual(new Set(shards.flatMap((s) => s.suggestedGrams.keys)), new Set(single!.suggestedGrams.keys))
  assert.ok(single!.suggestedGrams.keys.includes('rust'))
})

test('workers started before the files were known, and then handed too few of them, are stopped: those are read in-process', async () => {
  const posts = join(work, 'posts')
  const { files } = await listPostFiles(posts)
  const options = { postsDir: posts, outDir: join(work, 'unused'), workers: 2 }
  const ports: MessagePort[] = []
  // Were they left running, waiting for files, this test's process would never end.
  const shards = await analyzeFiles(files.slice(0, 20), options, ports, new BuildWorkers(options))
  assert.equal(shards.length, 1)
  assert.equal(ports.length, 0)
  assert.equal(shards[0]!.records.length + shards[0]!.skipped.length, 20)
})
