import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'
import { rankIndex } from '../../src/search/ranked-index.js'
import type { SearchParams, SearchResponse } from '../../src/search/types.js'
import { corpusIndex, sharedDir, SKIP_NO_SHARED } from '../helpers/shared.js'

/**
 * A relevance walk scores only the documents that could still reach the page (the rest are counted):
 * these tests hold it to an engine opened with `scoreEveryMatch`, which scores every match.
 */

/** A response without its timing, for comparing two engines' answers. */
function answer(r: SearchResponse): Omit<SearchResponse, 'took_ms'> {
  const { took_ms: _took, ...rest } = r
  return rest
}

function sameAnswers(skipping: SearchEngine, reference: SearchEngine, params: SearchParams[]): void {
  for (const p of params) assert.deepEqual(answer(skipping.search(p)), answer(reference.search(p)), `${p.q} page ${p.page} size ${p.size}`)
}

let work = ''
after(() => work && rmSync(work, { recursive: true, force: true }))

test('skipping documents that cannot reach the page gives the answers of scoring every match', async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-skipping-'))
  mkdirSync(join(work, 'posts'))
  // Hundreds of matches of each word, in varying numbers and field lengths, and many exact twins: ties
  // in score must still go to the earlier post, as when every match is scored. 湖泊边 is cut 湖泊 + 边,
  // so a query for it is glued, and more than a window of posts hold it as typed, in varying numbers.
  const openings = ['城市公园新修了步道', '城市的老街改造完成', '公园里的湖泊清澈见底', '步道两旁种满了银杏', '市民在公园散步']
  const fillers = ['天气晴朗。', '周末人多。', '晚上有灯光。', '路边停满了车。', '']
  for (let i = 0; i < 420; i++) {
    const first = openings[i % openings.length]!
    const second = openings[(i * 7) % openings.length]!
    const repeat = 1 + (i % 4)
    const lakeside = i % 3 === 0 ? '湖泊边有长椅。'.repeat(1 + (i % 4)) : ''
    // Four words in a row, as a passage-like query asks for them: a phrase bonus on top of proximity.
    const passage = i % 7 === 0 ? '老人说城市公园步道银杏最美。' : ''
    const body = `${Array(repeat).fill(first).join('，')}。${second}。${fillers[i % 5]}${lakeside}${passage}`.repeat(1 + (i % 3))
    const title = i % 9 === 0 ? '城市公园' : i % 5 === 0 ? '步道开放' : `社区简讯${i % 11}`
    const category = i % 2 ? '城建' : '生活'
    writeFileSync(
      join(work, 'posts', `2024-06-${String(1 + (i % 28)).padStart(2, '0')}-p${i}.md`),
      `---\ntitle: "${title}"\ndate: 2024-06-${String(1 + (i % 28)).padStart(2, '0')} 08:00:00 +0800\ncategories: [${category}]\n---\n<p>${body}</p>\n`,
    )
  }
  // A rare word, so that a three-word query is relaxed.
  writeFileSync(join(work, 'posts', '2024-07-01-rare.md'), `---\ntitle: "琥珀展"\ndate: 2024-07-01 08:00:00 +0800\n---\n<p>城市博物馆展出琥珀。</p>\n`)
  // A title that is exactly a one-word query: only the rerank's title bonus lifts it to the top, so a
  // query of one clause must still let the rerank see beyond the page (see rerankWindow).
  writeFileSync(join(work, 'posts', '2024-07-02-title.md'), `---\ntitle: "银杏"\ndate: 2024-07-02 08:00:00 +0800\n---\n<p>秋天到了，叶子黄了，${'路边停满了车。'.repeat(30)}</p>\n`)
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index') })
  const skipping = SearchEngine.open(join(work, 'index'))
  const reference = SearchEngine.open(join(work, 'index'), { scoreEveryMatch: true })
  const queries = ['城市', '公园', '城市 公园', '公园 步道', '城市公园', '公园 -湖泊', 'title:城市', '城市 公园 琥珀', '银杏 步道 城市', '"城市公园"', '公园 category:城建', '湖泊边', '湖泊边 步道', '城市 公园 步道 银杏', '公园 步道 银杏 最美']
  const params: SearchParams[] = []
  for (const q of queries) {
    params.push({ q, page: 1, size: 10 }, { q, page: 3, size: 50 }, { q, page: 2, size: 100 }, { q, page: 1, size: 10, category: '生活' })
  }
  // Every page size up to the window: wherever the page ends, the reranked order up to it is exact.
  for (const q of ['城市 公园 步道 银杏', '公园 步道 银杏 最美', '城市 公园', '银杏', '步道']) for (let size = 1; size <= 100; size++) params.push({ q, page: 1, size })
  sameAnswers(skipping, reference, params)
  // A page shorter than the window is picked from it; a page as long orders all of it: the one is the other's start.
  for (const q of ['城市 公园 步道 银杏', '公园 步道 银杏 最美', '湖泊边 步道', '城市 公园']) {
    const whole = skipping.search({ q, page: 1, size: 100 }).hits.map((h) => h.id)
    for (let size = 1; size < 100; size += 6) assert.deepEqual(skipping.search({ q, page: 1, size }).hits.map((h) => h.id), whole.slice(0, size), `${q} size ${size}`)
  }
  assert.equal(skipping.search({ q: '银杏', page: 1, size: 1 }).hits[0]!.title, '银杏', 'the exact title comes first')
  assert.ok(skipping.search({ q: '城市', page: 1, size: 10 }).total > 200, 'more matches than the reranked window')
})

