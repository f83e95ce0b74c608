import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, it } from 'node:test'
import { InvalidArgumentError } from 'commander'
import { listOf, wholeNumber } from '../../bench/lib/cli.js'

/** Each benchmark's compiled entry point, the way its help says it is started, an option it lists, and what it requires. */
const ENTRY_POINTS: { file: string; usage: string; option: string; needs?: string[] }[] = [
  { file: 'run.js', usage: 'npm run bench --', option: '--corpus <which>' },
  { file: 'compare-builds.js', usage: 'npm run bench:compare --', option: '--rounds <n>', needs: ['--a', 'dist', '--b', 'dist'] },
  { file: 'serve-memory.js', usage: 'npm run bench:serve-memory --', option: '--node-flags <flags>', needs: ['--index', 'index-data'] },
  { file: 'soak.js', usage: 'npm run bench:soak --', option: '--clients <n>' },
  { file: 'relevance/run.js', usage: 'npm run bench:relevance --', option: '--limit <n>' },
  { file: 'did-you-mean.js', usage: 'npm run bench:did-you-mean --', option: '--rounds <n>' },
  { file: 'suggest.js', usage: 'node --max-old-space-size=16384 dist/bench/suggest.js', option: '--samples <n>' },
  { file: 'doc-store.js', usage: 'node dist/bench/doc-store.js', option: '--samples <n>' },
  { file: 'index-sections.js', usage: 'node dist/bench/index-sections.js', option: '<index-folder>' },
  { file: 'scale/generate.js', usage: 'node dist/bench/scale/generate.js', option: '--posts <n>' },
]

const benchDir = fileURLToPath(new URL('../../bench/', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'jiansuo-bench-cli-'))
after(() => rmSync(scratch, { recursive: true, force: true }))

function runBench(file: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(benchDir, file), ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** A usage mistake ends with one `error:` line and the pointer to --help: exit code 1, no stack trace. */
function assertRefused(result: ReturnType<typeof runBench>, usage: string, said: RegExp): void {
  assert.equal(result.status, 1, result.stderr)
  assert.match(result.stderr, said)
  assert.match(result.stderr, /^error: /m)
  assert.ok(result.stderr.includes(`(${usage} --help lists the options)`), result.stderr)
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace')
}

describe('benchmark command lines', () => {
  for (const { file, usage, option, needs = [] } of ENTRY_POINTS) {
    it(`${file}: --help lists the options and exits 0`, () => {
      const result = runBench(file, ['--help'])
      assert.equal(result.status, 0, result.stderr)
      assert.ok(result.stdout.startsWith(`Usage: ${usage} [options]`), result.stdout)
      assert.ok(result.stdout.includes(option), result.stdout)
    })

    it(`${file}: an unknown option is refused in one line`, () => {
      assertRefused(runBench(file, [...needs, '--no-such-option']), usage, /unknown option '--no-such-option'/)
    })
  }

  it('a number out of range names the option and the range', () => {
    assertRefused(runBench('run.js', ['--posts', 'many']), 'npm run bench --', /option '--posts <n>' argument 'many' is invalid\. Give a whole number ≥ 1\./)
    assertRefused(runBench('compare-builds.js', ['--a', 'x', '--b', 'y', '--rounds', '0']), 'npm run bench:compare --', /'--rounds <n>' argument '0' is invalid/)
  })

  it('a system nobody measures is refused with the known ones', () => {
    assertRefused(runBench('run.js', ['--systems', 'jiansuo,lucene']), 'npm run bench --', /Give a comma-separated list of jiansuo, flexsearch, minisearch, fts5\./)
  })

  it('a query log that is not there is named, with how to make one', () => {
    const missing = join(scratch, 'queries.json')
    const result = runBench('compare-builds.js', ['--a', 'dist', '--b', 'dist', '--queries', missing])
    assertRefused(result, 'npm run bench:compare --', new RegExp(`no query log at ${missing}: \`npm run bench\` writes one`))
  })

  it('serve-memory and soak refuse a folder without an index (serve would build the demo posts there and serve them)', () => {
    const empty = join(scratch, 'no-index')
    const result = runBench('serve-memory.js', ['--index', empty, '--seconds', '1'])
    assertRefused(result, 'npm run bench:serve-memory --', /no index in .*no-index/)
    assert.ok(!existsSync(empty) || readdirSync(empty).length === 0, 'nothing was built')
    assertRefused(runBench('soak.js', ['--index', empty, '--seconds', '1']), 'npm run bench:soak --', /no index in .*no-index/)
  })

  it('the index readers refuse a folder without an index', () => {
    assertRefused(runBench('doc-store.js', [scratch]), 'node dist/bench/doc-store.js', /no index in /)
    assertRefused(runBench('index-sections.js', []), 'node dist/bench/index-sections.js', /missing required argument 'index-folder'/)
  })
})

describe('benchmark option values', () => {
  it('a whole number at least the minimum', () => {
    assert.equal(wholeNumber(0)('0'), 0)
    assert.equal(wholeNumber(1)('12'), 12)
    for (const text of ['0', '-3', '2.5', 'abc', '', ' ', 'Infinity']) assert.throws(() => wholeNumber(1)(text), InvalidArgumentError, text)
  })

  it('a comma-separated list of known names', () => {
    assert.deepEqual(listOf(['a', 'b', 'c'])(' c, a ,'), ['c', 'a'])
    assert.throws(() => listOf(['a', 'b'])('a,z'), /Give a comma-separated list of a, b\./)
    assert.throws(() => listOf(['a', 'b'])(' , '), InvalidArgumentError)
  })
})
