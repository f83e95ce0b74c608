import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { addToSet, countInAll, denseSetsFor, denseThreshold, inSet, nextInAll } from '../../src/index/dense-sets.js'
import { END, PostingCursor } from '../../src/index/posting-cursor.js'
import { openIndex } from '../../src/index/reader.js'

let work = ''
after(() => work && rmSync(work, { recursive: true, force: true }))

test('each dense gram has a set of exactly its documents, and sets count what they share', async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-dense-sets-'))
  mkdirSync(join(work, 'posts'))
  // Sentences in every second, third, fifth … post: grams of every density, around the threshold too.
  const sentences = ['山路弯弯通向茶园', '采茶姑娘唱着山歌', '雨后的竹林格外清新', '村口老槐树下聚着乘凉的老人', '溪水绕过石桥流向远方', '集市上新茶飘香']
  for (let i = 0; i < 900; i++) {
    const body = sentences.filter((_, k) => i % (k + 2) === 0 || (i * 7 + k) % 11 === 0).join('，') || '今日无事'
    writeFileSync(join(work, 'posts', `2024-04-01-t${i}.md`), `---\ntitle: "茶乡手记${i % 40}"\ndate: 2024-04-01 08:00:00 +0800\n---\n<p>${body}。</p>\n`)
  }
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index') })
  const index = openIndex(join(work, 'index'))
  const n = index.docs.count
  const found = denseSetsFor(index.grams.denseSets, n)
  assert.ok(found, 'the grams space has dense sets for its documents')
  const sets = found
  assert.equal(denseSetsFor(index.grams.denseSets, n + 40), null, 'sets for another number of documents are not used')
  const docsOf = (term: number): number[] => {
    const cursor = new PostingCursor(index.grams, term)
    const docs: number[] = []
    for (let doc = cursor.next(); doc !== END; doc = cursor.next()) docs.push(doc)
    return docs
  }
  const dense: number[] = []
  let sparse = 0
  for (let term = 0; term < index.grams.terms; term++) {
    const set = sets.row(term)
    if (index.grams.df(term) < denseThreshold(n)) {
      assert.equal(set, null, `${index.grams.key(term)} (df ${index.grams.df(term)}) has no set`)
      sparse++
      continue
    }
    assert.ok(set !== null, `${index.grams.key(term)} (df ${index.grams.df(term)}) has a set`)
    const docs = new Set(docsOf(term))
    for (let doc = 0; doc < n; doc++) assert.equal(inSet(set, doc), docs.has(doc), `${index.grams.key(term)} doc ${doc}`)
    dense.push(term)
  }
  assert.ok(dense.length >= 20 && sparse >= 50, `grams on both sides of the threshold (${dense.length} dense, ${sparse} not)`)
  // Pairs and triples of dense grams: the count of documents in all equals the lists' intersection.
  for (let i = 0; i + 2 < dense.length; i += 3) {
    const group = [dense[i]!, dense[i + 1]!, dense[(i * 5 + 2) % dense.length]!]
    for (const terms of [group.slice(0, 1), group.slice(0, 2), group]) {
      const lists = terms.map((t) => new Set(docsOf(t)))
      const expected = [...lists[0]!].filter((doc) => lists.every((l) => l.has(doc))).length
      assert.equal(countInAll(terms.map((t) => sets.row(t)!)), expected, terms.map((t) => index.grams.key(t)).join(' '))
    }
  }
})

test('nextInAll finds the first document from a given one on that is in every set', () => {
  // Sets of 200 documents (seven 32-bit words, the last partly used), sparse and dense, with runs of
  // empty words between members, and members at word edges (31, 32, 63, 199).
  const documents = 200
  const words = Math.ceil(documents / 32)
  const members = [
    [0, 5, 31, 32, 40, 63, 100, 101, 150, 199],
    [5, 31, 33, 63, 64, 100, 150, 151, 199],
    Array.from({ length: documents }, (_, d) => d).filter((d) => d % 5 !== 2),
  ]
  const sets = members.map((docs) => {
    const set = new Uint32Array(words)
    for (const doc of docs) addToSet(set, doc)
    return set
  })
  for (const chosen of [[0], [0, 1], [0, 1, 2], [2, 1]]) {
    const inAll = (doc: number) => chosen.every((k) => members[k]!.includes(doc))
    for (let from = 0; from <= documents + 40; from++) {
      let expected: number = END
      for (let doc = from; doc < documents; doc++) {
        if (inAll(doc)) {
          expected = doc
          break
        }
      }
      assert.equal(nextInAll(chosen.map((k) => sets[k]!), from), expected, `sets ${chosen.join(',')} from ${from}`)
    }
  }
})
