import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { loadCorpus, repoRoot, sharedDir, writeSubset } from '../../bench/lib/corpus.js'
import { parseQrels, parseTopics, RECALL_GRADE } from '../../bench/lib/trec.js'
import { listPostFiles } from '../../src/ingest/walk.js'

/** A hand-written Jekyll post in the archive's shape. */
function post(title: string, paragraphs: string[]): string {
  return [
    '---',
    'layout: post',
    `title: "${title}"`,
    'date: 2024-03-01 08:00:00 +0800',
    'categories: demo',
    'tags: 示例新闻',
    '---',
    paragraphs.map((p) => `<p>${p}</p>`).join(''),
    '',
  ].join('\n')
}

describe('reading a posts folder', () => {
  let dir = ''
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'jiansuo-bench-corpus-'))
    mkdirSync(join(dir, 'posts', 'town'), { recursive: true })
    mkdirSync(join(dir, 'posts', 'tech'), { recursive: true })
    const files: [string, string, string[]][] = [
      ['town/2024-03-01-bridge.md', '河东新桥今日通车', ['新桥全长八百米，连接河东与河西。']],
      ['town/2024-03-02-market.md', '早市搬进新大棚', ['摊主们说，下雨天也能照常营业。']],
      ['town/2024-03-03-library.md', '社区图书馆延长开放时间', ['周末开放到晚上九点。']],
      ['tech/2024-03-04-rust.md', 'Rust 学习小组开课', ['每周三晚上在图书馆三楼。']],
      ['tech/2024-03-05-wasm.md', 'WebAssembly 入门讲座', ['讲座面向初学者，免费报名。']],
    ]
    for (const [path, title, paragraphs] of files) writeFileSync(join(dir, 'posts', path), post(title, paragraphs))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('loads every post as a Document through the ingest module', async () => {
    const corpus = await loadCorpus(join(dir, 'posts'))
    assert.deepEqual(corpus.skipped, [])
    const byId = new Map(corpus.documents.map((d) => [d.id, d]))
    assert.equal(byId.size, 5)
    assert.equal(byId.get('2024-03-01-bridge')?.title, '河东新桥今日通车')
    assert.deepEqual(byId.get('2024-03-01-bridge')?.paragraphs, ['新桥全长八百米，连接河东与河西。'])
    assert.equal(byId.get('2024-03-04-rust')?.path, 'tech/2024-03-04-rust.md')
  })

  it('writes a seeded subset that keeps the posts asked for first and the folder layout', async () => {
    const keep = new Set(['2024-03-05-wasm'])
    const out = join(dir, 'subset')
    await writeSubset(join(dir, 'posts'), out, { limit: 3, seed: 2, keep })
    const first = (await listPostFiles(out)).files.map((f) => f.relPath)
    assert.equal(first.length, 3)
    assert.ok(first.includes('tech/2024-03-05-wasm.md'))
    assert.equal(readFileSync(join(out, 'tech/2024-03-05-wasm.md'), 'utf8'), readFileSync(join(dir, 'posts/tech/2024-03-05-wasm.md'), 'utf8'))
    await writeSubset(join(dir, 'posts'), out, { limit: 3, seed: 2, keep })
    assert.deepEqual((await listPostFiles(out)).files.map((f) => f.relPath), first, 'same seed, same subset; the folder is emptied first')
  })
})

describe('the shared evaluation set', () => {
  it('finds the repository root from compiled code', () => {
    assert.ok(readdirSync(repoRoot()).includes('package.json'))
  })

  it('has judgments for every topic, each naming a post of the shared corpus', async (t) => {
    const shared = sharedDir()
    if (!shared) return t.skip('../shared is not present beside this clone: shared evaluation checks skipped')
    const topics = parseTopics(readFileSync(join(shared, 'eval', 'dev-topics.tsv'), 'utf8'))
    const qrels = parseQrels(readFileSync(join(shared, 'eval', 'dev.qrels'), 'utf8'))
    const ids = new Set((await listPostFiles(join(shared, 'corpus'))).files.map((f) => f.id))
    assert.ok(topics.length > 0)
    for (const topic of topics) {
      const judged = qrels.get(topic.qid)
      assert.ok(judged, `${topic.qid} has no judgments`)
      assert.ok([...judged.values()].some((g) => g >= RECALL_GRADE), `${topic.qid} has no relevant post`)
    }
    const unknown = [...qrels.values()].flatMap((j) => [...j.keys()]).filter((id) => !ids.has(id))
    assert.deepEqual(unknown, [])
  })
})
