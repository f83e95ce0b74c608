import assert from 'node:assert/strict'
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { after, test } from 'node:test'
import { acquireBuildLock } from '../../src/index/build-lock.js'
import { FORMAT_VERSION, MANIFEST } from '../../src/index/manifest.js'
import { REPO_ROOT } from '../helpers/shared.js'

const BIN = join(REPO_ROOT, 'bin', 'jiansuo.js')
const work = mkdtempSync(join(tmpdir(), 'jiansuo-stale-'))
after(() => rmSync(work, { recursive: true, force: true }))

/** An index folder whose manifest says an older format wrote it (from `posts`, when given). */
function staleIndex(name: string, posts?: string): string {
  const dir = join(work, name)
  mkdirSync(join(dir, 'gen-old'), { recursive: true })
  const manifest = { format: 'jiansuo-index', version: FORMAT_VERSION - 1, generation: 'gen-old', createdAt: '2026-01-01T00:00:00Z', analysis: '', documents: 0, files: {}, ...(posts && { posts }) }
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest))
  return dir
}

/**
 * Runs `jiansuo serve …` until it says it is serving (then stops it) or exits; returns its stderr and
 * exit code. One that does neither within a minute is killed: `hung` says so.
 */
function serve(args: string[], as: Pick<SpawnOptions, 'uid' | 'gid' | 'env'> = {}): Promise<{ code: number | null; stderr: string; hung: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent', ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...as })
    child.stdout!.resume()
    let stderr = ''
    let hung = false
    const timer = setTimeout(() => {
      hung = true
      child.kill('SIGKILL')
    }, 60_000)
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (stderr.includes('jiansuo serving')) child.kill('SIGTERM')
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr, hung })
    })
  })
}

/** A folder of `count` posts of its own. */
function archive(name: string, count: number): string {
  const posts = join(work, name)
  mkdirSync(posts)
  for (let i = 1; i <= count; i++) writeFileSync(join(posts, `2025-04-0${i}-note.md`), `---\ntitle: 札记${i}\ndate: 2025-04-0${i}\n---\n<p>第${i}篇札记。</p>\n`)
  return posts
}

const documentsOf = (dir: string) => (JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { documents: number }).documents

