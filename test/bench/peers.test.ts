import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { flexsearchCjk, flexsearchJieba } from '../../bench/relevance/peers/flexsearch.js'
import { minisearchJieba } from '../../bench/relevance/peers/minisearch.js'
import { pagefindMissing, pagefindPeer } from '../../bench/relevance/peers/pagefind.js'
import type { Peer } from '../../bench/relevance/peers/peer.js'
import { fts5Jieba, fts5Trigram } from '../../bench/relevance/peers/sqlite-fts5.js'
import type { Document } from '../../src/ingest/document.js'

function doc(id: string, title: string, paragraphs: string[]): Document {
  return { id, path: `${id}.md`, title, date: `2024-03-0${id.slice(-1)}T08:00:00+08:00`, categories: [], tags: [], url: null, source: null, paragraphs, extra: {} }
}

// Hand-written posts: only d1 is about the bridge; d2 mentions it in passing.
const docs = [
  doc('d1', '河东新桥今日通车', ['新桥全长八百米，连接河东与河西，市民步行即可过河。']),
  doc('d2', '早市搬进新大棚', ['摊主们说，下雨天也能照常营业，离新桥不远。']),
  doc('d3', '社区图书馆延长开放时间', ['周末开放到晚上九点，新增“数字阅读”角。']),
  doc('d4', 'Rust 学习小组开课', ['每周三晚上在图书馆三楼，讲 WebAssembly 入门。']),
]

const pagefindDir = mkdtempSync(join(tmpdir(), 'jiansuo-pagefind-test-'))
after(() => rmSync(pagefindDir, { recursive: true, force: true }))

const peers: [string, () => Peer, string | null][] = [
  ['FlexSearch CJK', flexsearchCjk, null],
  ['FlexSearch jieba', flexsearchJieba, null],
  ['MiniSearch jieba', minisearchJieba, null],
  ['SQLite FTS5 trigram', fts5Trigram, null],
  ['SQLite FTS5 jieba', fts5Jieba, null],
  ['Pagefind', () => pagefindPeer(join(pagefindDir, 'bundle')), pagefindMissing()],
]

for (const [name, make, missing] of peers) {
  if (missing) console.log(`# ${name} skipped: ${missing}`)
  describe(name, { skip: missing ?? false }, () => {
    const peer = make()
    it('indexes title and body and ranks the post whose title matches first', async () => {
      await peer.build(docs)
      assert.equal((await peer.search('河东新桥', 10))[0], 'd1')
      assert.deepEqual((await peer.search('图书馆', 10)).sort(), ['d3', 'd4'])
    })

    it('honours k and answers nothing for a word no post has', async () => {
      assert.equal((await peer.search('图书馆', 1)).length, 1)
      assert.deepEqual(await peer.search('火车站', 10), [])
    })

    it('takes Latin words case-insensitively', async () => {
      assert.deepEqual(await peer.search('webassembly', 10), ['d4'])
    })

    it('survives quotes and operators in the query', async () => {
      await assert.doesNotReject(async () => peer.search('"数字阅读" AND OR NEAR( % _ \\', 10))
      await peer.close?.()
    })
  })
}

describe('Pagefind in Node', { skip: pagefindMissing() ?? false }, () => {
  it('answers from the bundle it wrote, and leaves fetch and document as they were once closed', async () => {
    const fetchBefore = globalThis.fetch
    const peer = pagefindPeer(join(pagefindDir, 'closed'))
    await peer.build(docs)
    assert.ok('document' in globalThis === false, 'the page stand-in outlived loading')
    assert.ok(peer.indexBytes!() > 0)
    // One run of characters: cut into 图书馆 and 开放 as a zh page's search would, only d3 has both; uncut,
    // Pagefind looks up its longest indexed prefix, 图书馆, and d4 matches too.
    assert.deepEqual(await peer.search('图书馆开放', 10), ['d3'])
    await peer.close?.()
    assert.equal(globalThis.fetch, fetchBefore)
  })
})

describe('SQLite FTS5 trigram with short words', () => {
  it('finds one- and two-character words by LIKE and ranks by bm25 when a longer piece is present', async () => {
    const peer = fts5Trigram()
    await peer.build(docs)
    assert.deepEqual(peer.search('早市', 10), ['d2'])
    // LIKE-only queries list matches newest first.
    assert.deepEqual(peer.search('新桥', 10), ['d2', 'd1'])
    assert.deepEqual(peer.search('新桥 八百米', 10), ['d1'])
    peer.close?.()
  })
})
