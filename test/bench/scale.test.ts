import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { loadCorpus, type Corpus } from '../../bench/lib/corpus.js'
import { generateCorpus, renderPost } from '../../bench/scale/generate.js'
import { copyWithEdits } from '../../bench/scale/incremental.js'
import { medianPerItem, summarize, timePass } from '../../bench/scale/latency.js'
import { buildQueryLog, COMMON_QUERIES } from '../../bench/scale/queries.js'
import { parsePost } from '../../src/ingest/parse-post.js'
import { listPostFiles } from '../../src/ingest/walk.js'

/** Hand-written source posts: two news posts in HTML and one long technology issue in Markdown. */
const SOURCES: [path: string, text: string][] = [
  [
    'news/2024-05-01-bridge.md',
    '---\nlayout: post\ntitle: "河东新桥今日通车"\ndate: 2024-05-01 08:00:00 +0800\ncategories: news\ntags: 本地新闻\n---\n<p>新桥全长八百米，连接河东与河西。</p><p>早高峰时段桥上车流平稳。</p>\n\n<https://example.org/news/1>\n\n[返回本地新闻](/news/)｜[返回首页](/)\n',
  ],
  [
    'news/2024-06-02-market.md',
    '---\nlayout: post\ntitle: "早市搬进新大棚"\ndate: 2024-06-02 07:30:00 +0800\ncategories: news\ntags: 本地新闻\n---\n<p>摊主们说，下雨天也能照常营业。</p><p>大棚里新装了照明和排水。</p><p>市场管理处每天清扫两次。</p>\n',
  ],
  [
    'tech/2024-07-03-issue-9.md',
    '---\nlayout: post\ntitle: "技术周刊第 9 期"\ndate: 2024-07-03 09:00:00 +0800\ncategories: tech\ntags: [技术周刊, 编程]\n---\n本期介绍一个小巧的 Rust 命令行工具。\n\n它用 *异步* 方式读取文件，速度很快。\n\n1、另一个值得一看的数据库项目\n\n（完）\n',
  ],
]

