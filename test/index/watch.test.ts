import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { after, test } from 'node:test'
import type { BuildReport } from '../../src/index/build.js'
import { watchPosts, type WatchOptions } from '../../src/index/watch.js'
import { SearchEngine } from '../../src/search/engine.js'
import { REPO_ROOT } from '../helpers/shared.js'

const work = mkdtempSync(join(tmpdir(), 'jiansuo-watch-'))
after(() => rmSync(work, { recursive: true, force: true }))

const post = (dir: string, name: string, title: string, body: string) =>
  writeFileSync(join(dir, `${name}.md`), `---\ntitle: "${title}"\ndate: 2024-06-01 09:00:00 +0800\ncategories: test\n---\n<p>${body}</p>\n`)

/** Starts watching `posts` into `out`: `first` is the first build's report, `rebuilt(change)` the report of the build a change brings about. */
function watching(posts: string, out: string, options: Partial<WatchOptions> = {}) {
  // Each build's outcome arrives here; a test step waits for the next one.
  const outcomes: ({ report: BuildReport } | { error: Error })[] = []
  let wake: (() => void) | null = null
  const nextBuild = async () => {
    const seen = outcomes.length
    while (outcomes.length === seen) await new Promise<void>((r) => (wake = r))
    const last = outcomes[outcomes.length - 1]!
    if ('error' in last) throw last.error
    return last.report
  }
  const first = nextBuild()
  const watcher = watchPosts({ postsDir: posts, outDir: out, debounceMs: 150, folderCheckMs: 100, retryMs: 200, onBuild: (o) => (outcomes.push(o), wake?.()), ...options })
  const ids = (q: string) => SearchEngine.open(out).search({ q, page: 1, size: 10 }).hits.map((h) => h.id)
  /** Makes a change to the posts and resolves with the report of the build it brings about. */
  const rebuilt = (change: () => void) => {
    const built = nextBuild()
    change()
    return built
  }
  return { first, rebuilt, watcher, ids, outcomes }
}

test('index --watch keeps the index current as posts are added, edited and deleted', async () => {
  const posts = join(work, 'posts')
  const out = join(work, 'index')
  mkdirSync(join(posts, 'sub'), { recursive: true })
  post(posts, '2024-06-01-1', '第一篇', '湖滨公园开放。')
  const { first, rebuilt, watcher, ids } = watching(posts, out)
  try {
    assert.equal((await first).documents, 1)

    const added = await rebuilt(() => post(join(posts, 'sub'), '2024-06-02-2', '第二篇', '云杉大道今日通车。'))
    assert.equal(added.mode, 'incremental')
    assert.equal(added.reprocessed, 1)
    assert.deepEqual([added.added, added.changed], [1, 0], 'a new post is new, not changed')
    assert.deepEqual(ids('云杉大道'), ['2024-06-02-2'])

    const edited = await rebuilt(() => post(posts, '2024-06-01-1', '第一篇', '湖滨公园改名为银杏公园。'))
    assert.deepEqual([edited.reprocessed, edited.added, edited.changed], [1, 0, 1])
    assert.deepEqual(ids('银杏公园'), ['2024-06-01-1'])

    assert.equal((await rebuilt(() => rmSync(join(posts, 'sub', '2024-06-02-2.md')))).documents, 1)
    assert.deepEqual(ids('云杉大道'), [])
  } finally {
    await watcher.close()
  }
})

test('an edit to the synonyms file applies at once, without a change to the posts or a restart', async () => {
  const posts = join(work, 'posts-synonyms')
  const out = join(work, 'index-synonyms')
  const synonyms = join(work, 'synonyms.txt')
  mkdirSync(posts)
  writeFileSync(synonyms, '单车, 自行车\n')
  post(posts, '2024-06-01-1', '骑行', '市民骑单车上班。')
  post(posts, '2024-06-01-2', '共享电动车', '街头出现共享电动车。')
  const read = () => ({ synonyms: readFileSync(synonyms, 'utf8') })
  const { first, rebuilt, watcher, ids } = watching(posts, out, { resources: { files: [synonyms], read } })
  try {
    await first
    assert.deepEqual(ids('电瓶车'), [])
    const report = await rebuilt(() => writeFileSync(synonyms, '单车, 自行车\n电瓶车, 电动车\n'))
    assert.equal(report.reprocessed, 0, 'synonyms apply to queries: no post is read again')
    assert.deepEqual(ids('电瓶车'), ['2024-06-01-2'])
  } finally {
    await watcher.close()
  }
})

