// A mistyped command line gets its error on one line and a pointer to --help, not the whole help text.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { stripVTControlCharacters } from 'node:util'
import { REPO_ROOT } from '../helpers/shared.js'

const BIN = join(REPO_ROOT, 'bin', 'jiansuo.js')

const cases: [string[], RegExp][] = [
  [['serve', '--bogus'], /^error: unknown option '--bogus'/],
  [['index', '--wacth'], /^error: unknown option '--wacth'/],
  [['search', '断头路', '--jsn'], /^error: unknown option '--jsn'/],
  [['search'], /^error: missing required argument 'query'/],
  [['suggest'], /^error: missing required argument 'typed'/],
  [['frobnicate'], /^error: unknown command 'frobnicate'/],
  [['search', '断头路', '--size'], /^error: option '--size <n>' argument missing/],
]

test('a usage error is one line naming the mistake, then where the options are listed; exit 1, nothing on stdout', () => {
  for (const [args, error] of cases) {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 })
    const lines = stripVTControlCharacters(r.stderr).trimEnd().split('\n')
    assert.equal(r.status, 1, args.join(' '))
    assert.equal(r.stdout, '', args.join(' '))
    assert.match(lines[0]!, error, args.join(' '))
    // The help of `serve` runs to 58 lines: printed after the error, it scrolled the error out of sight.
    // Commander's "(Did you mean --watch?)" may come between.
    assert.ok(lines.length <= 3, `${args.join(' ')}:\n${r.stderr}`)
    assert.match(lines.at(-1)!, /^\(npx jiansuo .*--help lists/, args.join(' '))
  }
})

test('a --ranking setting without =value is one line naming the form it takes; exit 1, nothing on stdout', () => {
  // It said `--ranking k1: expected number, received string (got "")`, a number nobody had typed.
  const r = spawnSync(process.execPath, [BIN, 'search', '断头路', '--ranking', 'k1'], { encoding: 'utf8', timeout: 30_000 })
  assert.equal(r.status, 1)
  assert.equal(r.stdout, '')
  assert.equal(stripVTControlCharacters(r.stderr), 'error: --ranking: expected name=number, such as k1=1.2 (got "k1")\n')
})

test('a --ranking of no setting at all (`,` or empty) is refused the same way, not searched with the defaults', () => {
  // It searched, exit 0, as though the weights given had been understood.
  for (const value of [',', '']) {
    const r = spawnSync(process.execPath, [BIN, 'search', '断头路', '--ranking', value], { encoding: 'utf8', timeout: 30_000 })
    assert.equal(r.status, 1, value)
    assert.equal(r.stdout, '', value)
    assert.equal(stripVTControlCharacters(r.stderr), `error: --ranking: expected name=number, such as titleWeight=4,k1=1.1 (got ${JSON.stringify(value)})\n`)
  }
})
