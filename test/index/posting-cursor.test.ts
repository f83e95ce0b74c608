import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { END, PostingCursor } from '../../src/index/posting-cursor.js'
import { openIndex, type IndexReader } from '../../src/index/reader.js'
import { CHECKPOINT_EVERY } from '../../src/index/checkpoints.js'

/**
 * An archive large enough that common grams span many blocks of postings: 900 posts whose paragraphs
 * are drawn (seeded) from a few sentences, so some grams are in nearly every post and some in few.
 */
const SENTENCES = ['河边的柳树发了新芽', '老街口新开了一家面馆', '雨后山路湿滑请慢行', '孩子们在操场上放风筝', '图书馆周末延长开放时间', '果园里的桃花开得正盛']
let work = ''
let index: IndexReader

function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-cursor-'))
  const posts = join(work, 'posts')
  mkdirSync(posts)
  const random = seeded(7)
  for (let i = 0; i < 900; i++) {
    const paragraphs = Array.from({ length: 1 + Math.floor(random() * 4) }, () => SENTENCES[Math.floor(random() * SENTENCES.length)]!)
    const title = random() < 0.3 ? '新芽与风筝' : `第${i}篇随笔`
    writeFileSync(join(posts, `2024-01-01-p${i}.md`), `---\ntitle: "${title}"\ndate: 2024-01-01 08:00:00 +0800\n---\n${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}\n`)
  }
  await buildIndex({ postsDir: posts, outDir: join(work, 'index') })
  index = openIndex(join(work, 'index'))
})

after(() => rmSync(work, { recursive: true, force: true }))

interface Posting {
  doc: number
  tfTitle: number
  tfBody: number
  title: number[]
  body: number[]
}

/** Every posting of a term read one by one, positions included. */
function readAll(term: number): Posting[] {
  const cursor = new PostingCursor(index.grams, term)
  const out: Posting[] = []
  for (let doc = cursor.next(); doc !== END; doc = cursor.next()) {
    const title = new Uint32Array(cursor.tfTitle)
    const body = new Uint32Array(cursor.tfBody)
    cursor.positions(title, body)
    out.push({ doc, tfTitle: cursor.tfTitle, tfBody: cursor.tfBody, title: [...title], body: [...body] })
  }
  return out
}

test('common grams span several blocks, and next() reads every posting in document order', () => {
  const term = index.grams.lookup('新芽')
  assert.ok(term >= 0)
  const all = readAll(term)
  assert.equal(all.length, index.grams.df(term))
  assert.ok(all.length > 3 * CHECKPOINT_EVERY, `新芽 is in ${all.length} posts`)
  for (let i = 1; i < all.length; i++) assert.ok(all[i]!.doc > all[i - 1]!.doc)
  // Positions are where the gram really is: 新芽 closes the first sentence, and starts the title 新芽与风筝.
  for (const p of all) {
    assert.equal(p.body.length, p.tfBody)
    if (p.tfTitle > 0) assert.deepEqual(p.title, [0])
  }
})

test('advance() lands on the first posting at or after any target, with the same counts and positions as reading in order, also after rewind()', () => {
  const random = seeded(11)
  for (const key of ['新芽', '风筝', '面馆', '的', '桃花', '随笔']) {
    const term = index.grams.lookup(key)
    assert.ok(term >= 0, key)
    const all = readAll(term)
    const reused = new PostingCursor(index.grams, term)
    for (let trial = 0; trial < 40; trial++) {
      // Every other trial rewinds the cursor the last one left part way, which must read as a new one.
      if (trial % 2 === 1) reused.rewind()
      const cursor = trial % 2 === 1 ? reused : new PostingCursor(index.grams, term)
      // A rising sequence of targets, some far apart (skipping whole blocks), some close.
      let target = 0
      while (target < 960) {
        target += random() < 0.5 ? Math.floor(random() * 4) : Math.floor(random() * 300)
        const got = cursor.advance(target)
        const want = all.find((p) => p.doc >= target)
        if (!want) {
          assert.equal(got, END, `${key} after ${target}`)
          break
        }
        assert.equal(got, want.doc, `${key}: advance(${target})`)
        assert.equal(cursor.tfTitle, want.tfTitle)
        assert.equal(cursor.tfBody, want.tfBody)
        if (random() < 0.5 && cursor.hasPositions) {
          const title = new Uint32Array(want.tfTitle)
          const body = new Uint32Array(want.tfBody)
          cursor.positions(title, body)
          assert.deepEqual([...title], want.title, `${key} title positions in ${got}`)
          assert.deepEqual([...body], want.body, `${key} body positions in ${got}`)
        }
      }
    }
  }
})

test('a cursor past its last posting stays at END', () => {
  const term = index.grams.lookup('面馆')
  const cursor = new PostingCursor(index.grams, term)
  assert.equal(cursor.advance(1_000_000), END)
  assert.equal(cursor.next(), END)
  assert.equal(cursor.advance(0), END)
})
