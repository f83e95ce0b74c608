import type { Document } from '../../../src/ingest/document.js'

/** One search system under test, driven exactly like every other: index the posts, answer a query string. */
export interface Peer {
  readonly name: string
  /** How the system is set up and how it treats a query, in a sentence for the results' notes. */
  readonly setup: string
  build(docs: readonly Document[]): Promise<void> | void
  /** Document ids, best first, at most k. */
  search(query: string, k: number): string[]
  /** Frees what the system holds so the next one is measured on a clean heap. */
  close?(): void
}

/** What peers index from a post: its title and its body paragraphs, one per line. */
export function postFields(doc: Document): { title: string; body: string } {
  return { title: doc.title, body: doc.paragraphs.join('\n') }
}
