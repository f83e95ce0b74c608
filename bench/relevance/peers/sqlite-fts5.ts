import Database from 'better-sqlite3'
import type { Document } from '../../../src/ingest/document.js'
import { jiebaWords } from './jieba-words.js'
import { postFields, type Peer } from './peer.js'

/** Title counts twice the body in bm25(), as in the other peers; id and date are stored, not indexed. */
const RANK = 'bm25(posts, 0.0, 0.0, 2.0, 1.0)'

type Row = { id: string; date: string; title: string; body: string }

/** An in-memory FTS5 table `posts(id, date, title, body)` filled from the posts in one transaction. */
function openTable(tokenizer: string, docs: readonly Document[], text: (s: string) => string): Database.Database {
  const db = new Database(':memory:')
  db.exec(`CREATE VIRTUAL TABLE posts USING fts5(id UNINDEXED, date UNINDEXED, title, body, tokenize = '${tokenizer}')`)
  const insert = db.prepare<Row>('INSERT INTO posts (id, date, title, body) VALUES (@id, @date, @title, @body)')
  db.transaction(() => {
    for (const doc of docs) {
      const { title, body } = postFields(doc)
      insert.run({ id: doc.id, date: doc.date ?? '', title: text(title), body: text(body) })
    }
  })()
  return db
}

/** A string as an FTS5 phrase: double quotes, inner quotes doubled. */
function phrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** A query as SQL over `posts` selecting ids best first, with its parameters before the LIMIT; null matches nothing. */
type Plan = { sql: string; params: string[] } | null

/** An FTS5 peer: a tokenizer, what each field is turned into before insertion, and how a query becomes SQL. */
function fts5Peer(name: string, setup: string, tokenizer: string, text: (s: string) => string, plan: (query: string) => Plan): Peer {
  let db: Database.Database | null = null
  return {
    name,
    setup,
    build(docs) {
      db = openTable(tokenizer, docs, text)
    },
    search(query, k) {
      if (!db) throw new Error(`${name}: search before build`)
      const planned = plan(query)
      if (!planned) return []
      return db.prepare(`${planned.sql} LIMIT ?`).pluck().all(...planned.params, k) as string[]
    },
    close() {
      db?.close()
      db = null
    },
  }
}

/**
 * FTS5 with the trigram tokenizer over the raw text. The query is split on spaces; each piece of three or more
 * characters is a phrase (so it matches as a substring) and the pieces are ANDed and ranked by bm25(). Trigram
 * cannot match pieces of one or two characters, so those become `LIKE '%…%'` filters (a table scan); a query made
 * only of such pieces has no bm25 to rank by and lists its matches newest first.
 */
export function fts5Trigram(): Peer {
  return fts5Peer(
    'SQLite FTS5 trigram',
    'SQLite FTS5 (better-sqlite3 12), `tokenize = trigram` over raw title and body; query split on spaces, pieces ≥ 3 characters ANDed as phrases and ranked by bm25 (title ×2), pieces of 1–2 characters as LIKE filters; LIKE-only queries listed newest first.',
    'trigram',
    (s) => s,
    (query) => {
      const pieces = query.split(/\s+/).filter(Boolean)
      const long = pieces.filter((p) => [...p].length >= 3)
      const short = pieces.filter((p) => [...p].length < 3)
      const where: string[] = []
      const params: string[] = []
      if (long.length) {
        where.push('posts MATCH ?')
        params.push(long.map(phrase).join(' AND '))
      }
      for (const piece of short) {
        where.push("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
        params.push(likePattern(piece), likePattern(piece))
      }
      if (!where.length) return null
      return { sql: `SELECT id FROM posts WHERE ${where.join(' AND ')} ORDER BY ${long.length ? RANK : 'date DESC, id DESC'}`, params }
    },
  )
}

/**
 * FTS5 over jieba-segmented text: each field stored as its jieba words joined by spaces, tokenized by
 * unicode61; the query is cut by jieba the same way, every word a quoted phrase, ANDed, ranked by bm25().
 */
export function fts5Jieba(): Peer {
  return fts5Peer(
    'SQLite FTS5 jieba',
    'SQLite FTS5 (better-sqlite3 12), title and body stored as jieba words (no HMM) joined by spaces, `tokenize = unicode61`; query cut the same way, words ANDed, ranked by bm25 (title ×2).',
    'unicode61',
    (s) => jiebaWords(s).join(' '),
    (query) => {
      const words = jiebaWords(query)
      if (!words.length) return null
      return { sql: `SELECT id FROM posts WHERE posts MATCH ? ORDER BY ${RANK}`, params: [words.map(phrase).join(' AND ')] }
    },
  )
}
