import MiniSearch from 'minisearch'
import type { Document } from '../../../src/ingest/document.js'
import { jiebaWords } from './jieba-words.js'
import { postFields, type Peer } from './peer.js'

/** MiniSearch (BM25+) over jieba words, title boosted 2×, every query word required (`combineWith: 'AND'`). */
export function minisearchJieba(): Peer {
  let index: MiniSearch | null = null
  return {
    name: 'MiniSearch jieba',
    setup: "MiniSearch 7, fields title + body, `tokenize` = jieba cut (no HMM), default BM25, `boost: {title: 2}`, `combineWith: 'AND'`; query cut the same way.",
    build(docs: readonly Document[]) {
      index = new MiniSearch({
        idField: 'id',
        fields: ['title', 'body'],
        tokenize: jiebaWords,
        searchOptions: { boost: { title: 2 }, combineWith: 'AND' },
      })
      index.addAll(docs.map((doc) => ({ id: doc.id, ...postFields(doc) })))
    },
    search(query, k) {
      if (!index) throw new Error('MiniSearch: search before build')
      return index
        .search(query)
        .slice(0, k)
        .map((hit) => String(hit.id))
    },
    close() {
      index = null
    },
  }
}
