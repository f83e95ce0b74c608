/**
 * A posts folder → Documents: {@link listPostFiles} finds the posts and gives them ids, then
 * {@link parsePost} (synchronous and pure, for worker threads) or {@link readPost} reads each one.
 *
 * ```ts
 * const { documents, skipped, notes } = await ingestFolder('_posts')
 * ```
 *
 * Decisions worth knowing:
 * - Posts are `.md`, `.markdown` and `.html` files, any case. Folders starting with `.` or `_` are not
 *   read (Jekyll's `_site` holds rendered copies of every post), except `_posts`.
 * - Nothing with text is dropped: undecodable, binary, empty, oversized ({@link MAX_POST_BYTES}) or
 *   textless files are skipped with a code and a reason; everything else is a Document, with notes
 *   for what was odd (malformed front matter, a title taken from the body, a bad date, …).
 * - Dates keep the offset they were written with; without one, {@link DEFAULT_UTC_OFFSET}.
 *   An unparseable date is null, never guessed from the file name.
 * - A paragraph is a block element's text; `<br>` starts a new paragraph. Markdown is rendered to
 *   HTML first. Whitespace is collapsed, and a line break between two Chinese characters vanishes.
 */
export type { Document, IngestNote, IngestResult } from './document.js'
export { listPostFiles, POST_EXTENSIONS, type PostFile, type WalkResult } from './walk.js'
export { INGEST_VERSION } from './ingest-version.js'
export { parsePost, titleFromBody, TITLE_FROM_BODY_MAX_CHARS } from './parse-post.js'
export { readPost, readPostSync, ingestFolder, type FolderIngest } from './read-post.js'
export { MAX_POST_BYTES } from './post-file.js'
export { DEFAULT_UTC_OFFSET, parsePostDate } from './post-date.js'
export { MAX_FRONT_MATTER_VALUES } from './front-matter-fields.js'
export { MARKDOWN_LIMITS } from './body-text.js'
export { MAX_HTML_NESTING } from './html-flatten.js'
