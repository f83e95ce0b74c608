import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { TAIL_THREAD_FILES } from '../../src/index/build-tail.js'
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

test('a build stopped by a full disk says so in one line naming the index folder, and leaves the previous index and nothing beside it', async () => {
  const out = join(work, 'index-full-disk')
  await buildIndex({ postsDir: postsA, outDir: out })
  const before = answers(out)
  const entries = readdirSync(out).sort()
  for (const point of ['mid-write', 'before-commit']) {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'jiansuo.js'), 'index', postsB, '--out', out], {
      env: { ...process.env, JIANSUO_FAILPOINT: `${point}:ENOSPC` },
      encoding: 'utf8',
    })
    assert.equal(run.status, 1)
    assert.equal(stripVTControlCharacters(run.stderr).trim(), `error: the index in ${out} was not updated: the disk is full (ENOSPC); the previous index is untouched`)
    assert.equal(answers(out), before)
    assert.deepEqual(readdirSync(out).sort(), entries, `after ENOSPC at ${point}, no half-written generation or lock is left`)
  }
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

test('a folder of hundreds of posts, every one skipped, is refused with one line, not a crash of the build tail', async () => {
  const out = join(work, 'index-all-broken')
  await buildIndex({ postsDir: postsA, outDir: out })
  const before = answers(out)
  const broken = join(work, 'all-broken')
  mkdirSync(broken)
  // Enough files for the build's tail to run in a thread of its own, which an abandoned build closes.
  for (let i = 0; i < TAIL_THREAD_FILES; i++) writeFileSync(join(broken, `b${i}.md`), Buffer.from([0, 1, 2, 3]))
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'jiansuo.js'), 'index', broken, '--out', out], { encoding: 'utf8' })
  assert.equal(run.status, 1)
  // CI=true turns colours on: the words are what is compared.
  const stderr = stripVTControlCharacters(run.stderr)
  const errors = stderr.split('\n').filter((line) => !line.startsWith(' ') && line.trim() !== '')
  assert.deepEqual(errors.map((line) => line.replace(/:.*/s, '')), ['error'], stderr)
  assert.match(stderr, new RegExp(`nothing to index .* all ${TAIL_THREAD_FILES} post file\\(s\\) were skipped`))
  assert.equal(answers(out), before)
})

