import { join } from 'node:path'
import Database from 'better-sqlite3'
import { jiebaWords } from '../../relevance/peers/jieba-words.js'
import { postFields } from '../../relevance/peers/peer.js'
import { secondsSince, type ScaleSystem } from './system.js'

const DB_FILE = 'posts.sqlite'

/**
 * Top-k with the title highlighted and a body snippet of up to 24 tokens, ranked by bm25 with the title
 * counting twice the body (the relevance benchmark's weights).
 */
const SEARCH_SQL = `SELECT id, highlight(posts, 2, '<mark>', '</mark>') AS title_html,
  snippet(posts, 3, '<mark>', '</mark>', '…', 24) AS snippet_html
  FROM posts WHERE posts MATCH ? ORDER BY bm25(posts, 0.0, 0.0, 2.0, 1.0) LIMIT ?`

/** A query as FTS5 syntax: its jieba words, each a quoted phrase, all required; null when it has none. */
function matchExpression(query: string): string | null {
  const words = jiebaWords(query)
  return words.length ? words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ') : null
}

export const sqliteFts5Jieba: ScaleSystem = {
  key: 'fts5',
  name: 'SQLite FTS5 jieba',
  setup: "SQLite FTS5 (better-sqlite3 12) in a database file, title and body stored as jieba words (no HMM) joined by spaces, `tokenize = unicode61`, as in bench/relevance; bulk load in one transaction with `journal_mode = OFF, synchronous = OFF`, then FTS5 `'optimize'` (merges the b-trees; its seconds are in the build); query words ANDed, ranked by bm25 (title ×2), top 10 with `highlight()` of the title and `snippet()` of the body (over the space-separated words).",
  snippets: true,
  wantsDocuments: true,
  async build({ documents }, indexDir) {
    const started = performance.now()
    const db = new Database(join(indexDir, DB_FILE))
    db.pragma('journal_mode = OFF')
    db.pragma('synchronous = OFF')
    db.exec("CREATE VIRTUAL TABLE posts USING fts5(id UNINDEXED, date UNINDEXED, title, body, tokenize = 'unicode61')")
    const insert = db.prepare('INSERT INTO posts (id, date, title, body) VALUES (?, ?, ?, ?)')
    db.transaction(() => {
      for (const doc of documents) {
        const { title, body } = postFields(doc)
        insert.run(doc.id, doc.date ?? '', jiebaWords(title).join(' '), jiebaWords(body).join(' '))
      }
    })()
    const inserted = performance.now()
    db.exec("INSERT INTO posts (posts) VALUES ('optimize')")
    db.close()
    return { indexSeconds: secondsSince(started), saveSeconds: 0, details: { optimizeSeconds: secondsSince(inserted) } }
  },
  async open(indexDir) {
    const db = new Database(join(indexDir, DB_FILE), { readonly: true, fileMustExist: true })
    const statement = db.prepare<[string, number], { id: string; title_html: string; snippet_html: string }>(SEARCH_SQL)
    return {
      search(q, k) {
        const expression = matchExpression(q)
        return expression ? statement.all(expression, k).length : 0
      },
      close: () => db.close(),
    }
  },
}
