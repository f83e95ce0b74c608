// What the commands leave on a terminal and in redirected output: the progress bar, colours.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { REPO_ROOT } from '../helpers/shared.js'

const BIN = join(REPO_ROOT, 'bin', 'jiansuo.js')
let work: string
let posts: string

before(() => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-terminal-'))
  posts = join(work, 'posts')
  mkdirSync(posts)
  for (let i = 1; i <= 3; i++) writeFileSync(join(posts, `2025-05-0${i}-walk.md`), `---\ntitle: 散步${i}\ndate: 2025-05-0${i}\n---\n<p>傍晚沿着河堤散步第${i}回。</p>\n`)
})

after(() => rmSync(work, { recursive: true, force: true }))

/** Runs the CLI with stdout and stderr piped, each made to look like a terminal when asked (as `script` would). */
function run(args: string[], terminal: { stdout?: boolean; stderr?: boolean }): { status: number | null; stdout: string; stderr: string } {
  const pretend = [terminal.stdout && 'process.stdout.isTTY=true', terminal.stderr && 'process.stderr.isTTY=true'].filter(Boolean).join(';')
  const env = { ...process.env }
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'CI']) delete env[name]
  return spawnSync(process.execPath, [...(pretend ? ['--import', `data:text/javascript,${encodeURIComponent(pretend)}`] : []), BIN, ...args], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  })
}

test('the progress bar never turns the terminal\'s line wrapping off: Ctrl-C in a build would leave it off in the shell', () => {
  const r = run(['index', posts, '--out', join(work, 'index-bar'), '--workers', '1'], { stderr: true })
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stderr, /indexing \[/, 'the bar was drawn')
  // A build ends at once on SIGINT, before the bar can restore anything: so it must change nothing to restore.
  assert.ok(!r.stderr.includes('\x1b[?7l'), JSON.stringify(r.stderr.slice(0, 200)))
})
