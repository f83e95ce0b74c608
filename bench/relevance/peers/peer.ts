import type { Document } from '../../../src/ingest/document.js'

/** One search system under test, driven exactly like every other: index the posts, answer a query string. */
export interface Peer {
  readonly name: string
  /** How the system is set up and how it treats a query, in a sentence for the results' notes. */
  readonly setup: string
  build(docs: readonly Document[]): Promise<void> | void
  /** Document ids, best first, at most k; a system whose search API is asynchronous returns a promise. */
  search(query: string, k: number): string[] | Promise<string[]>
  /** Bytes of the index the build wrote to disk, for systems that write one. */
  indexBytes?(): number
  /** Frees what the system holds so the next one is measured on a clean heap. */
  close?(): void | Promise<void>
}

/** What peers index from a post: its title and its body paragraphs, one per line. */
export function postFields(doc: Document): { title: string; body: string } {
  return { title: doc.title, body: doc.paragraphs.join('\n') }
}
