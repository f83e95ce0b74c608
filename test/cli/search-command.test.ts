// `jiansuo search` takes the query syntax as typed: a word starting with a dash is an exclusion, not an option.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { stripVTControlCharacters } from 'node:util'
import { REPO_ROOT } from '../helpers/shared.js'
import { sharedTestServer } from '../server/fixture.js'

const BIN = join(REPO_ROOT, 'bin', 'jiansuo.js')
const shared = sharedTestServer({ rateLimit: false })
const index = { get indexDir() { return shared.index.indexDir } }

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

test('words after a lone -- are query words even when they start with --, as -- means for any command; a -- given as a value ends nothing', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'search', '--index', index.indexDir, ...args], { encoding: 'utf8', timeout: 30_000 })
  // It said "unknown option '--json'" to `search -- --json`, the very word the user had asked to search for.
  for (const [args, query] of [[['--json', '--', '--json'], '--json'], [['断头路', '--json', '--', '--jsn'], '断头路 --jsn']] as const) {
    const r = run([...args])
    assert.equal(r.status, 0, r.stderr)
    assert.equal((JSON.parse(r.stdout) as { query: string }).query, query)
  }
  const value = run(['--tag', '--', '断头路', '--jsn'])
  assert.equal(value.status, 1)
  assert.match(value.stderr, /unknown option '--jsn'/)
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

test('search --json prints exactly the body GET /search answers, a refused parameter included', async () => {
  const cases: [string[], Record<string, string> | [string, string][]][] = [
    [['红旗区', '断头路'], { q: '红旗区 断头路' }],
    // An option given twice is refused as a parameter given twice is, not settled by the last one.
    [['长江', '--tag', '甲', '--tag', '乙'], [['q', '长江'], ['tag', '甲'], ['tag', '乙']]],
    [['长江', '--size', '5', '--size', '6'], [['q', '长江'], ['size', '5'], ['size', '6']]],
    [['的', '--size', '5', '--page', '2', '--sort', 'date'], { q: '的', size: '5', page: '2', sort: 'date' }],
    [['断头路', '--from', '2022-01-01', '--to', '2022-12-31'], { q: '断头路', from: '2022-01-01', to: '2022-12-31' }],
    [['断头路', '--size', '0'], { q: '断头路', size: '0' }],
    [['断头路', '--from', '2022-13-01'], { q: '断头路', from: '2022-13-01' }],
    [['的', '--facets', 'year,tag'], { q: '的', facets: 'year,tag' }],
    [['的', '--facets', 'bogus'], { q: '的', facets: 'bogus' }],
  ]
  const withoutTiming = (body: Record<string, unknown>) => ({ ...body, took_ms: 0 })
  for (const [args, params] of cases) {
    const printed = search([...args, '--json'])
    const response = await fetch(`${shared.server.url}/search?${new URLSearchParams(params)}`)
    const answered = (await response.json()) as Record<string, unknown>
    assert.deepEqual(withoutTiming(JSON.parse(printed.stdout) as Record<string, unknown>), withoutTiming(answered), args.join(' '))
    assert.equal(printed.status, response.ok ? 0 : 1, args.join(' '))
  }
})

test('-h and -V after the query are words to exclude, not the help or version options', () => {
  const all = JSON.parse(search(['断头路', '--json']).stdout) as { total: number }
  for (const flag of ['-h', '-V']) {
    const r = search(['断头路', flag, '--json'])
    assert.equal(r.status, 0, r.stderr)
    const body = JSON.parse(r.stdout) as { query: string; total: number }
    assert.equal(body.query, `断头路 ${flag}`)
    assert.ok(body.total <= all.total)
  }
  const help = spawnSync(process.execPath, [BIN, 'search', '--help'], { encoding: 'utf8' })
  assert.match(help.stdout, /Usage: jiansuo search/)
})

test('limits.maxQueryLength from the config file, or --max-query-length, applies to search and suggest as it does to the server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-search-config-'))
  try {
    const config = join(dir, 'jiansuo.config.json')
    writeFileSync(config, JSON.stringify({ limits: { maxQueryLength: 500 } }))
    const long = Array.from({ length: 100 }, () => '断头路').join(' ')
    const refused = search([long, '--json'])
    assert.equal(refused.status, 1)
    assert.match(refused.stdout, /longer than/)
    const r = search([long, '--json', '--config', config])
    assert.equal(r.status, 0, r.stderr)
    assert.equal((JSON.parse(r.stdout) as { query: string }).query, long)
    // The README's table gives every setting a flag: this one too, for search and suggest as for serve.
    const flagged = search([long, '--json', '--max-query-length', '500'])
    assert.equal(flagged.status, 0, flagged.stderr)
    assert.equal((JSON.parse(flagged.stdout) as { query: string }).query, long)
    const suggested = spawnSync(process.execPath, [BIN, 'suggest', long, '--json', '--max-query-length', '500', '--index', index.indexDir], { encoding: 'utf8' })
    assert.equal(suggested.status, 0, suggested.stderr)
    // CI=true colours stderr (as picocolors does), so the text is compared without its escape codes.
    assert.equal(stripVTControlCharacters(search([long, '--json', '--max-query-length', '0']).stderr), 'error: --max-query-length: Too small: expected number to be >=1 (got 0)\n')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a refused parameter is named as typed on the command line: the query, --size, --from, --to', () => {
  const stderr = (args: string[]) => stripVTControlCharacters(search(args).stderr)
  assert.equal(stderr(['  ']), 'error: the query must not be blank.\n')
  assert.equal(stderr(['断头路', '--size', '0']), 'error: --size must be a whole number from 1 to 100 (got "0").\n')
  assert.equal(stderr(['断头路', '--from', '2022-13-01']), 'error: --from must be a date written YYYY-MM-DD, such as 2024-03-29 (got "2022-13-01").\n')
  assert.equal(stderr(['断头路', '--tag', '甲', '--tag', '乙']), 'error: --tag must be given once.\n')
  assert.equal(stderr(['断头路', '--from', '2022-05-01', '--to', '2022-03-01']), 'error: --from (2022-05-01) is after --to (2022-03-01).\n')
  const suggested = spawnSync(process.execPath, [BIN, 'suggest', '红'.repeat(201), '--index', index.indexDir], { encoding: 'utf8' })
  assert.equal(stripVTControlCharacters(suggested.stderr), 'error: the query is longer than 200 characters.\n')
})
