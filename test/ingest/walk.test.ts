import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ingestFolder, listPostFiles, readPost, readPostSync } from '../../src/ingest/index.js'
import { fixturePostsDir } from './helpers.js'

/**
 * Lists and reads `root` in a child process that permissions apply to: as `nobody` when the tests run
 * as root (root reads everything), else as the current user.
 */
function walkWithoutPrivileges(root: string): unknown {
  const ingest = new URL('../../src/ingest/index.js', import.meta.url).href
  const script = `
    const { listPostFiles, readPost } = await import(${JSON.stringify(ingest)})
    const walk = await listPostFiles(${JSON.stringify(root)})
    const secret = await readPost(walk.files.find((f) => f.relPath === 'secret.md'))
    console.log(JSON.stringify({ skipped: walk.skipped.map((s) => [s.path, s.code]), files: walk.files.map((f) => f.relPath), secret: secret.code }))`
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', ...asNobody })
  return JSON.parse(out)
}

const POST = '---\ntitle: 测试\n---\n<p>正文。</p>\n'

function write(root: string, relPath: string, text = POST): void {
  mkdirSync(dirname(join(root, relPath)), { recursive: true })
  writeFileSync(join(root, relPath), text)
}

describe('listPostFiles over a folder made for the test', () => {
  let base: string
  let root: string
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'jiansuo-walk-'))
    root = join(base, 'posts')
    for (const p of ['b.md', 'A.MD', 'c.Markdown', 'd.html', 'e.txt', 'notes', '.hidden.md', 'sub/f.md', 'sub/deeper/g.md',
      '_site/h.html', '_posts/i.md', '.git/j.md', '2022/foo.md', '2023/foo.md', 'real/x.md']) write(root, p)
    write(base, 'outside/k.md')
    symlinkSync('..', join(root, 'sub', 'loop'))
    symlinkSync('.', join(root, 'sub', 'deeper', 'self'))
    symlinkSync(join(base, 'outside'), join(root, 'linked'))
    symlinkSync('real', join(root, 'aaa'))
    symlinkSync('b.md', join(root, 'alias.md'))
    symlinkSync('nowhere.md', join(root, 'gone.md'))
    symlinkSync('nowhere', join(root, 'gone-folder'))
  })
  after(() => rmSync(base, { recursive: true, force: true }))

  it('finds posts recursively, by extension in any case, in code-unit order, following links inside the folder once', async () => {
    const walk = await listPostFiles(root)
    assert.deepEqual(walk.files.map((f) => f.relPath), [
      '2022/foo.md', '2023/foo.md', 'A.MD', '_posts/i.md', 'b.md', 'c.Markdown', 'd.html', 'real/x.md', 'sub/deeper/g.md', 'sub/f.md',
    ])
    for (const f of walk.files) assert.equal(f.absPath, join(root, f.relPath))
  })

  it('tells onFound the count of post files found as each is found, up to the number listed, and none that is skipped', async () => {
    const counts: number[] = []
    const walk = await listPostFiles(root, { onFound: (found) => counts.push(found) })
    assert.deepEqual(counts, Array.from(walk.files, (_, i) => i + 1))
  })

  it('gives ids from file names, folder-prefixed for shared basenames, with a note for each', async () => {
    const walk = await listPostFiles(root)
    assert.deepEqual(walk.files.map((f) => f.id), ['2022/foo', '2023/foo', 'A', 'i', 'b', 'c', 'd', 'x', 'g', 'f'])
    const dup = walk.notes.filter((n) => n.code === 'duplicate_basename').map((n) => n.path)
    assert.deepEqual(dup, ['2022/foo.md', '2023/foo.md'])
  })

  it('reports what it could not take, and why: a link leading out of the folder is not followed, as in Jekyll', async () => {
    const walk = await listPostFiles(root)
    assert.deepEqual(walk.skipped.map((s) => [s.path, s.code]), [
      ['alias.md', 'same_file'],
      ['gone.md', 'broken_link'],
      ['linked', 'link_outside'],
    ])
    assert.ok(walk.skipped.every((s) => s.reason.length > 0))
    assert.match(walk.skipped[1]!.reason, /^a symbolic link whose target cannot be reached: ENOENT: no such file/, 'the code said once')
    assert.match(walk.skipped[2]!.reason, /outside the posts folder: not followed/)
  })

  it('does not follow a post linked to a file outside the folder (/etc/passwd), and names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiansuo-walk-out-'))
    try {
      write(dir, 'posts/a.md')
      symlinkSync('/etc/passwd', join(dir, 'posts', 'secret.md'))
      symlinkSync(join(dir, 'posts', 'a.md'), join(dir, 'posts', 'inside.md'))
      const walk = await listPostFiles(join(dir, 'posts'))
      assert.deepEqual(walk.files.map((f) => f.relPath), ['a.md'])
      assert.deepEqual(walk.skipped.map((s) => [s.path, s.code]), [['inside.md', 'same_file'], ['secret.md', 'link_outside']])
      assert.match(walk.skipped[1]!.reason, /a symbolic link to \/etc\/passwd, outside the posts folder/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('notes skipped and repeated folders: _site, link loops, and a link to a folder already walked', async () => {
    const walk = await listPostFiles(root)
    const notes = walk.notes.filter((n) => n.code !== 'duplicate_basename').map((n) => [n.path, n.code]).sort()
    assert.deepEqual(notes, [
      ['_site', 'folder_ignored'],
      ['aaa', 'folder_repeated'],
      ['sub/deeper/self', 'folder_repeated'],
      ['sub/loop', 'folder_repeated'],
    ])
  })

  it('is deterministic', async () => {
    assert.deepEqual(await listPostFiles(root), await listPostFiles(root))
  })

  it('a pipe named like a post is skipped, not read (reading would block)', async (t) => {
    try {
      execFileSync('mkfifo', [join(root, 'pipe.md')])
    } catch {
      t.skip('mkfifo is not available here')
      return
    }
    try {
      const walk = await listPostFiles(root)
      assert.deepEqual(walk.skipped.find((s) => s.path === 'pipe.md')?.code, 'not_a_file')
      assert.ok(!walk.files.some((f) => f.relPath === 'pipe.md'))
    } finally {
      unlinkSync(join(root, 'pipe.md'))
    }
  })

  it('a file that vanished after listing is skipped as vanished, not as unreadable', async () => {
    write(root, 'sub/brief.md')
    const walk = await listPostFiles(root)
    const file = walk.files.find((f) => f.relPath === 'sub/brief.md')!
    unlinkSync(file.absPath)
    const outcome = await readPost(file)
    assert.equal(outcome.kind, 'skipped')
    if (outcome.kind === 'skipped') assert.equal(outcome.code, 'vanished')
    const read = readPostSync(file)
    assert.equal(read.kind === 'skipped' && read.code, 'vanished')
  })

  it('an unreadable folder and an unreadable file are reported; the rest is still read', () => {
    write(root, 'locked/l.md')
    write(root, 'secret.md')
    chmodSync(base, 0o755)
    chmodSync(join(root, 'locked'), 0o000)
    chmodSync(join(root, 'secret.md'), 0o000)
    try {
      const seen = walkWithoutPrivileges(root) as { skipped: [string, string][]; files: string[]; secret: string }
      assert.deepEqual(seen.skipped.find(([path]) => path === 'locked'), ['locked', 'unreadable_folder'])
      assert.ok(seen.files.includes('b.md'))
      assert.equal(seen.secret, 'unreadable')
    } finally {
      chmodSync(join(root, 'locked'), 0o755)
      unlinkSync(join(root, 'secret.md'))
      rmSync(join(root, 'locked'), { recursive: true })
    }
  })

  it('a post or folder whose name is not UTF-8 is skipped saying so, never read under a lossy name', async () => {
    const odd = join(base, 'odd-names')
    mkdirSync(odd)
    write(odd, 'ok.md')
    // 中文.md in GBK, and two names that Node shows alike (\xff.md and \xfe.md both read as �.md).
    const raw = [Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0x2e, 0x6d, 0x64]), Buffer.from([0xff, 0x2e, 0x6d, 0x64]), Buffer.from([0xfe, 0x2e, 0x6d, 0x64])]
    for (const name of raw) writeFileSync(Buffer.concat([Buffer.from(odd + '/'), name]), '---\ntitle: 标题\n---\n<p>正文</p>\n')
    mkdirSync(Buffer.concat([Buffer.from(odd + '/'), Buffer.from([0xb7, 0xd6])]))
    const walk = await listPostFiles(odd)
    assert.deepEqual(walk.files.map((f) => f.relPath), ['ok.md'])
    const bad = walk.skipped.filter((s) => s.code === 'bad_file_name')
    assert.equal(bad.length, 4, JSON.stringify(walk.skipped))
    assert.ok(bad.every((s) => /not valid UTF-8/.test(s.reason)))
    assert.ok(!walk.skipped.some((s) => s.code === 'same_file' || s.code === 'unreadable'))
  })

  it('a post replaced by a named pipe after the listing is skipped when read or hashed, not waited on', () => {
    write(root, 'piped/p.md')
    // In a child with a deadline: opening a pipe without O_NONBLOCK waits for a writer forever.
    const ingest = new URL('../../src/ingest/index.js', import.meta.url).href
    const stamps = new URL('../../src/index/file-stamps.js', import.meta.url).href
    const script = `
      const { execFileSync } = await import('node:child_process')
      const { unlinkSync } = await import('node:fs')
      const { listPostFiles, readPostSync, readPost } = await import(${JSON.stringify(ingest)})
      const { hashFile } = await import(${JSON.stringify(stamps)})
      const walk = await listPostFiles(process.argv[1])
      const file = walk.files.find((f) => f.relPath === 'p.md')
      unlinkSync(file.absPath)
      execFileSync('mkfifo', [file.absPath])
      const sync = readPostSync(file)
      const async = await readPost(file)
      console.log(JSON.stringify({ sync: sync.code, async: async.code, hash: hashFile(file).hash }))`
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, join(root, 'piped')], { encoding: 'utf8', timeout: 20_000 })
    try {
      assert.equal(run.status, 0, run.error ? 'the read waited on the pipe' : run.stderr)
      assert.deepEqual(JSON.parse(run.stdout), { sync: 'not_a_file', async: 'not_a_file', hash: '' })
    } finally {
      rmSync(join(root, 'piped'), { recursive: true, force: true })
    }
  })

  it('rejects when the folder itself is missing or is a file', async () => {
    await assert.rejects(listPostFiles(join(base, 'missing')))
    await assert.rejects(listPostFiles(join(root, 'b.md')), /not a folder/)
  })

  it('two posts whose names are the same text in NFC and NFD are both listed, with ids that do not look alike, and a note each', async () => {
    const dir = join(base, 'look-alike')
    mkdirSync(dir)
    writeFileSync(join(dir, 'caf\u00e9.md'), '# one\n')
    writeFileSync(join(dir, 'cafe\u0301.md'), '# two\n')
    const walk = await listPostFiles(dir)
    assert.deepEqual(walk.files.map((f) => [f.relPath, f.id]), [['cafe\u0301.md', 'caf\u00e9~2'], ['caf\u00e9.md', 'caf\u00e9']])
    assert.deepEqual(walk.notes.map((n) => [n.path, n.code]), [['cafe\u0301.md', 'look_alike_path'], ['caf\u00e9.md', 'look_alike_path']])
  })

  it('an empty folder lists nothing', async () => {
    mkdirSync(join(base, 'empty'))
    const { files, skipped, notes } = await listPostFiles(join(base, 'empty'))
    assert.deepEqual({ files, skipped, notes }, { files: [], skipped: [], notes: [] })
  })
})

