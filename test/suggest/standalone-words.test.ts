// Suggestions offer words people type: a build counts the documents where jieba cut each word by
// itself, and an update keeps that count as a full build would make it.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { openIndex } from '../../src/index/reader.js'
import { SearchEngine } from '../../src/search/engine.js'
import { suggestionsFor } from '../../src/suggest/engine-suggestions.js'

const work = mkdtempSync(join(tmpdir(), 'jiansuo-standalone-'))
after(() => rmSync(work, { recursive: true, force: true }))

const post = (dir: string, name: string, title: string, body: string) =>
  writeFileSync(join(dir, `${name}.md`), `---\ntitle: "${title}"\ndate: 2024-06-01 09:00:00 +0800\n---\n<p>${body}</p>\n`)

const words = (indexDir: string, prefix: string) =>
  suggestionsFor(SearchEngine.open(indexDir))
    .suggest(prefix)
    .filter((s) => s.kind === 'word')
    .map((s) => s.text)

test('a word met only inside longer words (克兰 of 乌克兰) is not suggested; one written on its own is, counted as a full build counts it', async () => {
  const posts = join(work, 'posts')
  const out = join(work, 'index')
  mkdirSync(posts)
  post(posts, '2024-06-01-a', '乌克兰局势', '乌克兰东部地区今日降温。乌克兰方面表示欢迎。')
  post(posts, '2024-06-01-b', '访问乌克兰', '代表团抵达乌克兰首都。')
  post(posts, '2024-06-01-c', '克服困难', '工人们克服高温天气坚持施工。')
  await buildIndex({ postsDir: posts, outDir: out, workers: 1 })
  const offered = words(out, '克')
  assert.ok(offered.includes('克服'), JSON.stringify(offered))
  assert.ok(!offered.includes('克兰'), JSON.stringify(offered))
  assert.ok(words(out, '乌').includes('乌克兰'))
  const counts = (dir: string) => {
    const space = openIndex(dir).words
    return new Map(['乌克兰', '克兰', '克服'].map((w) => [w, space.standaloneDf![space.lookup(w)] ?? -1]))
  }
  assert.deepEqual(counts(out), new Map([['乌克兰', 2], ['克兰', 0], ['克服', 1]]))

  // An update that deletes one post and edits another subtracts what they held, as cut again from the stored texts.
  rmSync(join(posts, '2024-06-01-c.md'))
  post(posts, '2024-06-01-b', '访问基辅', '代表团抵达基辅。克服时差后开始会谈。')
  const report = await buildIndex({ postsDir: posts, outDir: out, workers: 1 })
  assert.equal(report.mode, 'incremental')
  const fresh = join(work, 'fresh')
  await buildIndex({ postsDir: posts, outDir: fresh, workers: 1, full: true })
  assert.deepEqual(counts(out), new Map([['乌克兰', 1], ['克兰', 0], ['克服', 1]]))
  assert.deepEqual(counts(out), counts(fresh))
})
