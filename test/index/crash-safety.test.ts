import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'
import { REPO_ROOT } from '../helpers/shared.js'

const QUERIES = ['红旗区 断头路', '新乡', '高标准农田', '冰雪旅游', 'Rust', '崭新的测试文章']
let work: string
let postsA: string
let postsB: string

/** What an index answers, compactly: enough to tell two indexes apart. */
function answers(indexDir: string): string {
  const engine = SearchEngine.open(indexDir)
  return JSON.stringify(QUERIES.map((q) => engine.search({ q, page: 1, size: 10 }).hits.map((h) => [h.id, h.score])))
}

/** Runs `jiansuo index` in a child process stopped dead at a failpoint (or after `killAfterMs`). */
function runBuild(posts: string, out: string, env: Record<string, string>, killAfterMs?: number): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'jiansuo.js'), 'index', posts, '--out', out], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    })
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal })
    })
  })
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-crash-'))
  postsA = join(work, 'posts-a')
  postsB = join(work, 'posts-b')
  cpSync(join(REPO_ROOT, 'demo', 'posts'), postsA, { recursive: true })
  cpSync(postsA, postsB, { recursive: true })
  // B differs from A: one new post, one post removed.
  writeFileSync(
    join(postsB, '2025-11-01-999.md'),
    '---\ntitle: "崭新的测试文章"\ndate: 2025-11-01 10:00:00 +0800\ncategories: test\ntags: 测试\n---\n<p>这是一篇崭新的测试文章，只在第二个文件夹里。</p>\n',
  )
  rmSync(join(postsB, readdirSync(postsB).sort()[0]!))
})

after(() => rmSync(work, { recursive: true, force: true }))

test('a build killed at any failpoint leaves the previous index intact, and the next build succeeds', async () => {
  const out = join(work, 'index')
  await buildIndex({ postsDir: postsA, outDir: out })
  const before = answers(out)
  const built = await buildIndex({ postsDir: postsB, outDir: join(work, 'expected-b') })
  assert.ok(built.documents > 0)
  const expectedB = answers(join(work, 'expected-b'))
  assert.notEqual(before, expectedB)

  for (const point of ['after-walk', 'after-analysis', 'mid-write', 'before-commit', 'manifest-written']) {
    const result = await runBuild(postsB, out, { JIANSUO_FAILPOINT: point })
    assert.equal(result.signal, 'SIGKILL', `the build was stopped at ${point}`)
    assert.equal(answers(out), before, `after a kill at ${point} the previous index still answers`)
  }
  // Killed just after the commit point: the new index is the one served.
  const late = await runBuild(postsB, out, { JIANSUO_FAILPOINT: 'after-commit' })
  assert.equal(late.signal, 'SIGKILL')
  assert.equal(answers(out), expectedB)

  // The next build takes over the dead build's lock, cleans its leftovers and succeeds.
  const report = await buildIndex({ postsDir: postsA, outDir: out })
  assert.equal(answers(out), before)
  const leftovers = readdirSync(out).filter((f) => f.startsWith('gen-') && f !== report.generation)
  assert.ok(leftovers.length <= 1, `old generations pruned, kept ${leftovers.join(', ')}`)
  assert.ok(!readdirSync(out).some((f) => f.includes('.tmp-')))
})

test('a build killed at random moments never leaves an unloadable index', async () => {
  const out = join(work, 'index-random')
  await buildIndex({ postsDir: postsA, outDir: out })
  const before = answers(out)
  const expectedB = answers(join(work, 'expected-b'))
  // Deterministic delays spread over a build's life (process start-up included).
  for (const delay of [30, 120, 250, 400, 600, 800, 1100, 1500]) {
    await runBuild(postsB, out, {}, delay)
    const now = answers(out)
    assert.ok(now === before || now === expectedB, `after a kill at ${delay} ms the index is either the old or the new one`)
  }
})

test('a build that finds nothing to index fails and leaves the previous index untouched', async () => {
  const out = join(work, 'index-empty')
  await buildIndex({ postsDir: postsA, outDir: out })
  const before = answers(out)
  const empty = join(work, 'empty')
  cpSync(postsA, empty, { recursive: true, filter: (src) => !src.endsWith('.md') })
  await assert.rejects(buildIndex({ postsDir: empty, outDir: out }), /nothing to index/)
  assert.equal(answers(out), before)
  const run = await runBuild(empty, out, {})
  assert.notEqual(run.code, 0)
  assert.equal(answers(out), before)
})

test('the build report lists what was skipped, inside the generation', async () => {
  const posts = join(work, 'posts-report')
  cpSync(postsA, posts, { recursive: true })
  writeFileSync(join(posts, 'empty.md'), '')
  const out = join(work, 'index-report')
  const report = await buildIndex({ postsDir: posts, outDir: out })
  assert.ok(report.skipped.some((s) => s.path === 'empty.md'))
  const stored = JSON.parse(readFileSync(join(out, report.generation, 'build-report.json'), 'utf8')) as { skipped: { path: string }[] }
  assert.ok(stored.skipped.some((s) => s.path === 'empty.md'))
  assert.ok(existsSync(join(out, 'manifest.json')))
})

test('a post whose title and body end in a number and a full stop (版本 2.) is indexed and found', async () => {
  const posts = join(work, 'posts-trailing-point')
  cpSync(postsA, posts, { recursive: true })
  writeFileSync(join(posts, '2025-11-02-998.md'), '---\ntitle: "发布说明 版本 2."\ndate: 2025-11-02 10:00:00 +0800\n---\n<p>这次更新的版本号是 3.</p>\n')
  const out = join(work, 'index-trailing-point')
  const report = await buildIndex({ postsDir: posts, outDir: out })
  assert.deepEqual(report.skipped, [])
  const engine = SearchEngine.open(out)
  for (const q of ['发布说明 2.', '版本号 3.']) {
    const found = engine.search({ q, page: 1, size: 10 })
    assert.equal(found.hits[0]?.title, '发布说明 版本 2.', q)
  }
})