test('serve refuses an index of another format when there is no posts folder to rebuild it from, and says how', async () => {
  const dir = staleIndex('no-posts')
  const { code, stderr } = await serve(['--index', dir])
  assert.equal(code, 1)
  assert.match(stderr, /another version of jiansuo \(format \d+, this one reads \d+\)/)
  assert.match(stderr, /jiansuo index <posts-folder>/)
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace')
  assert.equal(JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')).version, FORMAT_VERSION - 1, 'the old index is left as it was')
})

test('serve rebuilds an index of another format from the posts folder it is given, then serves it', async () => {
  const dir = staleIndex('with-posts')
  const { stderr } = await serve(['--index', dir, '--posts', join(REPO_ROOT, 'demo', 'posts'), '--workers', '0'])
  assert.match(stderr, /another version of jiansuo \(format \d+, this one reads \d+\): indexing /)
  assert.match(stderr, /jiansuo serving 30 documents/)
  assert.equal(JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')).version, FORMAT_VERSION)
})

test('serve rebuilds an index of another format from the posts folder its manifest names, when it still exists', async () => {
  const posts = join(work, 'archive')
  mkdirSync(posts)
  writeFileSync(join(posts, '2025-03-01-upgrade.md'), '---\ntitle: 升级之后\ndate: 2025-03-01\n---\n<p>格式变了，索引从原来的文章重新建立。</p>\n')
  const dir = staleIndex('names-its-posts', posts)
  const { stderr } = await serve(['--index', dir, '--workers', '0'])
  assert.match(stderr, /another version of jiansuo \(format \d+, this one reads \d+\): indexing /)
  assert.match(stderr, /jiansuo serving 1 documents/)
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { version: number; posts: string }
  assert.equal(manifest.version, FORMAT_VERSION)
  assert.equal(manifest.posts, posts, 'the new manifest names its posts too')
})

test('serve rebuilds an index whose text another jiansuo cut (its analysis stamp differs) from the posts folder it names', async () => {
  const posts = archive('recut', 2)
  const dir = join(work, 'recut-index')
  const built = spawnSync(process.execPath, [BIN, 'index', posts, '--out', dir, '--workers', '1'], { encoding: 'utf8' })
  assert.equal(built.status, 0, built.stderr)
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { analysis: string; generation: string }
  // As after an upgrade of jieba or the normaliser: the stamp no longer matches what this jiansuo would write.
  writeFileSync(join(dir, MANIFEST), JSON.stringify({ ...manifest, analysis: 'units-0;norm-0;jieba-old' }))
  const { code, stderr } = await serve(['--index', dir, '--workers', '0'])
  assert.match(stderr, /whose text was cut another way .*: indexing /)
  assert.match(stderr, /jiansuo serving 2 documents/)
  assert.notEqual(code, 1)
  const after = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { analysis: string; generation: string }
  assert.notEqual(after.analysis, 'units-0;norm-0;jieba-old')
  assert.notEqual(after.generation, manifest.generation)
})

test('serve still refuses when the posts folder the old manifest names is gone', async () => {
  const dir = staleIndex('posts-gone', join(work, 'no-such-folder'))
  const { code, stderr } = await serve(['--index', dir])
  assert.equal(code, 1)
  assert.match(stderr, /jiansuo index <posts-folder>/)
  assert.equal(JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')).version, FORMAT_VERSION - 1)
})

test('serve exits 1 and says what to do when the port is in use: before any build, and though its search threads had started', async () => {
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  try {
    const port = String((taken.address() as AddressInfo).port)
    const index = join(work, 'port-taken')
    const unbuilt = await serve(['--index', index, '--port', port, '--workers', '1'])
    assert.equal(unbuilt.code, 1)
    assert.match(unbuilt.stderr, /the port is in use.*--port/)
    assert.doesNotMatch(unbuilt.stderr, /indexing/, 'said before building an index it could not serve')
    assert.equal(existsSync(join(index, MANIFEST)), false)
    assert.match((await serve(['--index', index, '--workers', '0'])).stderr, /jiansuo serving 30 documents/)
    const { code, stderr, hung } = await serve(['--index', index, '--port', port, '--workers', '1'])
    assert.equal(hung, false, 'the process ended by itself')
    assert.equal(code, 1)
    assert.match(stderr, /the port is in use.*--port/)
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace')
  } finally {
    taken.close()
  }
})

test('serve --posts brings an existing index up to date with that folder: npm start -- --posts serves your posts, not the demo', async () => {
  const dir = join(work, 'demo-then-mine')
  assert.match((await serve(['--index', dir, '--workers', '0'])).stderr, /jiansuo serving 30 documents/)
  const mine = archive('mine', 2)
  const { stderr } = await serve(['--index', dir, '--posts', mine, '--workers', '0'])
  assert.match(stderr, /it was built from .*demo/)
  assert.match(stderr, /jiansuo serving 2 documents/)
  // Without --posts, the index is served as it is.
  writeFileSync(join(mine, '2025-04-09-later.md'), '---\ntitle: 后来\n---\n<p>后来又写了一篇。</p>\n')
  assert.match((await serve(['--index', dir, '--workers', '0'])).stderr, /jiansuo serving 2 documents/)
})

test('serve --rebuild rebuilds from the folder the index was built from, and refuses, index untouched, when it is gone', async () => {
  const mine = archive('rebuilt', 3)
  const dir = join(work, 'rebuild-mine')
  assert.equal(spawnSync(process.execPath, [BIN, 'index', mine, '--out', dir], { stdio: 'ignore' }).status, 0)
  const rebuilt = await serve(['--index', dir, '--rebuild', '--workers', '0'])
  assert.match(rebuilt.stderr, /asked to rebuild: indexing .*rebuilt/)
  assert.match(rebuilt.stderr, /jiansuo serving 3 documents/, 'not the 30 demo posts')
  rmSync(mine, { recursive: true })
  const refused = await serve(['--index', dir, '--rebuild', '--workers', '0'])
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /which is gone.*--posts/)
  assert.equal(documentsOf(dir), 3)
})

test('a build that names no dictionary or synonyms (index, serve --posts, --rebuild) keeps the index\'s own; an empty file drops them', async () => {
  const posts = archive('kept', 2)
  const dir = join(work, 'kept-index')
  const words = join(work, 'kept-words.txt')
  writeFileSync(words, '第一篇札记 10 n\n')
  const synonyms = join(work, 'kept-synonyms.txt')
  writeFileSync(synonyms, '札记, 随笔\n')
  assert.equal(spawnSync(process.execPath, [BIN, 'index', posts, '--out', dir, '--dict', words, '--synonyms', synonyms], { encoding: 'utf8' }).status, 0)
  const stored = (name: string) => {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { generation: string }
    return readFileSync(join(dir, manifest.generation, name), 'utf8')
  }
  const found = () => (JSON.parse(spawnSync(process.execPath, [BIN, 'search', '随笔', '--index', dir, '--json'], { encoding: 'utf8' }).stdout) as { total: number }).total
  assert.equal(found(), 2, 'the synonym finds the posts')
  // An update of nothing: built without the dictionary, it read every post again and dropped the synonyms.
  const updated = await serve(['--index', dir, '--posts', posts, '--workers', '0'])
  assert.match(updated.stderr, /already up to date/)
  assert.equal(found(), 2)
  const rebuilt = await serve(['--index', dir, '--rebuild', '--workers', '0'])
  assert.match(rebuilt.stderr, /jiansuo serving 2 documents/)
  assert.equal(stored('dictionary.txt'), '第一篇札记 10 n\n')
  assert.equal(found(), 2)
  // `index` again without the flags, as a cron job would run it: it dropped both and read every post again.
  const index = (...flags: string[]) => stripVTControlCharacters(spawnSync(process.execPath, [BIN, 'index', posts, '--out', dir, '--workers', '1', ...flags], { encoding: 'utf8' }).stdout)
  assert.match(index(), /already up to date/)
  assert.equal(found(), 2)
  const empty = join(work, 'kept-empty.txt')
  writeFileSync(empty, '')
  assert.match(index('--synonyms', empty), /already up to date|updated the previous index: 0 file/)
  assert.equal(found(), 0, 'an empty synonyms file drops them')
  assert.equal(stored('dictionary.txt'), '第一篇札记 10 n\n')
  assert.match(index('--dict', empty), /full build: 2 file\(s\) read \(the text is cut another way \(the dictionary, jieba or jiansuo changed\)\)/)
  assert.equal(stored('dictionary.txt'), '')
  // serve naming other synonyms updates the index first: it searches with the index's, and ignored the file.
  const other = join(work, 'kept-other.txt')
  writeFileSync(other, '札记, 手记\n')
  const served = await serve(['--index', dir, '--synonyms', other, '--workers', '0'])
  assert.match(served.stderr, /synonyms named differ/)
  assert.equal((JSON.parse(spawnSync(process.execPath, [BIN, 'search', '手记', '--index', dir, '--json'], { encoding: 'utf8' }).stdout) as { total: number }).total, 2)
})

test('an index is never written into a folder of posts; search names the mix-up', async () => {
  const posts = archive('mixed-up', 2)
  const { code, stderr } = await serve(['--index', posts, '--workers', '0'])
  assert.equal(code, 1)
  assert.match(stderr, /holds posts \(2025-04-01-note\.md\), not an index/)
  assert.doesNotMatch(stderr, /indexing/, 'refused before saying it builds')
  // A file given as the index, and a posts folder that is not there, are refused in index's words, before any build is announced.
  const onFile = await serve(['--index', join(posts, '2025-04-01-note.md'), '--workers', '0'])
  assert.equal(onFile.code, 1)
  assert.match(stripVTControlCharacters(onFile.stderr), /^error: the index folder .*2025-04-01-note\.md is a file, not a folder$/m)
  assert.doesNotMatch(onFile.stderr, /indexing/)
  const noPosts = await serve(['--posts', join(work, 'no-such-posts'), '--index', join(work, 'no-such-index'), '--workers', '0'])
  assert.equal(noPosts.code, 1)
  assert.match(stripVTControlCharacters(noPosts.stderr), /^error: posts folder .*no-such-posts does not exist or is not a folder$/m)
  assert.doesNotMatch(noPosts.stderr, /indexing/)
  assert.ok(!existsSync(join(work, 'no-such-index')), 'nothing made for it')
  assert.deepEqual(readdirSync(posts).sort(), ['2025-04-01-note.md', '2025-04-02-note.md'], 'nothing written among the posts')
  const same = spawnSync(process.execPath, [BIN, 'index', posts, '--out', posts], { encoding: 'utf8' })
  assert.equal(same.status, 1)
  assert.match(same.stderr, /is the posts folder/)
  assert.ok(!existsSync(join(posts, MANIFEST)))
  const search = spawnSync(process.execPath, [BIN, 'search', '札记', '--index', posts], { encoding: 'utf8' })
  assert.equal(search.status, 1)
  assert.match(search.stderr, /holds posts, not an index: build one with `npx jiansuo index .*mixed-up --out index-data`/)
  // A file where the folder belongs is a wrong path, not a damaged index.
  const file = spawnSync(process.execPath, [BIN, 'search', '札记', '--index', join(posts, '2025-04-01-note.md')], { encoding: 'utf8' })
  assert.equal(file.status, 1)
  assert.match(stripVTControlCharacters(file.stderr), /^error: .*2025-04-01-note\.md is a file, not an index folder/)
  assert.doesNotMatch(file.stderr, /damaged|ENOTDIR/)
})

test('a generation folder given as the index is refused, naming the index around it: nothing is built into it', async () => {
  const posts = archive('gen-posts', 2)
  const dir = join(work, 'gen-index')
  assert.equal(spawnSync(process.execPath, [BIN, 'index', posts, '--out', dir], { encoding: 'utf8' }).status, 0)
  // The build summary names build-report.json inside this folder, so it is the one a user may copy.
  const gen = join(dir, JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')).generation as string)
  const before = readdirSync(gen).sort()
  const said = `${gen} is a generation folder inside the index ${dir}: give the index folder itself (${dir})`
  // serve built the demo posts into it and served those, as if there were no index.
  const served = await serve(['--index', gen, '--workers', '0'])
  assert.equal(served.code, 1)
  assert.match(stripVTControlCharacters(served.stderr), new RegExp(`^error: ${said.replace(/[()]/g, '\\$&')}$`, 'm'))
  assert.doesNotMatch(served.stderr, /demo/)
  for (const args of [['index', posts, '--out', gen], ['search', '札记', '--index', gen], ['suggest', '札', '--index', gen]]) {
    const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' })
    assert.equal(run.status, 1, args.join(' '))
    assert.equal(stripVTControlCharacters(run.stderr), `error: ${said}\n`, args.join(' '))
  }
  assert.deepEqual(readdirSync(gen).sort(), before, 'nothing written into the generation')
})

test('search and suggest on an index of another format say it is not damaged but old, and how to rebuild it', () => {
  const posts = join(work, 'old-posts')
  const dir = staleIndex('old-for-search', posts)
  for (const command of [['search', '札记'], ['suggest', '札']]) {
    const run = spawnSync(process.execPath, [BIN, ...command, '--index', dir], { encoding: 'utf8' })
    assert.equal(run.status, 1)
    assert.equal(
      stripVTControlCharacters(run.stderr),
      `error: the index in ${dir} was written by another version of jiansuo (format ${FORMAT_VERSION - 1}, this one reads ${FORMAT_VERSION}): rebuild it with \`npx jiansuo index ${posts} --out ${dir}\`\n`,
    )
  }
})

test('serve --posts beside another build of the same index serves the index there, or waits when there is none', async () => {
  const posts = archive('locked-posts', 3)
  const served = join(work, 'locked-served')
  assert.equal(spawnSync(process.execPath, [BIN, 'index', posts, '--out', served], { encoding: 'utf8' }).status, 0)
  // Another process (this one) holds the build lock, as index --watch does while it builds.
  const releaseServed = acquireBuildLock(served)
  try {
    const run = await serve(['--posts', posts, '--index', served])
    assert.equal(run.hung, false)
    assert.match(run.stderr, /serving the index it holds now/)
    assert.match(run.stderr, /jiansuo serving 3 documents/)
  } finally {
    releaseServed()
  }
  // No index yet: serve waits for the other build, then builds its own.
  const fresh = join(work, 'locked-fresh')
  mkdirSync(fresh)
  const releaseFresh = acquireBuildLock(fresh)
  const started = serve(['--posts', posts, '--index', fresh])
  await new Promise((resolve) => setTimeout(resolve, 2500))
  releaseFresh()
  const run = await started
  assert.equal(run.hung, false)
  assert.match(run.stderr, /waiting for it to finish/)
  assert.match(run.stderr, /jiansuo serving 3 documents/)
})

/** Root writes anywhere: the read-only test then runs the CLI as nobody, which needs the repository and the temporary folder open to all. */
function unprivileged(paths: string[]): Pick<SpawnOptions, 'uid' | 'gid'> | string {
  if (process.getuid?.() !== 0) return {}
  for (const path of paths) {
    for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
      if ((statSync(dir).mode & 0o005) !== 0o005) return `${dir} is closed to other users, so the CLI cannot run there as nobody`
    }
  }
  return { uid: 65_534, gid: 65_534 }
}

test('an index folder that cannot be written: index says so in words, and serve --posts serves the index it holds', async (t) => {
  const open = mkdtempSync(join(tmpdir(), 'jiansuo-readonly-'))
  t.after(() => rmSync(open, { recursive: true, force: true }))
  chmodSync(open, 0o755)
  const as = unprivileged([REPO_ROOT, open])
  if (typeof as === 'string') return t.skip(as)
  const posts = join(open, 'posts')
  mkdirSync(posts)
  for (let i = 1; i <= 2; i++) writeFileSync(join(posts, `2025-05-0${i}-note.md`), `---\ntitle: 只读${i}\n---\n<p>第${i}篇。</p>\n`)
  const index = join(open, 'index-data')
  assert.equal(spawnSync(process.execPath, [BIN, 'index', posts, '--out', index], { stdio: 'ignore' }).status, 0)
  chmodSync(index, 0o555)
  // A post added since: the build it would take cannot happen there.
  writeFileSync(join(posts, '2025-05-09-later.md'), '---\ntitle: 后来\n---\n<p>后来的一篇。</p>\n')
  const built = spawnSync(process.execPath, [BIN, 'index', posts, '--out', index], { encoding: 'utf8', ...as })
  assert.equal(built.status, 1)
  const said = stripVTControlCharacters(built.stderr)
  assert.match(said, /cannot write into the index folder .*index-data \(permission denied\)/)
  assert.doesNotMatch(said, /EACCES|\.build\.lock/, 'the lock file is not the user\'s concern')
  const run = await serve(['--index', index, '--posts', posts, '--workers', '0'], as)
  assert.equal(run.hung, false)
  assert.match(run.stderr, /cannot update .*index-data \(permission denied\): serving the index it holds as it is/)
  assert.match(run.stderr, /jiansuo serving 2 documents/)
  assert.equal(documentsOf(index), 2)
})

test('serve --posts on a full disk serves the index it holds, saying why it could not update it', async () => {
  const posts = archive('full-disk-posts', 2)
  const index = join(work, 'full-disk-index')
  assert.equal(spawnSync(process.execPath, [BIN, 'index', posts, '--out', index], { stdio: 'ignore' }).status, 0)
  writeFileSync(join(posts, '2025-04-09-later.md'), '---\ntitle: 后来\n---\n<p>后来的一篇。</p>\n')
  // The disk fills while the new generation is written (as JIANSUO_FAILPOINT makes the build fail there).
  const run = await serve(['--index', index, '--posts', posts, '--workers', '0'], { env: { ...process.env, JIANSUO_FAILPOINT: 'mid-write:ENOSPC' } })
  assert.equal(run.hung, false)
  assert.equal(run.code, 0)
  assert.match(run.stderr, /cannot update .*full-disk-index \(the disk is full, ENOSPC\): serving the index it holds as it is/)
  assert.match(run.stderr, /jiansuo serving 2 documents/)
  assert.equal(documentsOf(index), 2)
})