test('a folder that never stops changing is still built, at most maxWaitMs after a change', async () => {
  const posts = join(work, 'posts-busy')
  const out = join(work, 'index-busy')
  mkdirSync(posts)
  post(posts, '2024-06-01-1', '第一篇', '湖滨公园开放。')
  const { first, watcher, outcomes, ids } = watching(posts, out, { maxWaitMs: 600 })
  try {
    await first
    // A post rewritten every 50 ms for 3 s: never the 150 ms of quiet a build waited for, so none came.
    post(posts, '2024-06-02-2', '第二篇', '云杉大道今日通车。')
    const writing = Date.now() + 3_000
    for (let i = 0; Date.now() < writing; i++) {
      appendFileSync(join(posts, '2024-06-02-2.md'), `<p>第${i}次更新。</p>\n`)
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.ok(outcomes.length >= 2, `builds while the folder kept changing: ${outcomes.length - 1}`)
    assert.deepEqual(ids('云杉大道'), ['2024-06-02-2'])
  } finally {
    await watcher.close()
  }
})

test('an index folder inside the posts folder (`index .` of a site) is not watched: an edit brings one build, not one more for the new generation', async () => {
  const posts = join(work, 'posts-site')
  const out = join(posts, 'index-data')
  mkdirSync(posts)
  post(posts, '2024-06-01-1', '第一篇', '湖滨公园开放。')
  const { first, rebuilt, watcher, outcomes, ids } = watching(posts, out)
  try {
    assert.equal((await first).documents, 1)
    const edited = await rebuilt(() => post(posts, '2024-06-01-1', '第一篇', '湖滨公园改名为银杏公园。'))
    assert.equal(edited.reprocessed, 1)
    const builds = outcomes.length
    // Well past the 150 ms of quiet a build waits for: the generation written and the one pruned would have brought another.
    await new Promise((r) => setTimeout(r, 1_500))
    assert.equal(outcomes.length, builds, 'no build after the edit\'s own')
    assert.deepEqual(ids('银杏公园'), ['2024-06-01-1'])
  } finally {
    await watcher.close()
  }
})

test('index --watch --full reads every post once, in its first build; the updates after it read what changed', async () => {
  const posts = join(work, 'full')
  const out = join(work, 'full-index')
  mkdirSync(posts, { recursive: true })
  post(posts, '2024-06-05-1', '第五篇', '梧桐大道开工。')
  post(posts, '2024-06-05-2', '第六篇', '樱花广场落成。')
  const before = watching(posts, out)
  await before.first
  await before.watcher.close()
  const { first, rebuilt, watcher } = watching(posts, out, { full: true })
  try {
    const report = await first
    assert.equal(report.mode, 'full')
    assert.equal(report.reprocessed, 2)
    const update = await rebuilt(() => post(posts, '2024-06-05-3', '第七篇', '银杏步道贯通。'))
    assert.equal(update.mode, 'incremental')
    assert.equal(update.reprocessed, 1)
  } finally {
    await watcher.close()
  }
})

test('a post saved by writing a new file over it (vim, sed -i) is followed, and so are later edits in place', async () => {
  const posts = join(work, 'saved')
  mkdirSync(posts, { recursive: true })
  post(posts, '2024-06-03-1', '第三篇', '黑颈鹤飞临湿地。')
  const { first, rebuilt, watcher, ids } = watching(posts, join(work, 'saved-index'))
  try {
    await first
    await rebuilt(() => {
      post(work, 'replacement', '第三篇', '黑颈鹤飞临湿地。白头叶猴也来了。')
      renameSync(join(work, 'replacement.md'), join(posts, '2024-06-03-1.md'))
    })
    assert.deepEqual(ids('白头叶猴'), ['2024-06-03-1'])
    await rebuilt(() => appendFileSync(join(posts, '2024-06-03-1.md'), '<p>金丝猴随后出现。</p>\n'))
    assert.deepEqual(ids('金丝猴'), ['2024-06-03-1'])
  } finally {
    await watcher.close()
  }
})

test('a posts folder moved away is waited for, and watched again once it is back', async () => {
  const posts = join(work, 'moving')
  const away = join(work, 'moved-away')
  mkdirSync(posts, { recursive: true })
  post(posts, '2024-06-04-1', '第四篇', '樟树林步道开放。')
  const states: string[] = []
  const { first, rebuilt, watcher, ids, outcomes } = watching(posts, join(work, 'moving-index'), { onFolder: (state) => states.push(state) })
  try {
    await first
    // Away for a moment (a checkout), then for longer than a folder check.
    renameSync(posts, away)
    renameSync(away, posts)
    await rebuilt(() => post(posts, '2024-06-04-2', '第五篇', '梧桐巷改造完成。'))
    assert.deepEqual(ids('梧桐巷'), ['2024-06-04-2'])
    renameSync(posts, away)
    while (!states.includes('gone')) await new Promise((r) => setTimeout(r, 50))
    post(away, '2024-06-04-3', '第六篇', '银杏广场落成。')
    await rebuilt(() => renameSync(away, posts))
    assert.deepEqual(states, ['gone', 'back'])
    assert.deepEqual(ids('银杏广场'), ['2024-06-04-3'])
    await rebuilt(() => appendFileSync(join(posts, '2024-06-04-1.md'), '<p>步道旁新种了海棠。</p>\n'))
    assert.deepEqual(ids('海棠'), ['2024-06-04-1'])
    // The folder check says the folder went away; a build it cut short says nothing more.
    assert.deepEqual(outcomes.filter((o) => 'error' in o).map((o) => ('error' in o ? o.error.message : '')), [])
  } finally {
    await watcher.close()
  }
})

/** A posts folder of one post, and an index folder whose build lock a live process (the test runner) holds. */
function lockedOut(name: string, id: string, title: string, body: string): { posts: string; out: string } {
  const posts = join(work, name)
  const out = join(work, `${name}-index`)
  mkdirSync(posts, { recursive: true })
  mkdirSync(out, { recursive: true })
  post(posts, id, title, body)
  writeFileSync(join(out, '.build.lock'), String(process.ppid))
  return { posts, out }
}

test('links to folders inside the posts folder (loops) are not followed by the watch; a posts folder that is a link is watched where it leads', { timeout: 30_000 }, async () => {
  const real = join(work, 'posts-real')
  mkdirSync(join(real, 'sub'), { recursive: true })
  post(real, '2024-06-01-1', '第一篇', '樟树湾开放。')
  // Two links back up: followed, the watch would walk loop/loop/again/… and never be ready (nor build).
  symlinkSync('.', join(real, 'loop'))
  symlinkSync('..', join(real, 'sub', 'again'))
  const posts = join(work, 'posts-link')
  symlinkSync(real, posts)
  const out = join(work, 'index-links')
  const { first, rebuilt, watcher, ids } = watching(posts, out)
  try {
    assert.equal((await first).documents, 1)
    await rebuilt(() => post(join(real, 'sub'), '2024-06-02-2', '第二篇', '枫林路今日通车。'))
    assert.deepEqual(ids('枫林路'), ['2024-06-02-2'])
  } finally {
    await watcher.close()
  }
})

test('a build that failed is tried again without waiting for a change', async () => {
  // Another build (a live process: the test runner) holds the index: the first build fails, and the
  // next, once the index is free, succeeds.
  const { posts, out } = lockedOut('retried', '2024-06-05-1', '第七篇', '桂花园开放。')
  const release = () => rmSync(join(out, '.build.lock'))
  const { first, rebuilt, watcher, ids } = watching(posts, out)
  try {
    await assert.rejects(first, /another jiansuo build/)
    assert.equal((await rebuilt(release)).documents, 1)
    assert.deepEqual(ids('桂花园'), ['2024-06-05-1'])
  } finally {
    await watcher.close()
  }
})

test('a folder with nothing to index is reported once, not on every retry, and built as soon as a post arrives', async () => {
  const posts = join(work, 'posts-empty')
  const out = join(work, 'index-empty')
  mkdirSync(posts)
  const { first, rebuilt, watcher, ids, outcomes } = watching(posts, out)
  try {
    await assert.rejects(first, /nothing to index/)
    // Five retry intervals (retryMs 200) pass without another build.
    await new Promise((r) => setTimeout(r, 1000))
    assert.equal(outcomes.length, 1)
    assert.equal((await rebuilt(() => post(posts, '2024-06-07-1', '第九篇', '枫林路开放。'))).documents, 1)
    assert.deepEqual(ids('枫林路'), ['2024-06-07-1'])
  } finally {
    await watcher.close()
  }
})

test('index --watch of a folder that does not exist fails at once, saying so', () => {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'jiansuo.js'), 'index', join(work, 'no-such-posts'), '--out', join(work, 'no-out'), '--watch'], { encoding: 'utf8', timeout: 30_000 })
  assert.equal(run.status, 1)
  // Coloured where the terminal (or CI) asks for colour.
  assert.equal(stripVTControlCharacters(run.stderr), `error: posts folder ${join(work, 'no-such-posts')} does not exist or is not a folder\n`)
})

