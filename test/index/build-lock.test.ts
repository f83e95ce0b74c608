// The build lock: one build per index folder, a dead or replaced holder's lock taken over, and only its holder releases it.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { acquireBuildLock } from '../../src/index/build-lock.js'

const work = mkdtempSync(join(tmpdir(), 'jiansuo-lock-'))
after(() => rmSync(work, { recursive: true, force: true }))
let folders = 0
const folder = () => {
  const dir = join(work, String(folders++))
  spawnSync('mkdir', ['-p', dir])
  return dir
}
const LOCK = '.build.lock'
/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!

test('a held lock refuses a second build, and is released by its holder', () => {
  const dir = folder()
  const release = acquireBuildLock(dir)
  assert.throws(() => acquireBuildLock(dir), new RegExp(`another jiansuo build \\(process ${process.pid}\\)`))
  release()
  assert.equal(existsSync(join(dir, LOCK)), false)
  acquireBuildLock(dir)()
})

test('a lock whose process is gone is taken over, in the old form (a bare pid) too', () => {
  for (const text of [JSON.stringify({ pid: deadPid(), started: '1', token: 'gone' }), String(deadPid()), '']) {
    const dir = folder()
    writeFileSync(join(dir, LOCK), text)
    const release = acquireBuildLock(dir)
    assert.notEqual(readFileSync(join(dir, LOCK), 'utf8'), text)
    release()
  }
})

test('a lock whose pid now belongs to another process (started at another time) is taken over', (t) => {
  if (!existsSync(`/proc/${process.pid}/stat`)) return t.skip('no /proc here: a lock is checked by pid alone')
  const dir = folder()
  writeFileSync(join(dir, LOCK), JSON.stringify({ pid: process.ppid, started: '1', token: 'reused' }))
  acquireBuildLock(dir)()
})

test('release leaves alone a lock that is no longer its own', () => {
  const dir = folder()
  const release = acquireBuildLock(dir)
  const other = JSON.stringify({ pid: process.ppid, started: null, token: 'someone-else' })
  writeFileSync(join(dir, LOCK), other)
  release()
  assert.equal(readFileSync(join(dir, LOCK), 'utf8'), other)
})

test('of builds racing for a stale lock, one at a time holds it', async () => {
  const lockModule = new URL('../../src/index/build-lock.js', import.meta.url).href
  // Each racer takes the lock, says so, holds it a moment and says when it lets go.
  const script = `
    const { acquireBuildLock } = await import(${JSON.stringify(lockModule)})
    try {
      const release = acquireBuildLock(process.argv[1])
      console.log('got ' + Date.now())
      await new Promise((r) => setTimeout(r, 150))
      console.log('let go ' + Date.now())
      release()
    } catch (error) {
      console.log('refused')
    }`
  for (let round = 0; round < 4; round++) {
    const dir = folder()
    writeFileSync(join(dir, LOCK), JSON.stringify({ pid: deadPid(), started: '1', token: 'stale' }))
    const outputs = await Promise.all(
      Array.from({ length: 6 }, () => new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] })
        let out = ''
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
        child.on('close', () => resolve(out))
      })),
    )
    const spans = outputs.filter((o) => o.startsWith('got')).map((o) => o.match(/\d+/g)!.map(Number) as [number, number])
    assert.ok(spans.length >= 1, `round ${round}: nobody got the lock: ${outputs.join(' | ')}`)
    spans.sort((a, b) => a[0] - b[0])
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], `round ${round}: two holders at once: ${JSON.stringify(spans)}`)
  }
})

test('a stale lock is removed only under the takeover guard, which a build waits for while its holder lives', async () => {
  const dir = folder()
  const stale = JSON.stringify({ pid: deadPid(), started: '1', token: 'stale' })
  writeFileSync(join(dir, LOCK), stale)
  // Another build, alive, in the middle of taking the stale lock over.
  writeFileSync(join(dir, `${LOCK}.takeover`), JSON.stringify({ pid: process.ppid, started: null, token: 'busy' }))
  const lockModule = new URL('../../src/index/build-lock.js', import.meta.url).href
  const script = `
    const { acquireBuildLock } = await import(${JSON.stringify(lockModule)})
    console.log('trying')
    const release = acquireBuildLock(process.argv[1])
    console.log('got')
    release()`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] })
  const closed = new Promise((resolve) => child.on('close', resolve))
  let out = ''
  const said = (word: string) => new Promise<void>((resolve) => {
    const check = () => (out.includes(word) ? resolve() : setTimeout(check, 10))
    check()
  })
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  await said('trying')
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(readFileSync(join(dir, LOCK), 'utf8'), stale, 'the stale lock stays while another build holds the guard')
  assert.equal(out.includes('got'), false)
  rmSync(join(dir, `${LOCK}.takeover`))
  await said('got')
  await closed
  assert.equal(existsSync(join(dir, LOCK)), false)
})

test('a takeover guard left by a build that died is cleared; one whose holder stays is named', () => {
  const dir = folder()
  writeFileSync(join(dir, LOCK), JSON.stringify({ pid: deadPid(), started: '1', token: 'stale' }))
  writeFileSync(join(dir, `${LOCK}.takeover`), JSON.stringify({ pid: deadPid(), started: '1', token: 'died-taking-over' }))
  acquireBuildLock(dir)()
  assert.equal(existsSync(join(dir, `${LOCK}.takeover`)), false)
  assert.equal(existsSync(join(dir, LOCK)), false)

  writeFileSync(join(dir, LOCK), JSON.stringify({ pid: deadPid(), started: '1', token: 'stale' }))
  writeFileSync(join(dir, `${LOCK}.takeover`), JSON.stringify({ pid: process.ppid, started: null, token: 'stuck' }))
  assert.throws(() => acquireBuildLock(dir), /\.build\.lock\.takeover stays in the way/)
})

test('a folder where the lock file belongs is named, not mistaken for other builds taking the lock', () => {
  const dir = folder()
  spawnSync('mkdir', [join(dir, LOCK)])
  assert.throws(() => acquireBuildLock(dir), /\.build\.lock is a folder, where jiansuo keeps its build lock file: remove it/)
})