describe('ingestFolder over test/fixtures/posts', () => {
  it('reads every post written for the tests, and nothing else', async () => {
    const result = await ingestFolder(fixturePostsDir)
    assert.deepEqual(result.documents.map((d) => d.id), [
      '2021-03-01-early-brief', '2021/notes', '2022/notes', '2024-05-06-riverside-park', '2019-01-04-weekly-1',
    ])
    assert.deepEqual(result.skipped, [])
    assert.deepEqual(result.notes.map((n) => [n.path, n.code]).sort(), [
      ['2021/notes.md', 'duplicate_basename'],
      ['2022/notes.md', 'duplicate_basename'],
      ['_site', 'folder_ignored'],
    ])
  })

  it('reads the generator-shaped post: link, attribution and footer leave the text', async () => {
    const result = await ingestFolder(fixturePostsDir)
    const post = result.documents.find((d) => d.id === '2024-05-06-riverside-park')!
    assert.deepEqual(post, {
      id: '2024-05-06-riverside-park',
      path: '2024-05-06-riverside-park.md',
      title: '滨河公园改造完工 市民晨练有了新去处',
      date: '2024-05-06T07:30:00+08:00',
      categories: ['chengshi'],
      tags: ['城市新闻'],
      url: 'http://news.example.org/share.html?id=20240506001',
      source: '示例晚报',
      paragraphs: [
        '本报记者 王小明',
        '经过半年施工，滨河公园改造工程日前完工，新增步道三公里、健身广场两处。',
        '清晨六点，已有不少市民在新步道上散步。“以前这里都是碎石路，现在平整多了。”家住附近的李阿姨说。',
        '据介绍，公园还将增设自助借书亭 & 饮水点。',
      ],
      extra: { layout: 'post' },
    })
  })

  it('reads the Markdown weekly with list-valued tags', async () => {
    const result = await ingestFolder(fixturePostsDir)
    const weekly = result.documents.find((d) => d.id === '2019-01-04-weekly-1')!
    assert.deepEqual(weekly.tags, ['技术周刊', '编程'])
    assert.equal(weekly.url, null)
    assert.deepEqual(weekly.paragraphs, [
      '这里记录每周值得分享的技术内容，每周五发布。',
      '封面图',
      '山间的一条小路，拍摄于初冬。',
      '工具',
      '1、示例编辑器',
      '一个开源的文本编辑器，支持多种语言的语法高亮。',
      '引用：好的工具让人专注于问题本身。',
      '第一条',
      '第二条 <div> 标签',
      '（完）',
    ])
  })

  it('reads the early one-line post without a time zone', async () => {
    const result = await ingestFolder(fixturePostsDir)
    const early = result.documents.find((d) => d.id === '2021-03-01-early-brief')!
    assert.equal(early.date, '2021-03-01T09:15:00+08:00')
    assert.equal(early.url, 'http://example.com/news/20210301.html')
    assert.deepEqual(early.paragraphs, ['示例公司发布公告称，预计一季度净利润同比增长三成。'])
  })
})
