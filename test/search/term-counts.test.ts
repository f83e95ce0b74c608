import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { createSegmenter } from '../../src/analysis/segment.js'
import { buildIndex } from '../../src/index/build.js'
import { END, PostingCursor } from '../../src/index/posting-cursor.js'
import { openIndex, type IndexReader } from '../../src/index/reader.js'
import { TermPlan, type TermCursor } from '../../src/search/match.js'
import { phraseOf } from '../../src/search/query-terms.js'
import { corpusIndex, SKIP_NO_SHARED } from '../helpers/shared.js'

/**
 * A term that is also a jieba word is counted from the word's postings when they settle it, without
 * reading positions (TermCursor.settled). These tests hold that shortcut to the positional count:
 * a cursor opened with `settle: false` always lines positions up, so it is the oracle.
 */

const analyzer = new Analyzer(createSegmenter())

function planFor(index: IndexReader, text: string, field: 'any' | 'title' = 'any'): TermPlan {
  const term = phraseOf(text, analyzer, field)
  assert.ok(term, `${text} makes a query term`)
  return new TermPlan(index, term)
}

/**
 * Every document the term matches, with its title and body counts and where it starts in the body, as
 * the word settles them and as positions line up.
 */
function countsBothWays(plan: TermPlan): { shortcut: string[]; positional: string[]; used: boolean } {
  const walk = (settle: boolean, withStarts: boolean) => {
    const cursor = plan.open(withStarts, settle)
    return { out: matches(cursor, withStarts), used: cursor.word !== null }
  }
  const fast = walk(true, false)
  const fastStarts = walk(true, true)
  assert.equal(fastStarts.used, fast.used, 'a cursor with starts settles documents too')
  return { shortcut: [...fast.out, ...fastStarts.out], positional: [...walk(false, false).out, ...walk(false, true).out], used: fast.used }
}

/** The documents a cursor matches from where it stands, with their counts and, `withStarts`, body starts; stops after `limit`. */
function matches(cursor: TermCursor, withStarts: boolean, limit = Infinity): string[] {
  const out: string[] = []
  for (let doc = cursor.candidate(0); doc !== END && out.length < limit; doc = cursor.candidate(doc + 1)) {
    if (cursor.matchAt(doc)) out.push(`${doc}:${cursor.tfTitle}/${cursor.tfBody}${withStarts ? `@${[...cursor.bodyStartBuffer.subarray(0, cursor.bodyStartCount)].join(',')}` : ''}`)
  }
  return out
}

/**
 * Every `every`-th word of the index with at least 20 documents and `minChars` characters, common and
 * rare words both, with the plan of the query term it spells.
 */
function* sampledWords(index: IndexReader, every: number, minChars: number): Generator<{ id: number; word: string; plan: TermPlan }> {
  let seen = 0
  for (let id = 0; id < index.words.terms; id++) {
    const word = index.words.key(id)
    if ([...word].length < minChars || index.words.df(id) < 20 || seen++ % every !== 0) continue
    const term = phraseOf(word, analyzer, 'any')
    if (term) yield { id, word, plan: new TermPlan(index, term) }
  }
}

let work = ''
after(() => work && rmSync(work, { recursive: true, force: true }))