test('an update of the folder an index was built from, after every post in it was deleted, empties the index', async () => {
  const posts = join(work, 'posts-all-deleted')
  cpSync(postsA, posts, { recursive: true })
  const out = join(work, 'index-all-deleted')
  const first = await buildIndex({ postsDir: posts, outDir: out })
  assert.ok(first.documents > 0)
  for (const entry of readdirSync(posts, { recursive: true, withFileTypes: true })) if (entry.isFile() && entry.name.endsWith('.md')) rmSync(join(entry.parentPath, entry.name))
  const emptied = await buildIndex({ postsDir: posts, outDir: out })
  assert.equal(emptied.documents, 0)
  assert.equal(emptied.removed, first.documents)
  const engine = SearchEngine.open(out)
  assert.equal(engine.documentCount, 0)
  assert.equal(engine.search({ q: '的', page: 1, size: 10 }).total, 0)
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

test('an old generation the build cannot remove is reported and left; the new index stays committed', async () => {
  // Files the building user may not delete: as root, the build runs as nobody (setpriv), as anyone else, as itself.
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-prune-'))
  try {
    const posts = join(dir, 'posts')
    const out = join(dir, 'index')
    cpSync(postsA, posts, { recursive: true })
    mkdirSync(out)
    const stale = join(out, 'gen-0-0000aa')
    mkdirSync(stale)
    writeFileSync(join(stale, 'docs.idx'), 'left by an earlier build')
    chmodSync(stale, 0o555)
    if (asRoot) {
      chmodSync(dir, 0o755)
      chownSync(out, 65534, 65534)
    }
    const build = () =>
      spawnSync(asRoot ? 'setpriv' : process.execPath, [...(asRoot ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : []), join(REPO_ROOT, 'bin', 'jiansuo.js'), 'index', posts, '--out', out], {
        encoding: 'utf8',
        timeout: 60_000,
      })
    const first = build()
    assert.equal(first.status, 0, first.stderr)
    assert.match(first.stdout, /could not remove the old generation .*gen-0-0000aa/)
    assert.ok(existsSync(join(stale, 'docs.idx')))
    const engine = SearchEngine.open(out)
    assert.ok(engine.search({ q: '红旗区 断头路', page: 1, size: 10 }).total > 0)
    // The next build, with a post changed, is committed too and tries again.
    writeFileSync(join(posts, '2025-11-02-998.md'), '---\ntitle: "紫罗兰口令"\ndate: 2025-11-02 10:00:00 +0800\n---\n<p>第二次构建才有的紫罗兰口令。</p>\n')
    const second = build()
    assert.equal(second.status, 0, second.stderr)
    assert.match(second.stdout, /could not remove the old generation .*gen-0-0000aa/)
    assert.equal(SearchEngine.open(out).search({ q: '"紫罗兰口令"', page: 1, size: 10 }).total, 1)
  } finally {
    chmodSync(join(dir, 'index', 'gen-0-0000aa'), 0o755)
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a first build that fails leaves no index folder behind; a file named as the index folder is refused', async () => {
  const empty = join(work, 'no-posts')
  mkdirSync(empty)
  const out = join(work, 'never-built')
  await assert.rejects(buildIndex({ postsDir: empty, outDir: out }), /nothing to index/)
  assert.equal(existsSync(out), false)
  const file = join(work, 'a-file')
  writeFileSync(file, 'not a folder')
  await assert.rejects(buildIndex({ postsDir: postsA, outDir: file }), /the index folder .*a-file is a file, not a folder/)
  assert.equal(readFileSync(file, 'utf8'), 'not a folder')
  // Named under a file, it is refused with the path, not mkdir's bare ENOTDIR.
  await assert.rejects(buildIndex({ postsDir: postsA, outDir: join(file, 'index') }), /the index folder .*a-file\/index cannot be made: part of its path is a file, not a folder/)
})

test('a build prunes only the generation folders it names, never a folder of the user\'s that starts with gen-', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-prune-own-'))
  try {
    const out = join(dir, 'index')
    const report = await buildIndex({ postsDir: postsA, outDir: out, workers: 1 })
    // Put in the index folder once it is one: before the first build, a folder of the user's there is refused.
    mkdirSync(join(out, 'gen-notes'), { recursive: true })
    writeFileSync(join(out, 'gen-notes', 'todo.txt'), '记得备份')
    await buildIndex({ postsDir: postsA, outDir: out, workers: 1, full: true })
    const third = await buildIndex({ postsDir: postsA, outDir: out, workers: 1, full: true })
    assert.ok(existsSync(join(out, 'gen-notes', 'todo.txt')), 'the user\'s folder is kept')
    assert.equal(existsSync(join(out, report.generation)), false, 'a generation two builds old is pruned')
    assert.ok(existsSync(join(out, third.generation)))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a build with nothing to write removes the generations of builds killed before they committed, and keeps the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-abandoned-'))
  try {
    const out = join(dir, 'index')
    const first = await buildIndex({ postsDir: postsA, outDir: out, workers: 1 })
    const current = (await buildIndex({ postsDir: postsA, outDir: out, workers: 1, full: true })).generation
    // As a build killed while writing leaves it: a generation newer than the committed one, never committed.
    const bornAt = parseInt(current.split('-')[1]!, 36)
    const abandoned = `gen-${(bornAt + 60_000).toString(36)}-0a0b0c`
    cpSync(join(out, current), join(out, abandoned), { recursive: true })
    mkdirSync(join(out, 'gen-notes'))
    const unchanged = await buildIndex({ postsDir: postsA, outDir: out, workers: 1 })
    assert.equal(unchanged.written, false)
    assert.equal(existsSync(join(out, abandoned)), false, 'the abandoned generation is removed')
    assert.ok(existsSync(join(out, current)), 'the committed one stays')
    assert.ok(existsSync(join(out, first.generation)), 'and the one before it, which a reader may still be opening')
    assert.ok(existsSync(join(out, 'gen-notes')))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