test('index --watch stopped during a build abandons it, as a one-shot build stopped is; stopped when idle, it ends cleanly', async () => {
  const posts = join(work, 'stop-posts')
  const out = join(work, 'stop-out')
  mkdirSync(posts)
  // Enough posts that the first build is still under way when it is stopped.
  for (let i = 0; i < 3000; i++) post(posts, `2024-06-01-stop${i}`, `停靠站${i}`, `${'公交线路调整后，停靠站的位置也随之变化，乘客需要留意新的站牌。'.repeat(20)}${i}`)
  const stopWatch = async (whenReady: (child: ChildProcess) => Promise<void>, signal: NodeJS.Signals) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'jiansuo.js'), 'index', posts, '--out', out, '--watch', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })))
    await whenReady(child)
    child.kill(signal)
    return { ...(await ended), stdout: () => stdout, stderr: () => stripVTControlCharacters(stderr) }
  }
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 20))
  }

  // The build lock is held while a build is under way.
  const duringBuild = await stopWatch(() => until(() => existsSync(join(out, '.build.lock'))), 'SIGINT')
  assert.equal(duringBuild.signal, 'SIGINT', 'ended by the signal, as a one-shot build is')
  assert.match(duringBuild.stderr(), /stopped during a build: it is abandoned/)
  assert.doesNotMatch(duringBuild.stdout(), /indexed/, 'the build did not run to its end')

  // Idle after its first build (which the abandoned one left to do): a clean stop.
  let report = ''
  const idle = await stopWatch(async (child) => {
    child.stdout!.on('data', (chunk: Buffer) => (report += chunk.toString()))
    await until(() => /indexed/.test(stripVTControlCharacters(report)))
  }, 'SIGTERM')
  assert.deepEqual([idle.code, idle.signal], [0, null])
  assert.doesNotMatch(idle.stderr(), /abandoned/)
  assert.equal(SearchEngine.open(out).documentCount, 3000)
})

test('while another build holds the index, the watcher keeps trying at the first interval rather than a longer one each time', async () => {
  const { posts, out } = lockedOut('locked-out', '2024-06-06-1', '第八篇', '梧桐巷开放。')
  const failures: number[] = []
  let sixth: () => void = () => {}
  const sixFailures = new Promise<void>((resolve) => (sixth = resolve))
  const watcher = watchPosts({
    postsDir: posts,
    outDir: out,
    retryMs: 500,
    onBuild: (o) => {
      if ('error' in o) failures.push(Date.now())
      if (failures.length === 6) sixth()
    },
  })
  try {
    // At 500 ms each, six tries take about 2.5 s; doubling (0.5, 1, 2, 4, 8 s) they would take 15.5 s.
    const timeout = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 10_000).unref())
    assert.notEqual(await Promise.race([sixFailures, timeout]), 'late', `only ${failures.length} tries in 10 s`)
  } finally {
    await watcher.close()
  }
})
