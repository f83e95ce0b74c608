/**
 * Longest category or tag, in characters: the search page offers each as a filter, and the API takes a
 * filter of at least this length. A longer value (a paragraph pasted as a tag) is cut to it.
 */
export const MAX_FACET_CHARS = 200

/** A post as the engine sees it, after front matter and boilerplate are understood. */
export interface Document {
  /** File name without extension; prefixed by its sub-folder when two files share a basename. */
  id: string
  /** Path relative to the indexed folder, with `/` separators. */
  path: string
  title: string
  /** ISO 8601 with the post's own offset (`2022-03-29T08:42:52+08:00`), or null when absent or unparseable. */
  date: string | null
  categories: string[]
  tags: string[]
  /** The post's source link (the trailing `<http…>` line), or null. */
  url: string | null
  /** The attribution such as 新乡日报 from `（文章来源：新乡日报）`, or null. */
  source: string | null
  /** Searchable body text, one entry per paragraph, boilerplate removed. */
  paragraphs: string[]
  /** Front matter keys other than the ones above, kept as they were. */
  extra: Record<string, unknown>
}

/** Something the build report should say about one file. */
export interface IngestNote {
  path: string
  /** Machine-readable kind, e.g. `title_from_body`, `bad_date`, `skipped_binary`. */
  code: string
  message: string
}

/** The outcome of reading one file: a document (maybe with notes) or a reason it was skipped. */
export type IngestResult =
  | { kind: 'document'; document: Document; notes: IngestNote[] }
  | { kind: 'skipped'; path: string; code: string; reason: string }
