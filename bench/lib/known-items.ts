/**
 * Title known-item queries: a post's exact title, asked of a system that should rank that post first.
 * Only titles that no other post carries qualify (the daily roundups repeat theirs).
 */
import type { Document } from '../../src/ingest/document.js'

export interface KnownItem {
  docId: string
  title: string
}

/** Posts whose trimmed, non-empty title is unique in `docs`, in id order. */
export function uniqueTitleItems(docs: readonly Pick<Document, 'id' | 'title'>[]): KnownItem[] {
  const uses = new Map<string, number>()
  for (const d of docs) {
    const title = d.title.trim()
    if (title) uses.set(title, (uses.get(title) ?? 0) + 1)
  }
  return docs
    .filter((d) => uses.get(d.title.trim()) === 1)
    .map((d) => ({ docId: d.id, title: d.title.trim() }))
    .sort((a, b) => (a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : 0))
}
