import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { Container, CorruptIndexError, writeContainer } from '../../src/index/container.js'
import { normalize } from '../../src/analysis/normalize.js'
import { DocStore, docStoreSections, TEXT_BLOB, type DocumentRecord, type StoredDocument } from '../../src/index/doc-store.js'
import { sliceTexts, storeTexts } from '../../src/index/doc-store-text.js'

function record(stored: StoredDocument): DocumentRecord {
  return { stored, titleUnits: stored.title.length, bodyUnits: stored.text.length, dateMs: NaN, dateDay: 0 }
}

/**
 * Writes the records as docs.idx and opens the file again, as the reader does (the texts in memory,
 * or `onDisk` as a server leaves them).
 */
function roundTrip(records: DocumentRecord[], edit?: (meta: Record<string, unknown>) => void, onDisk: string[] = []): DocStore {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-docstore-'))
  try {
    const { sections, meta } = docStoreSections(records)
    const header = { ...meta } as unknown as Record<string, unknown>
    edit?.(header)
    const path = join(dir, 'docs.idx')
    const written = writeContainer(path, header, sections)
    const container = Container.open(path, written, { onDisk })
    return new DocStore(container, container.meta as ConstructorParameters<typeof DocStore>[1])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// Written for this test: shaped like the archive's posts (ids repeated in paths and links, dated ids).
const documents: StoredDocument[] = [
  {
    id: '2024-03-05-VIDEk3Jq9TzPmWb240305',
    path: 'news/2024-03-05-VIDEk3Jq9TzPmWb240305.md',
    title: '春耕时节田间忙',
    url: 'https://example.cn/2024/03/05/VIDEk3Jq9TzPmWb240305.shtml',
    date: '2024-03-05T19:00:00+08:00',
    categories: ['news'],
    tags: ['农业', '春耕', '农业'],
    source: null,
    text: '各地抓住有利天气开展春耕。\n农技人员深入田间地头指导。',
  },
  {
    id: '2024-03-06-a1',
    path: 'news/2024-03-06-a1.md',
    title: 'Rust 1.80 released',
    url: null,
    date: null,
    categories: [],
    tags: [],
    source: '本报讯',
    text: '',
  },
  {
    // Nothing shared between id and the other fields; a title with a character outside the BMP.
    id: 'x',
    path: 'misc/other-name.html',
    title: '𠮷野家 🍜 开业',
    url: 'http://example.org/p?id=42',
    date: '2019-01-01T00:00:00+00:00',
    categories: ['杂谈', 'misc'],
    tags: ['美食'],
    source: '来源：网络',
    text: 'Latin only text, repeated. '.repeat(200),
  },
  {
    // An id holding a surrogate pair, and a link whose character before `b-2020` shares only the pair's
    // low half (U+20FB7 against U+20BB7): the longest shared slice then starts between the halves.
    id: 'a𠮷b-2020',
    path: 'emoji/a𠮷b-2020.md',
    title: '',
    url: 'https://example.cn/\u{20FB7}b-2020/',
    date: '2020-02-02T08:00:00+08:00',
    categories: ['emoji'],
    tags: [],
    source: null,
    text: '𠮷'.repeat(10) + '\n' + '长江经济带'.repeat(50),
  },
]

test('display fields, titles and texts come back exactly as stored', () => {
  const store = roundTrip(documents.map(record))
  assert.equal(store.count, documents.length)
  documents.forEach((doc, i) => {
    const { text, ...display } = doc
    assert.deepEqual(store.display(i), display, `display of ${doc.id}`)
    assert.equal(store.title(i), doc.title)
    assert.equal(store.id(i), doc.id)
    assert.equal(store.text(i), text)
    // Again: the second read comes from the decoded cache and must agree.
    assert.equal(store.text(i), text)
  })
})

test('many documents: every text comes back, in any order', () => {
  const many: StoredDocument[] = Array.from({ length: 500 }, (_, i) => ({
    ...documents[i % documents.length]!,
    id: `2024-01-${String((i % 28) + 1).padStart(2, '0')}-n${i}`,
    path: `news/2024-01-${String((i % 28) + 1).padStart(2, '0')}-n${i}.md`,
    text: `第${i}条：` + '今年一季度，国民经济开局良好，'.repeat(i % 13) + `编号${i * 7919}`,
  }))
  const store = roundTrip(many.map(record))
  for (let k = 0; k < many.length; k++) {
    const i = (k * 211) % many.length
    assert.equal(store.text(i), many[i]!.text)
    assert.equal(store.display(i).path, many[i]!.path)
  }
})

/** Sections with a section given in pieces joined, to compare the bytes written. */
function joined(sections: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(sections).map(([name, data]) => [name, Array.isArray(data) ? Buffer.concat(data as Uint8Array[]) : data]))
}

test('texts stored in runs (as the build workers do) give the same sections; runs that do not cover every record are stored again', () => {
  const many: StoredDocument[] = Array.from({ length: 300 }, (_, i) => ({
    ...documents[i % documents.length]!,
    id: `n${i}`,
    text: `第${i}段` + '春耕时节，农技人员深入田间。'.repeat(i % 7) + (i % 5 === 0 ? '' : `编号${i * 31}`),
  }))
  const records = many.map(record)
  const texts = many.map((d) => d.text)
  const whole = docStoreSections(records)
  const runs = [texts.slice(0, 120), texts.slice(120, 126), texts.slice(126)].map((run) => storeTexts(run))
  assert.deepEqual(joined(docStoreSections(records, runs).sections), joined(whole.sections))
  // Runs cut out of longer runs (an update keeps stretches of the previous store) join the same.
  const all = storeTexts(texts)
  const cut = [sliceTexts(all, 0, 7), sliceTexts(all, 7, 8), sliceTexts(all, 8, 300)]
  assert.deepEqual(joined(docStoreSections(records, cut).sections), joined(whole.sections))
  // Runs that cover fewer documents are not used.
  assert.deepEqual(joined(docStoreSections(records, runs.slice(0, 2)).sections), joined(whole.sections))
})

test('texts come back code unit for code unit, lone surrogates and empty texts included', () => {
  const odd = ['a\ud800b', '', '𠀀😀中文', '\udc00', 'plain ASCII', '']
  const store = roundTrip(odd.map((text, i) => record({ ...documents[0]!, id: `o${i}`, text })))
  odd.forEach((text, i) => assert.ok(store.text(i) === text, `text ${i}`))
})

test('a text read with its fold is the text and normalize() of it, whether the texts are in memory or on disk', () => {
  const texts = ['紅旗區，ＡＢＣ\ud800（斷頭路）\udc00ｘ１２。', '', '𠀀😀中文', 'Ｑ', '長江禁漁'.repeat(20_000), '短文。', 'plain ASCII']
  const records = texts.map((text, i) => record({ ...documents[0]!, id: `f${i}`, text }))
  for (const onDisk of [[], [TEXT_BLOB]]) {
    const store = roundTrip(records, undefined, onDisk)
    // Twice over, longer and shorter in turn: a buffer kept between reads must not leak a longer text's tail.
    for (let round = 0; round < 2; round++) {
      texts.forEach((text, i) => {
        const { text: read, folded } = store.foldedText(i)
        assert.ok(read === text, `text ${i}, ${onDisk.length ? 'on disk' : 'in memory'}`)
        assert.ok(folded === normalize(text), `fold of text ${i}`)
      })
    }
    // Folded in a buffer of its own: the texts held in memory are left as they were.
    texts.forEach((text, i) => assert.ok(store.text(i) === text, `text ${i} after folding`))
  }
})

test('texts folded in document order, a window at a time, are normalize() of each: skipping, going back, longer than a window, in memory or on disk', () => {
  const texts = Array.from({ length: 400 }, (_, i) =>
    i % 97 === 0 ? '長江禁漁，ＡＢＣ'.repeat(3_000) : i % 11 === 0 ? '' : `第${i}條：紅旗區（斷頭路）\ud800Ｘ` + '國民經濟。'.repeat(i % 17),
  )
  const records = texts.map((text, i) => record({ ...documents[0]!, id: `w${i}`, text }))
  // Every text in order; every third (skipping past windows); then back to the start, and a text asked twice.
  const passes = [texts.map((_, i) => i), texts.map((_, i) => i).filter((i) => i % 3 === 0), [5, 6, 7, 2, 3, 3, 150, 97, 98, 1]]
  for (const onDisk of [[], [TEXT_BLOB]]) {
    const store = roundTrip(records, undefined, onDisk)
    for (const pass of passes) for (const i of pass) assert.ok(store.foldedInOrder(i) === normalize(texts[i]!), `text ${i}, ${onDisk.length ? 'on disk' : 'in memory'}`)
    // Folded in a buffer of its own: the texts held in memory are left as they were.
    texts.forEach((text, i) => assert.ok(store.text(i) === text, `text ${i} after folding`))
  }
})

test('a document store of another layout is refused with a request to rebuild', () => {
  assert.throws(
    () => roundTrip(documents.map(record), (meta) => (meta.layout = 1)),
    (error: unknown) => error instanceof CorruptIndexError && /docs\.idx/.test(error.message) && /rebuild/.test(error.message),
  )
})
