// The suggestion index is built with the main index, stored beside it in the same generation,
// listed in the manifest with its size and checksum, and loaded (not rebuilt) with the engine.
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { crc32 } from 'node:zlib'
import { buildIndex } from '../../src/index/build.js'
import { CorruptIndexError } from '../../src/index/container.js'
import { MANIFEST, readManifest, type Manifest } from '../../src/index/manifest.js'
import { SearchEngine } from '../../src/search/engine.js'
import { suggestionsFor, SuggestionsUnavailableError } from '../../src/suggest/engine-suggestions.js'
import { SUGGEST_FILE } from '../../src/suggest/file.js'
import { REPO_ROOT } from '../helpers/shared.js'

let root: string
let indexDir: string
let manifest: Manifest

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'jiansuo-suggest-'))
  indexDir = join(root, 'index-data')
  await buildIndex({ postsDir: join(REPO_ROOT, 'demo', 'posts'), outDir: indexDir, workers: 1 })
  manifest = readManifest(indexDir)
})

after(() => rmSync(root, { recursive: true, force: true }))

/** A copy of the built index to damage. */
function copyIndex(name: string): string {
  const dir = join(root, name)
  cpSync(indexDir, dir, { recursive: true })
  return dir
}

describe('the stored suggestion index', () => {
  test('lives in the generation folder and the manifest records its size and CRC-32', () => {
    const entry = manifest.files[SUGGEST_FILE]
    assert.ok(entry, `manifest files: ${Object.keys(manifest.files).join(', ')}`)
    const bytes = readFileSync(join(indexDir, manifest.generation, SUGGEST_FILE))
    assert.equal(entry.bytes, bytes.length)
    assert.equal(entry.bytes, statSync(join(indexDir, manifest.generation, SUGGEST_FILE)).size)
    assert.equal(entry.crc32, crc32(bytes) >>> 0)
  })

  test('the engine loads it and suggests from the demo posts, once per loaded index', () => {
    const engine = SearchEngine.open(indexDir)
    const suggestions = suggestionsFor(engine)
    assert.equal(suggestionsFor(engine), suggestions)
    const hongqi = suggestions.suggest('红旗')
    assert.ok(hongqi.some((s) => s.kind === 'word' && s.text === '红旗区'), JSON.stringify(hongqi))
    const titles = hongqi.filter((s) => s.kind === 'title')
    assert.ok(titles.length > 0)
    for (const title of titles) {
      assert.match(title.text, /红旗/)
      const hit = engine.search({ q: title.text, page: 1, size: 10 }).hits.find((h) => h.id === title.id)
      assert.equal(hit?.title, title.text, `title suggestion ${title.id} names a document with that title`)
    }
    // The demo posts write Rust capitalised; the index keeps only `rust`.
    assert.ok(suggestions.suggest('ru').some((s) => s.kind === 'word' && s.text === 'Rust'))
    assert.notEqual(suggestionsFor(SearchEngine.open(indexDir)), suggestions)
  })

  test('a damaged suggestion file fails the open, naming the file', () => {
    const dir = copyIndex('damaged')
    const path = join(dir, manifest.generation, SUGGEST_FILE)
    const bytes = readFileSync(path)
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff
    writeFileSync(path, bytes)
    assert.throws(() => SearchEngine.open(dir), (error: unknown) => error instanceof CorruptIndexError && error.message.includes(SUGGEST_FILE))
  })

  test('an index built before suggestions still searches, and says suggestions need a rebuild', () => {
    const dir = copyIndex('older')
    const older = readManifest(dir)
    delete older.files[SUGGEST_FILE]
    writeFileSync(join(dir, MANIFEST), JSON.stringify(older))
    const engine = SearchEngine.open(dir)
    assert.ok(engine.search({ q: '红旗区', page: 1, size: 10 }).total > 0)
    assert.throws(() => suggestionsFor(engine), SuggestionsUnavailableError)
  })
})