test('a word counted from its postings agrees with its positions, also where its characters occur outside the word', async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-term-counts-'))
  mkdirSync(join(work, 'posts'))
  const posts: [string, string][] = [
    // 高质量 as a word, and 质量 alone: the grams outnumber the word, so positions must decide.
    ['高质量发展的新路径', '推动高质量发展。产品质量是企业的生命，质量第一。高质量的服务赢得口碑。'],
    // Only the word: its counts settle the term.
    ['高质量服务', '高质量服务体系建设。他们坚持高质量标准。'],
    // The characters across a word boundary (提高/质量) and as a word, and each gram elsewhere too (提高质检,
    // 产品质量): the word counts one, the grams three, the term two.
    ['标准提得高质量就好', '我们要提高质量，也要高质量发展。提高质检水平，抓好产品质量。'],
    // Title only.
    ['高质量', '今天天气晴朗，适合出门散步。'],
    ['无关的消息', '城市公园新修了步道。'],
    // 高质 without 质量, so 质量 is the rarer gram: the starts are its positions less one.
    ['质检通报', '今年提高质检频次。'],
    ['抽检安排', '下月继续提高质检覆盖面。'],
  ]
  posts.forEach(([title, body], i) =>
    writeFileSync(join(work, 'posts', `2024-05-0${i + 1}-p${i}.md`), `---\ntitle: "${title}"\ndate: 2024-05-0${i + 1} 09:00:00 +0800\n---\n<p>${body}</p>\n`),
  )
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index') })
  const index = openIndex(join(work, 'index'))
  for (const field of ['any', 'title'] as const) {
    const plan = planFor(index, '高质量', field)
    assert.ok(plan.word >= 0, '高质量 is a jieba word in this index')
    assert.equal(plan.offsets[0], 1, '质量, second in the term, is its rarer gram')
    const { shortcut, positional, used } = countsBothWays(plan)
    assert.ok(used, 'the shortcut is in play')
    assert.equal(shortcut.length, 8, 'four posts hold it, each in its title (counted with and without starts)')
    assert.deepEqual(shortcut, positional, `${field}: the same documents and counts`)
  }
})

test('on the shared corpus, words of three or more characters count the same from their postings as from positions', async (t) => {
  const dir = await corpusIndex()
  if (!dir) return t.skip(SKIP_NO_SHARED)
  const index = openIndex(dir)
  let terms = 0
  let documents = 0
  for (const { word, plan } of sampledWords(index, 40, 3)) {
    if (plan.word < 0) continue
    const { shortcut, positional } = countsBothWays(plan)
    assert.deepEqual(shortcut, positional, word)
    terms++
    documents += positional.length / 2
  }
  console.log(`# word-settled counts: ${terms} words, ${documents} matching documents, all equal to the positional counts`)
  assert.ok(terms >= 50, `only ${terms} words checked`)
})

test('on the shared corpus, a rewound cursor matches the same documents, counts and starts as a newly opened one', async (t) => {
  const dir = await corpusIndex()
  if (!dir) return t.skip(SKIP_NO_SHARED)
  const index = openIndex(dir)
  let terms = 0
  for (const { word, plan } of sampledWords(index, 40, 2)) {
    for (const [withStarts, settle] of [[true, true], [true, false], [false, true]] as const) {
      const fresh = matches(plan.open(withStarts, settle), withStarts)
      const reused = plan.open(withStarts, settle)
      // Left part way, after reading positions (the rerank rewinds its cursors between batches).
      matches(reused, withStarts, Math.ceil(fresh.length / 2))
      reused.rewind()
      assert.deepEqual(matches(reused, withStarts), fresh, `${word} (starts ${withStarts}, settle ${settle})`)
    }
    terms++
  }
  assert.ok(terms >= 100, `only ${terms} words checked`)
})

test('on the shared corpus, a word is never more frequent in a field than the term it spells (the walk bounds scores by it)', async (t) => {
  const dir = await corpusIndex()
  if (!dir) return t.skip(SKIP_NO_SHARED)
  const index = openIndex(dir)
  let words = 0
  let postings = 0
  // Two-character words too, and sub-words of longer tokens.
  for (const { id, word, plan } of sampledWords(index, 25, 2)) {
    const counted = plan.open(false, false)
    const postingsOfWord = new PostingCursor(index.words, id)
    for (let doc = postingsOfWord.advance(0); doc !== END; doc = postingsOfWord.advance(doc + 1)) {
      assert.ok(counted.matchAt(doc), `${word}: document ${doc} holds the word but not the term`)
      assert.ok(postingsOfWord.tfTitle <= counted.tfTitle && postingsOfWord.tfBody <= counted.tfBody, `${word} in document ${doc}: word ${postingsOfWord.tfTitle}/${postingsOfWord.tfBody}, term ${counted.tfTitle}/${counted.tfBody}`)
      postings++
    }
    words++
  }
  console.log(`# words within their terms: ${words} words, ${postings} postings`)
  assert.ok(words >= 100, `only ${words} words checked`)
})
