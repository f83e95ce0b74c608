import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'

let work = ''
after(() => work && rmSync(work, { recursive: true, force: true }))

test('with full length normalisation (b = 1), a post with an empty body or title still gets a finite score', async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-rank-'))
  mkdirSync(join(work, 'posts'))
  const post = (name: string, title: string, body: string) =>
    writeFileSync(join(work, 'posts', `2024-04-01-${name}.md`), `---\ntitle: "${title}"\ndate: 2024-04-01 09:00:00 +0800\n---\n${body}\n`)
  post('title-only', '湖泊观察', '')
  post('body-only', '——', '<p>湖泊的水位今年回升了。</p>')
  post('both', '湖泊保护', '<p>沿岸的湖泊湿地恢复了植被。</p>')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index') })
  const engine = SearchEngine.open(join(work, 'index'), { ranking: { titleB: 1, bodyB: 1 } })
  const r = engine.search({ q: '湖泊', page: 1, size: 10 })
  assert.equal(r.total, 3)
  for (const hit of r.hits) assert.ok(Number.isFinite(hit.score) && hit.score > 0, `${hit.id}: score ${hit.score}`)
})

test('of two posts holding the terms alike, the one naming them in its first sentence ranks first (the lead bonus)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-lead-'))
  try {
    mkdirSync(join(dir, 'posts'))
    const post = (name: string, paragraphs: string[]) =>
      writeFileSync(join(dir, 'posts', `2024-04-01-${name}.md`), `---\ntitle: "春季见闻"\ndate: 2024-04-01 09:00:00 +0800\n---\n${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}\n`)
    const story = '湖泊治理取得明显进展。'
    const filler = '今年春天天气晴朗，公园里游客很多，孩子们在草地上放风筝。'.repeat(4)
    // Same words, same counts, same length: only where the story sits differs. The mention sorts first.
    post('a-mention', [filler, story])
    post('b-story', [story, filler])
    await buildIndex({ postsDir: join(dir, 'posts'), outDir: join(dir, 'index') })
    const ranked = (lead?: number) =>
      SearchEngine.open(join(dir, 'index'), lead === undefined ? {} : { ranking: { lead } }).search({ q: '湖泊 治理', page: 1, size: 10 }).hits
    const without = ranked(0)
    assert.equal(without.length, 2)
    assert.equal(without[0]!.score, without[1]!.score, 'without the bonus the posts score alike')
    assert.deepEqual(ranked().map((h) => h.id), ['2024-04-01-b-story', '2024-04-01-a-mention'])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
