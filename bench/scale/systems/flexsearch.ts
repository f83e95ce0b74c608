import { join } from 'node:path'
import { Document as FlexDocument } from 'flexsearch'
import { jiebaWords } from '../../relevance/peers/jieba-words.js'
import { postFields } from '../../relevance/peers/peer.js'
import { readNdjson, writeNdjson } from '../ndjson.js'
import { secondsSince, type ScaleSystem } from './system.js'

type Post = { id: string; title: string; body: string }

const EXPORT_FILE = 'flexsearch.ndjson'

/** The relevance benchmark's "FlexSearch jieba" configuration (bench/relevance/peers/flexsearch.ts). */
function newIndex(): FlexDocument<Post> {
  return new FlexDocument<Post>({ encode: jiebaWords, tokenize: 'strict', document: { id: 'id', index: ['title', 'body'] } })
}

/** The export's chunks as they come; with a synchronous handler FlexSearch exports synchronously. */
function exportChunks(index: FlexDocument<Post>): [string, string][] {
  const chunks: [string, string][] = []
  void index.export((key, data) => {
    chunks.push([key, data])
  })
  return chunks
}

export const flexsearchJieba: ScaleSystem = {
  key: 'flexsearch',
  name: 'FlexSearch jieba',
  setup: 'FlexSearch 0.8 Document (title, body), `encode` = jieba cut (no HMM), tokenize strict, no context index, as in bench/relevance; saved with `export()`, one `[key, data]` JSON line per chunk, loaded with `import()`; search `{limit: 10, merge: true}` returns ids only (no snippets, no stored text).',
  snippets: false,
  wantsDocuments: true,
  async build({ documents }, indexDir) {
    let started = performance.now()
    const index = newIndex()
    for (const doc of documents) index.add({ id: doc.id, ...postFields(doc) })
    const indexSeconds = secondsSince(started)
    started = performance.now()
    const chunks = writeNdjson(join(indexDir, EXPORT_FILE), exportChunks(index))
    return { indexSeconds, saveSeconds: secondsSince(started), details: { chunks } }
  },
  async open(indexDir) {
    const index = newIndex()
    for await (const [key, data] of readNdjson<[string, string]>(join(indexDir, EXPORT_FILE))) index.import(key, data)
    return {
      search: (q, k) => (index.search({ query: q, limit: k, merge: true }) as unknown as unknown[]).length,
      close() {},
    }
  },
}