test('a query of common words steps over blocks of its lead\'s list and still gives the answers of scoring every match', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-one-word-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'posts'))
  // Thousands of posts, so that a word's list has far more blocks than are scored first (see
  // SEED_BLOCKS_PER_BLOCK_KEPT): 湖水 in every post, in counts and lengths that vary, sometimes in the title.
  const clauses = ['湖水清澈', '岸边的芦苇随风摇动', '渔民清晨撒网', '候鸟在湖面上停歇', '游客骑着自行车沿湖而行']
  for (let i = 0; i < 2600; i++) {
    const lake = Array.from({ length: 1 + ((i * 7) % 5) }, () => clauses[0]!)
    const rest = Array.from({ length: (i * 11) % 9 }, (_, k) => clauses[1 + ((i + k) % 4)]!)
    // Some posts hold 自行车's two grams apart, not as the word: candidates that are no match.
    const apart = i % 4 === 0 ? ['司机自行决定行车路线'] : []
    // A date in most posts, so that a query of one (5 月 3 日) glues its numbers to 月 and 日 and every
    // match holds every clause: only the glued terms' grams tell which documents can reach the page.
    const date = i % 5 === 4 ? [] : [`${1 + (i % 12)}月${1 + ((i * 3) % 28)}日${i % 7 === 0 ? `，${1 + (i % 12)}月` : ''}`]
    const body = [...lake, ...rest, ...apart, ...date].join('，')
    const title = i % 50 === 0 ? '湖水' : i % 13 === 0 ? '湖水与候鸟' : `湖区日记${i}`
    const category = i % 3 ? '生态' : '旅游'
    writeFileSync(join(dir, 'posts', `2024-05-${String(1 + (i % 28)).padStart(2, '0')}-l${i}.md`), `---\ntitle: "${title}"\ndate: 2024-05-${String(1 + (i % 28)).padStart(2, '0')} 08:00:00 +0800\ncategories: [${category}]\n---\n<p>${body}。</p>\n`)
  }
  await buildIndex({ postsDir: join(dir, 'posts'), outDir: join(dir, 'index') })
  const params: SearchParams[] = []
  // Several common words (sets count them, and each block is bounded by all their maxima), a word of
  // several grams alone or leading them (the walk counts its matches), and with an exclusion or a
  // category (no skipping). 联博 is in no post: a relaxed query of the others steps over blocks too.
  // Runs typed without a space (湖水清澈, 候鸟湖水) score as phrases too, wherever the walk starts again;
  // so does a word with a lone character glued on (湖面上: 湖面 and 上, scored as typed), whose maxima bound blocks too.
  // Terms of several grams following the lead (随风摇动, 自行车) step over blocks once used twice, when
  // their exact sets are made (see TermSets): asked for on three pages, each query reads them too.
  // Several common words with range maxima (see RangeMaxima) read ranges of documents best bound first
  // and stop where none left can reach the page: up to three followers, a sub-word's bonus, a glued run.
  const words = ['湖水', '湖', '的', '候鸟', '湖水 候鸟', '候鸟 渔民 的', '清晨 湖面 游客', '随风摇动 湖水', '自行车', '自行车 湖水', '自行车 湖水 候鸟', '湖水 渔民 -候鸟', '湖水 -候鸟', '湖水 category:旅游', '候鸟 游客 category:旅游', '湖水清澈', '候鸟湖水', '湖水清澈 候鸟', '湖面上', '湖面上 湖水', '湖水 湖面上 候鸟', '自行车 随风摇动', '湖水 随风摇动 自行车', '候鸟 自行车', '5 月 3 日', '5月', '1 月 湖水', '12 月 1 日 候鸟', '湖水 联博', '候鸟 联博 湖水', '联博 自行车 湖水', '湖水 联博 -候鸟', '湖水 候鸟 渔民 游客', '渔民 清晨 湖面', '清澈 芦苇', '湖水清澈 芦苇 候鸟']
  for (const q of words) params.push({ q, page: 1, size: 10 }, { q, page: 2, size: 50 }, { q, page: 3, size: 20 }, { q, page: 1, size: 10, sort: 'date' }, { q, page: 1, size: 10, facets: ['category'] })
  for (let size = 1; size <= 100; size += 3) params.push({ q: '湖水', page: 1, size })
  const skipping = SearchEngine.open(join(dir, 'index'))
  assert.ok(rankIndex(skipping.index, undefined, false).rangeMaxima, 'the index has range maxima')
  sameAnswers(skipping, SearchEngine.open(join(dir, 'index'), { scoreEveryMatch: true }), params)
  // Under another ranking the block maxima do not hold, and none are used.
  const k1 = { ranking: { k1: 2 } }
  sameAnswers(SearchEngine.open(join(dir, 'index'), k1), SearchEngine.open(join(dir, 'index'), { ...k1, scoreEveryMatch: true }), params.slice(0, 30))
  const engine = SearchEngine.open(join(dir, 'index'))
  assert.equal(engine.search({ q: '湖水', page: 1, size: 10 }).total, 2600)
  for (const q of ['湖水 候鸟', '自行车', '自行车 湖水 候鸟', '自行车 随风摇动']) assert.equal(engine.search({ q, page: 1, size: 10 }).total, engine.matchingIds(q).length, q)
  // Relaxed: every post holding the words some post holds.
  for (const [q, all] of [['湖水 联博', '湖水'], ['联博 自行车 湖水', '自行车 湖水']]) {
    const relaxed = engine.search({ q: q!, page: 1, size: 10 })
    assert.equal(relaxed.relaxed, true, q)
    assert.equal(relaxed.total, engine.matchingIds(all!).length, q)
  }
})