describe('the scaled corpus generator', () => {
  let dir = ''
  let source: Corpus
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jiansuo-bench-scale-'))
    for (const [path, text] of SOURCES) {
      mkdirSync(join(dir, 'source', path, '..'), { recursive: true })
      writeFileSync(join(dir, 'source', path), text)
    }
    source = await loadCorpus(join(dir, 'source'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const generate = (seed: number, out: string) =>
    generateCorpus({ sourceDir: join(dir, 'source'), documents: source.documents, posts: 40, seed, outDir: join(dir, out) })

  async function contents(folder: string): Promise<Map<string, string>> {
    const { files } = await listPostFiles(folder)
    return new Map(files.map((f) => [f.relPath, readFileSync(f.absPath, 'utf8')]))
  }

  it('writes the same posts for the same seed and other posts for another seed', async () => {
    const a = await generate(3, 'a')
    const b = await generate(3, 'b')
    const c = await generate(4, 'c')
    assert.equal(a.posts, 40)
    assert.deepEqual(await contents(b.dir), await contents(a.dir))
    assert.notDeepEqual(await contents(c.dir), await contents(a.dir))
  })

  it('reuses a finished folder for the same seed and size', async () => {
    const first = await generate(5, 'cached')
    const stamp = statSync(join(first.dir, 'generated.json')).mtimeMs
    const again = await generate(5, 'cached')
    assert.equal(again.cached, true)
    assert.equal(again.bytes, first.bytes)
    assert.equal(statSync(join(first.dir, 'generated.json')).mtimeMs, stamp)
  })

  it('writes posts that ingest reads back, each made of its own category\'s titles and paragraphs', async () => {
    const generated = await loadCorpus((await generate(6, 'read')).dir)
    assert.deepEqual(generated.skipped, [])
    assert.equal(generated.documents.length, 40)
    const ofCategory = (category: string) => source.documents.filter((d) => d.categories[0] === category)
    for (const doc of generated.documents) {
      const peers = ofCategory(doc.categories[0]!)
      assert.ok(peers.length > 0, `${doc.path}: category ${doc.categories[0]} comes from a source post`)
      assert.ok(peers.some((p) => p.title === doc.title), `${doc.path}: title ${doc.title}`)
      const pool = new Set(peers.flatMap((p) => p.paragraphs))
      for (const paragraph of doc.paragraphs) assert.ok(pool.has(paragraph), `${doc.path}: paragraph ${paragraph}`)
      assert.ok(peers.some((p) => p.tags.join() === doc.tags.join()), `${doc.path}: tags ${doc.tags.join()}`)
      assert.match(doc.date ?? '', /^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/)
    }
  })

  it('keeps Markdown text literal: marks in a paragraph are not read as Markdown', () => {
    const paragraphs = ['# 不是标题', '1. 不是列表', '- 也不是列表', '用 *星号* 和 a_b_c 写的 [链接](x) 与 <b> & `代码`']
    const text = renderPost({ title: '标题', date: '2024-01-02 03:04:05 +0800', categories: ['tech'], tags: ['编程'], url: null, paragraphs }, true)
    const result = parsePost(Buffer.from(text), { absPath: '/x/t.md', relPath: 't.md', id: 't' })
    assert.equal(result.kind, 'document')
    if (result.kind === 'document') assert.deepEqual(result.document.paragraphs, paragraphs)
  })

  it('keeps HTML text literal and carries the source link', () => {
    const paragraphs = ['价格 <5 元 & 包邮', '第二段']
    const text = renderPost({ title: '“引号”标题', date: '2024-01-02 03:04:05 +0800', categories: ['news'], tags: ['本地新闻'], url: 'https://example.org/a', paragraphs }, false)
    const result = parsePost(Buffer.from(text), { absPath: '/x/h.md', relPath: 'h.md', id: 'h' })
    assert.equal(result.kind, 'document')
    if (result.kind !== 'document') return
    assert.deepEqual(result.document.paragraphs, paragraphs)
    assert.equal(result.document.title, '“引号”标题')
    assert.equal(result.document.url, 'https://example.org/a')
  })

  it('edits a copy for an incremental build and leaves the source posts alone', async () => {
    const posts = (await generate(7, 'to-edit')).dir
    const before = await contents(posts)
    const copy = await copyWithEdits(posts, join(dir, 'edited'), 0.1, 1)
    assert.equal(copy.files, 40)
    assert.equal(copy.edited, 4)
    assert.deepEqual(await contents(posts), before)
    const after = await contents(copy.dir)
    const changed = [...after].filter(([path, text]) => before.get(path) !== text)
    assert.equal(changed.length, 4)
    for (const [path] of changed) {
      const result = parsePost(readFileSync(join(copy.dir, path)), { absPath: join(copy.dir, path), relPath: path, id: path })
      assert.equal(result.kind, 'document', `${path} is still a post`)
    }
  })
})

describe('the scale query log', () => {
  const docs = [
    { id: 'a', path: 'a.md', title: '河东新桥今日通车', date: null, categories: ['news'], tags: [], url: null, source: null, paragraphs: ['新桥全长八百米，连接河东与河西。早高峰时段桥上车流平稳。'], extra: {} },
    { id: 'b', path: 'b.md', title: '早市搬进新大棚', date: null, categories: ['news'], tags: [], url: null, source: null, paragraphs: ['摊主们说，下雨天也能照常营业，大棚里新装了照明和排水。'], extra: {} },
  ]
  const topics = [{ qid: 't1', query: '新桥 通车', need: '' }]

  it('holds the topics, the common words, titles and 2–4 word phrases, seeded', () => {
    const log = buildQueryLog(docs, topics, { count: 30, seed: 2 })
    assert.equal(log.length, 30)
    assert.deepEqual(log[0], { kind: 'topic', q: '新桥 通车' })
    for (const q of COMMON_QUERIES) assert.ok(log.some((e) => e.kind === 'common' && e.q === q), q)
    assert.ok(log.some((e) => e.q === '的') && log.some((e) => e.q === '中国') && log.some((e) => e.q === '发展'))
    for (const e of log.filter((e) => e.kind === 'title')) assert.ok(docs.some((d) => d.title === e.q))
    const phrases = log.filter((e) => e.kind === 'phrase')
    assert.ok(phrases.length > 0)
    for (const e of phrases) {
      const words = e.q.split(' ')
      assert.ok(words.length >= 2 && words.length <= 4, e.q)
      assert.ok(docs.some((d) => d.paragraphs[0]!.includes(words.join(''))), `${e.q} is a run of a body`)
    }
    assert.equal(new Set(phrases.map((e) => e.q)).size, phrases.length, 'phrases are distinct')
    assert.deepEqual(buildQueryLog(docs, topics, { count: 30, seed: 2 }), log)
  })
})

describe('latency summaries', () => {
  it('takes nearest-rank percentiles', () => {
    const s = summarize(Float64Array.from({ length: 100 }, (_, i) => 100 - i))
    assert.deepEqual([s.count, s.p50, s.p95, s.p99, s.max, s.mean], [100, 50, 95, 99, 100, 50.5])
  })

  it('keeps each item\'s median over the passes, so one slow pass does not move it', () => {
    const passes = [Float64Array.of(1, 9, 3), Float64Array.of(2, 1, 30), Float64Array.of(50, 2, 4)]
    assert.deepEqual(Array.from(medianPerItem(passes)), [2, 2, 4])
    assert.deepEqual(Array.from(medianPerItem([Float64Array.of(5, 6), Float64Array.of(1, 9)])), [1, 6], 'the lower middle of two')
  })

  it('times every item once per pass, after the warm-up', () => {
    const calls: number[] = []
    const { ms } = timePass([10, 20, 30], 2, (item) => void calls.push(item), 3)
    assert.deepEqual(calls, [10, 20, 10, 20, 30, 10, 20, 30, 10, 20, 30])
    assert.equal(ms.length, 3)
  })
})
