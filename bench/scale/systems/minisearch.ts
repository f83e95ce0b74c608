import { join } from 'node:path'
import MiniSearch, { type Options } from 'minisearch'
import { jiebaWords } from '../../relevance/peers/jieba-words.js'
import { postFields } from '../../relevance/peers/peer.js'
import { readNdjson, writeNdjson } from '../ndjson.js'
import { secondsSince, type ScaleSystem } from './system.js'

const EXPORT_FILE = 'minisearch.ndjson'

type Post = { id: string; title: string; body: string }
type Plain = ReturnType<MiniSearch['toJSON']>

/** The relevance benchmark's "MiniSearch jieba" configuration (bench/relevance/peers/minisearch.ts). */
const OPTIONS: Options<Post> = {
  idField: 'id',
  fields: ['title', 'body'],
  tokenize: jiebaWords,
  searchOptions: { boost: { title: 2 }, combineWith: 'AND' },
}

/** `toJSON()` split into lines: everything but the term index first, then one line per term. */
function* exportLines(index: MiniSearch<Post>): Generator<unknown> {
  const { index: terms, ...rest } = index.toJSON()
  yield rest
  yield* terms
}

export const minisearchJieba: ScaleSystem = {
  key: 'minisearch',
  name: 'MiniSearch jieba',
  setup: "MiniSearch 7, fields title + body, `tokenize` = jieba cut (no HMM), BM25, title boost 2, `combineWith: 'AND'`, as in bench/relevance; saved as its `toJSON()` (one line per term), loaded with `loadJS`; a search scores every match and the first 10 are kept; ids only (no snippets).",
  snippets: false,
  wantsDocuments: true,
  async build({ documents }, indexDir) {
    let started = performance.now()
    const index = new MiniSearch<Post>(OPTIONS)
    index.addAll(documents.map((doc) => ({ id: doc.id, ...postFields(doc) })))
    const indexSeconds = secondsSince(started)
    started = performance.now()
    const lines = writeNdjson(join(indexDir, EXPORT_FILE), exportLines(index))
    return { indexSeconds, saveSeconds: secondsSince(started), details: { terms: lines - 1 } }
  },
  async open(indexDir) {
    let header: Omit<Plain, 'index'> | undefined
    const terms: Plain['index'] = []
    for await (const line of readNdjson<unknown>(join(indexDir, EXPORT_FILE))) {
      if (header === undefined) header = line as Omit<Plain, 'index'>
      else terms.push(line as Plain['index'][number])
    }
    if (!header) throw new Error(`empty MiniSearch export in ${indexDir}`)
    const index = MiniSearch.loadJS<Post>({ ...header, index: terms }, OPTIONS)
    return {
      search: (q, k) => index.search(q).slice(0, k).length,
      close() {},
    }
  },
}
