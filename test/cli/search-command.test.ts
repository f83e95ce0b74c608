// `jiansuo search` takes the query syntax as typed: a word starting with a dash is an exclusion, not an option.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { REPO_ROOT } from '../helpers/shared.js'
import { sharedTestIndex } from '../server/fixture.js'

const BIN = join(REPO_ROOT, 'bin', 'jiansuo.js')
const index = sharedTestIndex()

function search(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [BIN, 'search', ...args, '--index', index.indexDir], { encoding: 'utf8', timeout: 30_000 })
}

const titles = (stdout: string): string[] => (JSON.parse(stdout) as { hits: { title: string }[] }).hits.map((h) => h.title)

test('a word starting with a dash excludes it, wherever it stands among the words', () => {
  const all = search(['断头路', '--json'])
  assert.equal(all.status, 0, all.stderr)
  assert.ok(titles(all.stdout).some((t) => t.includes('红旗区')))
  for (const words of [['断头路', '-红旗区'], ['-红旗区', '断头路'], ['--json', '-红旗区', '断头路']]) {
    const r = search(words.includes('--json') ? words : [...words, '--json'])
    assert.equal(r.status, 0, r.stderr)
    const found = titles(r.stdout)
    assert.ok(found.length > 0 && found.every((t) => !t.includes('红旗区')), `${words.join(' ')}: ${found.join(', ')}`)
    assert.equal((JSON.parse(r.stdout) as { total: number }).total, (JSON.parse(all.stdout) as { total: number }).total - 1)
  }
})

test('a mistyped --option is still an error, not a query word', () => {
  const r = search(['断头路', '--jsn'])
  assert.equal(r.status, 1)
  assert.match(r.stderr, /unknown option '--jsn'/)
  assert.equal(r.stdout, '')
})

test('output piped into a reader that stops early ends the command quietly, exit 0', async () => {
  const child = spawn(process.execPath, [BIN, 'search', '的', '--size', '100', '--json', '--index', index.indexDir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  // Like `| head -c 1`: the reader takes the first chunk and goes away.
  child.stdout.once('data', () => child.stdout.destroy())
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  assert.equal(code, 0)
  assert.doesNotMatch(stderr, /EPIPE|at /)
})