test('on the shared corpus, skipping gives the answers of scoring every match', async (t) => {
  const dir = await corpusIndex()
  const shared = sharedDir()
  if (!dir || !shared) return t.skip(SKIP_NO_SHARED)
  const skipping = SearchEngine.open(dir)
  const reference = SearchEngine.open(dir, { scoreEveryMatch: true })
  const topics = readFileSync(join(shared, 'eval', 'dev-topics.tsv'), 'utf8')
    .split('\n')
    .map((line) => line.split('\t')[1])
    .filter((q): q is string => !!q)
  // Common words alone and together (tens of thousands of matches), and titles read from the index (known items, relaxed).
  const common = ['中国', '发展', '的', '新闻', '经济 发展', '中国 的 发展', '国际 合作', '习近平 总书记', '人民 生活', '推动 高质量 发展', '经济发展', '推动高质量发展', '质量建设和', '5 日', '3 月', '12 日 称']
  const titles: string[] = []
  for (let doc = 0; doc < skipping.documentCount; doc += 997) titles.push(skipping.index.docs.title(doc))
  const queries = [...topics, ...common, ...titles]
  const params = queries.flatMap((q): SearchParams[] => [
    { q, page: 1, size: 10 },
    { q, page: 2, size: 20 },
  ])
  sameAnswers(skipping, reference, params)
  const matches = common.map((q) => skipping.search({ q, page: 1, size: 10 }).total)
  console.log(`# skipping: ${params.length} searches answered as when every match is scored; common words match ${Math.min(...matches)}–${Math.max(...matches)} posts`)
  assert.ok(Math.min(...matches) > 500, 'the common words match far more posts than the reranked window')
})
