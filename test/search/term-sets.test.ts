import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { createSegmenter } from '../../src/analysis/segment.js'
import { buildIndex } from '../../src/index/build.js'
import { denseSetsFor, inSet } from '../../src/index/dense-sets.js'
import { END } from '../../src/index/posting-cursor.js'
import { openIndex } from '../../src/index/reader.js'
import { TermPlan } from '../../src/search/match.js'
import { phraseOf } from '../../src/search/query-terms.js'
import { TermSets } from '../../src/search/term-sets.js'

const analyzer = new Analyzer(createSegmenter())

test('a common term of several grams gets its exact set on its second use: the documents where its grams line up', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-term-sets-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'posts'))
  // 自行车 in a third of the posts; in another third its grams 自行 and 行车 both occur, but apart.
  for (let i = 0; i < 600; i++) {
    const body = i % 3 === 0 ? '游客骑着自行车沿湖而行' : i % 3 === 1 ? '司机自行决定行车路线' : '湖边的芦苇随风摇动'
    const title = i % 50 === 0 ? '自行车道' : `湖区日记${i}`
    writeFileSync(join(dir, 'posts', `2024-05-01-p${i}.md`), `---\ntitle: "${title}"\ndate: 2024-05-01 08:00:00 +0800\n---\n<p>${body}。</p>\n`)
  }
  await buildIndex({ postsDir: join(dir, 'posts'), outDir: join(dir, 'index') })
  const index = openIndex(join(dir, 'index'))
  const dense = denseSetsFor(index.grams.denseSets, index.docs.count)
  assert.ok(dense, 'the grams have dense sets')
  const sets = new TermSets(dense)
  const plan = (text: string, field: 'any' | 'title' = 'any') => new TermPlan(index, phraseOf(text, analyzer, field)!)
  const bike = plan('自行车')
  assert.ok(bike.grams.length > 1 && dense.row(bike.grams[0]!) !== null, '自行车 spans several grams, the rarest of them dense')
  assert.equal(sets.of(bike), null, 'no set on the first use: a term used once is not worth a walk of its own')
  const set = sets.of(plan('自行车'))
  assert.ok(set, 'a set on the second use')
  const matched = new Set<number>()
  const cursor = bike.open()
  for (let doc = cursor.candidate(0); doc !== END; doc = cursor.candidate(doc + 1)) if (cursor.matchAt(doc)) matched.add(doc)
  const holding = Array.from({ length: 600 }, (_, i) => i).filter((i) => i % 3 === 0 || i % 50 === 0).length
  assert.equal(matched.size, holding, 'the posts holding 自行车 itself (in the body or the title), not those with its grams apart')
  for (let doc = 0; doc < index.docs.count; doc++) assert.equal(inSet(set, doc), matched.has(doc), `doc ${doc}`)
  assert.equal(sets.of(bike), set, 'kept for later uses')
  // A one-gram term's set is its gram's; a title-only term and a rare term have none.
  const lake = plan('湖')
  assert.deepEqual(sets.of(lake), dense.row(lake.grams[0]!))
  const titled = plan('自行车', 'title')
  sets.of(titled)
  assert.equal(sets.of(titled), null, 'a term asked for in the title only has no set of its documents')
  const rare = plan('自行车道')
  sets.of(rare)
  assert.equal(sets.of(rare), null, 'a rare term (its rarest gram not dense) has no set')
})
