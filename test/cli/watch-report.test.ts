// index --watch lists, after each rebuild, only the notes and skipped files the build before it had not.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { stripVTControlCharacters } from 'node:util'
import { formatReport } from '../../src/cli/terminal.js'
import { sinceLastBuild } from '../../src/cli/watch-report.js'
import type { BuildReport } from '../../src/index/build.js'
import { REPO_ROOT } from '../helpers/shared.js'

const work = mkdtempSync(join(tmpdir(), 'jiansuo-watch-report-'))
after(() => rmSync(work, { recursive: true, force: true }))

const note = (path: string) => ({ path, code: 'title_from_body', message: `the post has no title; using the start of its text: ${path}` })
const skip = (path: string) => ({ path, code: 'no_text', reason: 'the post has neither a title nor body text' })
const report = (notes: string[], skipped: string[]): BuildReport => ({
  documents: 10,
  skipped: skipped.map(skip),
  notes: notes.map(note),
  terms: 100,
  bytes: 1e4,
  seconds: 0.1,
  indexDir: 'index-data',
  generation: 'gen-x',
  mode: 'incremental',
  reprocessed: 1,
  reused: 9,
  removed: 0,
  written: true,
  leftOver: [],
})

test('a rebuild keeps the notes and skips the build before it did not list, and counts the others', () => {
  const first = report(['a.md', 'b.md'], ['x.md'])
  assert.deepEqual(sinceLastBuild(first, null), { report: first, repeated: { notes: 0, skipped: 0 } }, 'the first build lists all')
  const second = sinceLastBuild(report(['a.md', 'b.md', 'c.md'], ['x.md', 'y.md']), first)
  assert.deepEqual(second.report.notes, [note('c.md')])
  assert.deepEqual(second.report.skipped, [skip('y.md')])
  assert.deepEqual(second.repeated, { notes: 2, skipped: 1 })
  // A note that went away and came back is listed again.
  const third = sinceLastBuild(report(['a.md'], []), report([], []))
  assert.deepEqual([third.report.notes, third.repeated], [[note('a.md')], { notes: 0, skipped: 0 }])
  // The same path with another message is new.
  const edited = sinceLastBuild({ ...first, notes: [{ ...note('a.md'), message: 'another' }] }, first)
  assert.equal(edited.report.notes.length, 1)
})

test('the summary says in one line how many it did not list again', () => {
  const { report: shown, repeated } = sinceLastBuild(report(['a.md', 'b.md', 'c.md'], ['x.md']), report(['a.md', 'b.md'], ['x.md']))
  const text = stripVTControlCharacters(formatReport(shown, undefined, repeated))
  assert.match(text, /^ {2}as in the previous build, not listed again: 1 skipped file\(s\), 2 note\(s\)$/m)
  assert.match(text, /c\.md: the post has no title/)
  assert.doesNotMatch(text, /a\.md|b\.md|x\.md/)
  assert.doesNotMatch(stripVTControlCharacters(formatReport(report(['a.md'], []))), /not listed again/)
})

const post = (dir: string, name: string, front: string, body: string) => writeFileSync(join(dir, `${name}.md`), `---\n${front}date: 2024-06-01\n---\n${body}\n`)

test('jiansuo index --watch prints, after a change, the notes it brought and not the ones already printed', { timeout: 60_000 }, async () => {
  const posts = join(work, 'posts')
  mkdirSync(posts)
  post(posts, '2024-06-01-untitled', '', '<p>没有标题的正文。</p>')
  post(posts, '2024-06-01-empty', 'title: 只有标题\n', '')
  post(posts, '2024-06-01-fine', 'title: 甲\n', '<p>正文甲。</p>')
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'jiansuo.js'), 'index', posts, '--out', join(work, 'index'), '--watch'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let waiting: (() => void) | null = null
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => ((stdout += text), waiting?.()))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  const exited = once(child, 'exit')
  void exited.then(() => waiting?.())
  const summaries = () => stripVTControlCharacters(stdout).split(/^(?=✓ indexed)/m).filter((s) => s.startsWith('✓'))
  const built = async (count: number) => {
    while (summaries().length < count) {
      if (child.exitCode !== null) assert.fail(`the watch stopped (exit ${child.exitCode}): ${stderr}`)
      await new Promise<void>((resolve) => (waiting = resolve))
    }
    return summaries()[count - 1]!
  }
  try {
    const first = await built(1)
    assert.match(first, /2024-06-01-untitled\.md: the post has no title/)
    assert.match(first, /2024-06-01-empty\.md: the post has a title but no body text/)

    post(posts, '2024-06-02-untitled', '', '<p>又一篇没有标题。</p>')
    const second = await built(2)
    assert.match(second, /2024-06-02-untitled\.md: the post has no title/)
    assert.doesNotMatch(second, /2024-06-01-/, 'the notes printed after the first build are not printed again')
    assert.match(second, /^ {2}as in the previous build, not listed again: 2 note\(s\)$/m)

    post(posts, '2024-06-01-fine', 'title: 甲\n', '<p>正文甲，改过。</p>')
    const third = await built(3)
    assert.doesNotMatch(third, /\.md: /, 'an edit that brought no note lists none')
    assert.match(third, /not listed again: 3 note\(s\)$/m)
  } finally {
    child.kill('SIGINT')
    await exited
  }
})
