// Words typed as one run (远程办公) were meant together: among the best documents, a post holding the run
// as typed scores it as a phrase on top of its words, so it outranks one where the words sit apart in
// different stories.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'

let work: string
let engine: SearchEngine

const post = (name: string, title: string, paragraphs: string[]) =>
  writeFileSync(
    join(work, 'posts', `2024-03-01-${name}.md`),
    `---\ntitle: "${title}"\ndate: 2024-03-01 09:00:00 +0800\n---\n${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}\n`,
  )

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-typed-'))
  mkdirSync(join(work, 'posts'))
  // A short roundup: 远程 in one story, 办公 in another, each twice.
  post('roundup', '新闻简报', ['部队试射远程火箭，远程打击能力提升。', '新区办公楼落成，办公条件改善。'])
  // A longer essay about working from home: the run itself, twice. Without the run's phrase, the
  // roundup's words, each twice in a short post, outscore it.
  post('essay', '在家工作的一年', [
    '去年开始，我们团队改为远程办公。',
    '最大的变化是沟通方式：以前走过去问一句，现在要把问题写清楚再发出去。',
    '一年下来，效率没有下降；远程办公省下的通勤时间用来读书和锻炼。',
  ])
  for (let i = 0; i < 6; i++) post(`filler-${i}`, `社区通知${i}`, ['本周六上午社区开展义诊活动，欢迎居民参加。'])
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index') })
  engine = SearchEngine.open(join(work, 'index'))
})

after(() => rmSync(work, { recursive: true, force: true }))

const ids = (q: string) => engine.search({ q, page: 1, size: 10 }).hits.map((h) => h.id)

test('a post holding the typed run outranks one holding its words apart', () => {
  assert.deepEqual(ids('远程办公'), ['2024-03-01-essay', '2024-03-01-roundup'])
  // Both posts still match: the run adds to the score, it is never required.
  assert.equal(engine.search({ q: '远程办公', page: 1, size: 10 }).total, 2)
})

test('only a run cut into several words is a phrase of its own', () => {
  const typed = (q: string) => engine.analyzeQuery(q).typed.map((t) => t.text)
  assert.deepEqual(typed('远程办公'), ['远程办公'])
  // gpt-4 is one term already (letters and digits joined by a hyphen), as a quoted run is.
  assert.deepEqual(typed('gpt-4 远程办公 社区'), ['远程办公'])
  // Typed apart, quoted (one term already), one word, a word and a function word, or a run of more
  // than three words (a pasted title or passage: the passage bonus rewards it): no phrase.
  for (const q of ['远程 办公', '"远程办公"', '社区', '的社区', '推动经济高质量发展']) assert.deepEqual(typed(q), [], q)
  const score = (q: string) => engine.search({ q, page: 1, size: 10 }).hits.find((h) => h.id === '2024-03-01-essay')!.score
  assert.ok(score('远程办公') > score('远程 办公'), 'typed as a run, the run adds to the score')
  assert.deepEqual(ids('远程 办公'), ['2024-03-01-roundup', '2024-03-01-essay'], 'typed apart, the words count as words')
})
