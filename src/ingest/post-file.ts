import { constants } from 'node:fs'

// How a post file is opened, and the largest read: in a module of its own, so that the main thread of a
// build, which stamps and hashes post files, does not load the parser's modules (cheerio, marked,
// gray-matter, iconv-lite: a quarter of a second, before the workers could be started).

/** Posts larger than this are skipped with `too_large`: an 8 MB "post" is a data dump, not an article. */
export const MAX_POST_BYTES = 8 * 1024 * 1024

/** The build report's reason for a post over the limit, in megabytes a reader can weigh ("54000022 bytes is over the 8388608-byte limit" was not). */
export function tooLargeReason(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB is over the ${MAX_POST_BYTES / 1024 / 1024} MB limit for a post`
}

/**
 * Opening flags for a post: without O_NONBLOCK, opening a post that was replaced by a named pipe after
 * the listing would wait for a writer forever (with the build lock held). A regular file ignores it;
 * the caller's fstat then refuses anything else.
 */
export const POST_OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)
