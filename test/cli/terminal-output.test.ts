// What the commands leave on a terminal and in redirected output: the progress bar, colours.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
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

/** Node's arguments that make stdout or stderr look like a terminal (as under `script`), though both are piped. */
function pretending(terminal: { stdout?: boolean; stderr?: boolean }): string[] {
  const pretend = [terminal.stdout && 'process.stdout.isTTY=true', terminal.stderr && 'process.stderr.isTTY=true'].filter(Boolean).join(';')
  return pretend ? ['--import', `data:text/javascript,${encodeURIComponent(pretend)}`] : []
}

/** The environment of a colour terminal, without the variables that force colours on or off. */
function colourEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' }
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'CI']) delete env[name]
  return env
}

/** Runs the CLI with stdout and stderr piped, each made to look like a terminal when asked. */
function run(args: string[], terminal: { stdout?: boolean; stderr?: boolean }): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [...pretending(terminal), BIN, ...args], { encoding: 'utf8', env: colourEnv(), timeout: 60_000 })
}

test('the progress bar never turns the terminal\'s line wrapping off: Ctrl-C in a build would leave it off in the shell', () => {
  const r = run(['index', posts, '--out', join(work, 'index-bar'), '--workers', '1'], { stderr: true })
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stderr, /indexing \[/, 'the bar was drawn')
  // A build ends at once on SIGINT, before the bar can restore anything: so it must change nothing to restore.
  assert.ok(!r.stderr.includes('\x1b[?7l'), JSON.stringify(r.stderr.slice(0, 200)))
})

test('stderr is coloured by whether it is a terminal, not stdout: `2> build.log` gets plain text', () => {
  const missing = join(work, 'no-such-posts')
  const logged = run(['index', missing], { stdout: true })
  assert.equal(logged.status, 1)
  assert.equal(logged.stderr, `error: posts folder ${missing} does not exist or is not a folder\n`)
  const shown = run(['index', missing], { stderr: true })
  assert.match(shown.stderr, /^\x1b\[31merror:\x1b\[39m posts folder/, 'coloured on a terminal')
})

test('serve prints its build summary on stderr without escape codes when stderr is a file', async () => {
  const child = spawn(
    process.execPath,
    [...pretending({ stdout: true }), BIN, 'serve', '--posts', posts, '--index', join(work, 'index-served'), '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: colourEnv() },
  )
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    if (stderr.includes('jiansuo serving')) child.kill('SIGTERM')
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  clearTimeout(timer)
  assert.equal(code, 0, stderr)
  assert.match(stderr, /indexed 3 documents/)
  assert.ok(!stderr.includes('\x1b'), JSON.stringify(stderr))
})

test('--color and --no-color are accepted by every command, before or after its name, and decide the colours', () => {
  const index = join(work, 'index-colours')
  assert.equal(run(['index', posts, '--out', index, '--workers', '1', '--no-color'], {}).status, 0)
  const search = (flag: string, before = false) => run(before ? [flag, 'search', '散步', '--index', index] : ['search', '散步', '--index', index, flag], {})
  for (const [flag, coloured] of [['--color', true], ['--no-color', false]] as const) {
    for (const before of [false, true]) {
      const r = search(flag, before)
      assert.equal(r.status, 0, r.stderr)
      assert.match(r.stdout, /散步/)
      assert.equal(r.stdout.includes('\x1b['), coloured, `${flag}${before ? ' before search' : ''}`)
    }
  }
  // A missing index: the error on stderr follows the flag too.
  const failed = run(['search', '散步', '--index', join(work, 'none'), '--color'], {})
  assert.equal(failed.status, 1)
  assert.match(failed.stderr, /^\x1b\[31merror:/)
  for (const command of [['suggest', '散', '--index', index], ['serve', '--help'], ['index', '--help']]) {
    const r = run([...command, '--no-color'], {})
    assert.equal(r.status, 0, `${command.join(' ')}: ${r.stderr}`)
  }
})

test('a post named or written with control characters cannot drive the terminal of index, search or suggest: they are printed escaped', () => {
  const hostile = join(work, 'hostile-posts')
  mkdirSync(hostile)
  // ESC [2J clears the screen, ESC ] 0; … BEL sets the window's title; a newline in a name would forge a line.
  writeFileSync(join(hostile, '2025-06-01-\x1b[2J.md'), '---\ntitle: 清屏测试\ndate: 2025-06-01\n---\n<p>傍晚散步。</p>\n')
  writeFileSync(join(hostile, '2025-06-02-\x1b]0;pwned\x07.md'), '')
  writeFileSync(join(hostile, '2025-06-03-line\n✓ forged.md'), '---\ntitle: 换行\n---\n<p>散步。</p>\n')
  const index = join(work, 'index-hostile')
  const outputs = [
    run(['index', hostile, '--out', index, '--workers', '1', '--no-color'], {}),
    run(['search', '散步', '--index', index, '--no-color'], {}),
    run(['suggest', '清屏', '--index', index, '--no-color'], {}),
  ]
  for (const r of outputs) {
    assert.equal(r.status, 0, r.stderr)
    assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(r.stdout), JSON.stringify(r.stdout))
  }
  assert.match(outputs[0]!.stdout, /\\x1b\]0;pwned\\x07\.md: the file is empty/)
  assert.match(outputs[1]!.stdout, /2025-06-01-\\x1b\[2J\.md/)
  assert.match(outputs[2]!.stdout, /清屏测试 +文章 2025-06-01-\\x1b\[2J/)
  assert.doesNotMatch(outputs[0]!.stdout, /^✓ forged/m)
})
