import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
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

/** Runs `jiansuo serve …` until it says it is serving (then stops it) or exits; returns its stderr and exit code. */
function serve(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent', ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (stderr.includes('jiansuo serving')) child.kill('SIGTERM')
    })
    child.on('exit', (code) => resolve({ code, stderr }))
  })
}

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
  assert.match(stderr, /rebuilding it/)
  assert.match(stderr, /jiansuo serving 30 documents/)
  assert.equal(JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')).version, FORMAT_VERSION)
})

test('serve rebuilds an index of another format from the posts folder its manifest names, when it still exists', async () => {
  const posts = join(work, 'archive')
  mkdirSync(posts)
  writeFileSync(join(posts, '2025-03-01-upgrade.md'), '---\ntitle: 升级之后\ndate: 2025-03-01\n---\n<p>格式变了，索引从原来的文章重新建立。</p>\n')
  const dir = staleIndex('names-its-posts', posts)
  const { stderr } = await serve(['--index', dir, '--workers', '0'])
  assert.match(stderr, /rebuilding it/)
  assert.match(stderr, /jiansuo serving 1 documents/)
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { version: number; posts: string }
  assert.equal(manifest.version, FORMAT_VERSION)
  assert.equal(manifest.posts, posts, 'the new manifest names its posts too')
})

test('serve still refuses when the posts folder the old manifest names is gone', async () => {
  const dir = staleIndex('posts-gone', join(work, 'no-such-folder'))
  const { code, stderr } = await serve(['--index', dir])
  assert.equal(code, 1)
  assert.match(stderr, /jiansuo index <posts-folder>/)
  assert.equal(JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')).version, FORMAT_VERSION - 1)
})
