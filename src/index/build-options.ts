// What a build is asked to do and what it reports, apart from build.ts: the build's steps read them too.
import type { IngestNote } from '../ingest/document.js'
import type { Skip } from './build-worker.js'

export interface BuildOptions {
  postsDir: string
  outDir: string
  /** Worker threads for parsing and analysis; defaults to the machine's cores. */
  workers?: number
  /** Extra jieba dictionary lines (`word [freq [tag]]`). */
  userDictionary?: string
  /** Synonym groups, one per line (`电动车, 新能源汽车`); applied to queries, so changing them needs no re-analysis. */
  synonyms?: string
  /** Re-read every post even when the previous index could be updated in place. */
  full?: boolean
  onProgress?: (done: number, total: number) => void
}

export interface BuildReport {
  documents: number
  skipped: Skip[]
  notes: IngestNote[]
  /** Distinct terms across both term spaces. */
  terms: number
  /** Bytes of the written index files. */
  bytes: number
  seconds: number
  indexDir: string
  generation: string
  /** How the build went about it: a full build, or an update of the previous index. */
  mode: 'full' | 'incremental'
  /** Why a full build read every post (no index yet, asked for, the dictionary changed …); absent for an update. */
  fullBecause?: string
  /** Post files read and analyzed this time (all of them in a full build). */
  reprocessed: number
  /** In an update, of `reprocessed`: files at a path the previous index did not list (new posts, renamed ones). */
  added?: number
  /** In an update, of `reprocessed`: files the previous index listed whose content changed. */
  changed?: number
  /** Documents carried over unchanged from the previous index. */
  reused: number
  /**
   * Documents of the previous index that are gone from the new one: their file was deleted, renamed or
   * is no longer a post. An edited post read again is not counted here but in `reprocessed`.
   */
  removed: number
  /** False when the index was already what this build would write, and was kept as it is. */
  written: boolean
  /**
   * Old generation folders this build could not remove (another user's files, a reader holding them on
   * a network file system), each with the reason: the new index is committed and whole; the next build
   * tries again.
   */
  leftOver: { path: string; reason: string }[]
}
