import { basename, extname } from 'node:path'
import { takeAttribution, takeTrailingBoilerplate } from './boilerplate.js'
import { bodyParagraphs } from './body-text.js'
import { decodePost } from './decode.js'
import type { Document, IngestNote, IngestResult } from './document.js'
import { readFrontMatter } from './front-matter.js'
import { readPostFields } from './front-matter-fields.js'
import { htmlToParagraphs } from './html-text.js'
import type { PostFile } from './walk.js'

/** A title taken from the body is cut to this many characters (an ellipsis marks the cut). */
export const TITLE_FROM_BODY_MAX_CHARS = 60

const SENTENCE_END = /[。！？!?；;]/u
const ENTITY = /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i

/**
 * `published:` set to one of YAML 1.1's unquoted false words. Jekyll's YAML reads `no`, `off` and `false`
 * in any case as the boolean false; gray-matter's YAML 1.2 reads only false, False and FALSE so, and the
 * others as strings. A quoted "no" is a string to both, and the post is published; so is `no#draft`
 * (a comment starts after a space).
 */
const UNPUBLISHED = /^published[ \t]*:[ \t]*(?:false|no|off)(?:[ \t]+#.*)?[ \t]*$/im

/**
 * Reads one post's bytes into a Document, or says why it was skipped. Synchronous and pure, so it can
 * run in worker threads; it does not throw for any input.
 *
 * What it does, in order: decode the bytes ({@link decodePost}); split the front matter; read title,
 * date, categories, tags and the other keys; cut the trailing source link and `[返回…]` footer from the
 * body; turn the body (HTML, or Markdown rendered to HTML) into paragraphs; take the attribution
 * `（文章来源：…）` from the last paragraph. An empty title is replaced by the start of the body.
 * A post with neither title nor text is skipped as `no_text`, one whose front matter says `published: false`
 * (or `no`, or `off`, as Jekyll reads them) as `unpublished`.
 */
export function parsePost(bytes: Uint8Array, file: PostFile): IngestResult {
  try {
    return ingestPost(bytes, file)
  } catch (err) {
    // A bug here must cost one post, not the whole build.
    const message = err instanceof Error ? err.message : String(err)
    return { kind: 'skipped', path: file.relPath, code: 'parse_error', reason: `could not read the post: ${message}` }
  }
}

function ingestPost(bytes: Uint8Array, file: PostFile): IngestResult {
  const decoded = decodePost(bytes)
  if (decoded.kind === 'skipped') return { kind: 'skipped', path: file.relPath, code: decoded.code, reason: decoded.reason }
  const notes: IngestNote[] = []
  const note = (problem: { code: string; message: string }): void => {
    notes.push({ path: file.relPath, code: problem.code, message: problem.message })
  }
  if (decoded.note) note(decoded.note)

  const frontMatter = readFrontMatter(decoded.text)
  // As Jekyll decides (only the boolean false): the author kept it off the site, so search must not show it.
  const published = frontMatter.data['published']
  if (published === false || (typeof published === 'string' && UNPUBLISHED.test(frontMatter.block))) {
    return { kind: 'skipped', path: file.relPath, code: 'unpublished', reason: `the front matter says published: ${published}, so Jekyll leaves it out of the site` }
  }
  if (frontMatter.problem) note(frontMatter.problem)
  const fields = readPostFields(frontMatter.data, frontMatter.block, basename(file.relPath))
  fields.problems.forEach(note)

  const { body, url } = takeTrailingBoilerplate(frontMatter.body)
  const format = extname(file.relPath).toLowerCase() === '.html' ? 'html' : 'markdown'
  const text = bodyParagraphs(body, format)
  if (text.note) note(text.note)
  const { paragraphs, source } = takeAttribution(text.paragraphs)

  let title = ENTITY.test(fields.title) ? decodeEntities(fields.title) : fields.title
  const whole = title
  title = cutTitle(title, FRONT_MATTER_TITLE_MAX_CHARS)
  if (title !== whole) note({ code: 'long_title', message: `the title is longer than ${FRONT_MATTER_TITLE_MAX_CHARS} characters; cut to that length` })
  // A saved web page carries its title in <title> (or its first <h1>), not in front matter.
  if (title === '' && format === 'html') title = htmlTitle(body)
  if (title === '') {
    if (paragraphs.length === 0) {
      return { kind: 'skipped', path: file.relPath, code: 'no_text', reason: 'the post has neither a title nor body text' }
    }
    title = titleFromBody(paragraphs[0]!)
    note({ code: 'title_from_body', message: `the post has no title; using the start of its text: ${title}` })
  } else if (paragraphs.length === 0) {
    note({ code: 'empty_body', message: 'the post has a title but no body text' })
  }

  const document: Document = {
    id: file.id,
    path: file.relPath,
    title,
    date: fields.date,
    categories: fields.categories,
    tags: fields.tags,
    // Written in the front matter, a link or source is the author's word; the body's lines are a generator's guess.
    url: fields.url ?? url,
    source: fields.source ?? source,
    paragraphs,
    extra: fields.extra,
  }
  return { kind: 'document', document, notes }
}

/** The first sentence of the first paragraph, or its first {@link TITLE_FROM_BODY_MAX_CHARS} characters and `…`. */
export function titleFromBody(paragraph: string): string {
  // Look at one character past the limit only: the paragraph may be megabytes long.
  const chars: string[] = []
  for (const ch of paragraph) {
    if (chars.length > TITLE_FROM_BODY_MAX_CHARS) break
    chars.push(ch)
  }
  const sentenceEnd = chars.findIndex((ch) => SENTENCE_END.test(ch))
  if (sentenceEnd > 0 && sentenceEnd < TITLE_FROM_BODY_MAX_CHARS) return chars.slice(0, sentenceEnd).join('')
  return cutTitle(paragraph, TITLE_FROM_BODY_MAX_CHARS)
}

/** The text of an HTML page's <title>, else of its first <h1>; '' when neither has any. Looks at the first 64 KB only. */
function htmlTitle(html: string): string {
  const head = html.slice(0, 64 * 1024)
  for (const pattern of [/<title\b[^>]*>([\s\S]*?)<\/title\s*>/i, /<h1\b[^>]*>([\s\S]*?)<\/h1\s*>/i]) {
    const inner = pattern.exec(head)?.[1]
    if (inner === undefined) continue
    const text = htmlToParagraphs(`<p>${inner}</p>`).join(' ').replace(/\s+/g, ' ').trim()
    if (text === '') continue
    return cutTitle(text, TITLE_MAX_CHARS)
  }
  return ''
}

/**
 * A front matter title is cut to this many characters: news titles run to about 110, and one of
 * hundreds of thousands would be sent whole with every hit and title suggestion naming its post.
 */
const FRONT_MATTER_TITLE_MAX_CHARS = 500

/** `title` cut to `max` characters, not code units (an emoji at the limit is kept whole or left out), with `…` marking a cut. */
function cutTitle(title: string, max: number): string {
  if (title.length <= max) return title
  const chars: string[] = []
  for (const ch of title) {
    if (chars.length === max) return `${chars.join('').trimEnd()}…`
    chars.push(ch)
  }
  return title
}

/** A title read from a page's markup is cut to this many characters. */
const TITLE_MAX_CHARS = 200

/** Titles are printed raw into Jekyll's HTML, so `&amp;` in one means `&`. Tags in a title stay text. */
function decodeEntities(title: string): string {
  return htmlToParagraphs(`<p>${title.replace(/</g, '&lt;')}</p>`).join(' ')
}
