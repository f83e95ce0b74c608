import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { repoRoot } from '../../bench/lib/corpus.js'
import { evaluateRun, parseQrels, parseTopics } from '../../bench/lib/trec.js'
import { SearchEngine } from '../../src/search/engine.js'
import { corpusIndex, sharedDir, SKIP_NO_SHARED } from '../helpers/shared.js'

let engine: SearchEngine | null = null

before(async () => {
  const dir = await corpusIndex()
  if (dir) engine = SearchEngine.open(dir)
  else console.log(`# ${SKIP_NO_SHARED}`)
})

const search = (q: string, size = 10) => engine!.search({ q, page: 1, size })

test('红旗区 断头路 ranks the 新乡日报 article first, both terms marked in its snippet', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const r = search('红旗区 断头路')
  assert.equal(r.hits[0]?.id, '2022-03-29-202203292325812882')
  assert.deepEqual(r.terms, ['红旗区', '断头路'])
  const snippet = r.hits[0]!.snippet_html
  assert.match(snippet, /<mark>红旗区<\/mark>/)
  assert.match(snippet, /<mark>断头路<\/mark>/)
  assert.equal(r.hits[0]!.url, 'http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202203292325812882')
  // It is the only post with both terms; posts with one of them follow, and the response says so.
  assert.equal(r.relaxed, true)
  for (const hit of r.hits.slice(1)) assert.ok(!(hit.snippet_html.includes('<mark>红旗区</mark>') && hit.snippet_html.includes('<mark>断头路</mark>')))
})

test('traditional characters find what simplified ones find, highlighted as written', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const a = search('紅旗區 斷頭路')
  const b = search('红旗区 断头路')
  assert.deepEqual(a.hits.map((h) => h.id), b.hits.map((h) => h.id))
  assert.equal(a.total, b.total)
})

test('total counts every match and pages do not overlap', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const first = engine!.search({ q: '长江 禁渔', page: 1, size: 10 })
  const second = engine!.search({ q: '长江 禁渔', page: 2, size: 10 })
  assert.ok(first.total > 20)
  assert.equal(second.total, first.total)
  const ids = new Set(first.hits.map((h) => h.id))
  for (const h of second.hits) assert.ok(!ids.has(h.id), `${h.id} on both pages`)
  const all = engine!.search({ q: '长江 禁渔', page: 1, size: 20 })
  assert.deepEqual(all.hits.map((h) => h.id), [...first.hits, ...second.hits].map((h) => h.id))
})

test('an AND query that matches nothing falls back to partial matches and says so', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const r = search('断头路 嫦娥六号')
  assert.equal(r.relaxed, true)
  assert.ok(r.total > 0)
})

test('an exact title ranks its article first for titles unique in the corpus (rate reported)', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const titles = new Map<string, string[]>()
  for (let doc = 0; doc < engine!.documentCount; doc++) {
    const d = engine!.index.docs.display(doc)
    titles.set(d.title, [...(titles.get(d.title) ?? []), d.id])
  }
  const unique = [...titles].filter(([title, ids]) => ids.length === 1 && title.trim())
  let first = 0
  const misses: string[] = []
  for (const [title, [id]] of unique) {
    if (search(title, 1).hits[0]?.id === id) first++
    else if (misses.length < 10) misses.push(title)
  }
  const rate = first / unique.length
  console.log(`# title known-item: ${first}/${unique.length} = ${(rate * 100).toFixed(2)}% first; misses e.g. ${JSON.stringify(misses)}`)
  assert.ok(rate >= 0.97, `title known-item rate ${rate}`)
})

/** nDCG@10 and the rest over judged topics, printed under `label`, with each topic's nDCG@10. */
function evaluate(label: string, topicsFile: string, qrelsFile: string): number {
  const topics = parseTopics(readFileSync(topicsFile, 'utf8'))
  const qrels = parseQrels(readFileSync(qrelsFile, 'utf8'))
  const rankings = new Map(topics.map((topic) => [topic.qid, search(topic.query, 100).hits.map((h) => h.id)]))
  const { mean, perTopic } = evaluateRun(topics, qrels, rankings)
  console.log(`# ${label}: ${JSON.stringify(mean)}`)
  console.log(`# per topic nDCG@10: ${perTopic.map((p) => `${p.qid}=${p.ndcg10?.toFixed(3)}`).join(' ')}`)
  return mean.ndcg10
}

test('nDCG@10 on ../shared/eval stays above a regression floor (value printed)', (t) => {
  if (!engine) return t.skip(SKIP_NO_SHARED)
  const shared = sharedDir()!
  const ndcg10 = evaluate('eval', join(shared, 'eval', 'dev-topics.tsv'), join(shared, 'eval', 'dev.qrels'))
  assert.ok(ndcg10 >= 0.8, `nDCG@10 ${ndcg10}`)
})

// Our own judged sets (bench/relevance/*/README.md): the second asks in other styles, and words the
// posts do not use keep it lower; the third and fourth ask like the development topics, written after
// tuning (the fourth and fifth blind: their topics were committed before any engine ran them).
for (const [folder, label, floor] of [
  ['own', 'own topics', 0.8],
  ['own2', 'own topics, second set', 0.7],
  ['own3', 'own topics, third set', 0.85],
  ['own4', 'own topics, fourth set', 0.85],
  ['own5', 'own topics, fifth set', 0.8],
] as const) {
  test(`nDCG@10 on ${label} (bench/relevance/${folder}) stays above ${floor} (value printed)`, (t) => {
    if (!engine) return t.skip(SKIP_NO_SHARED)
    const dir = join(repoRoot(), 'bench', 'relevance', folder)
    const ndcg10 = evaluate(label, join(dir, 'topics.tsv'), join(dir, 'qrels'))
    assert.ok(ndcg10 >= floor, `nDCG@10 ${ndcg10}`)
  })
}
