import { Marked, type RendererExtension, type TokenizerExtension } from 'marked'
import markedFootnote, { type Footnotes } from 'marked-footnote'
import { readHtml } from './html-text.js'

/** How a body is written: `.html` posts are HTML; `.md`/`.markdown` posts are told apart by their lines. */
export type BodyFormat = 'html' | 'markdown'

/**
 * Limits past which a Markdown body is read as plain text (blank-line paragraphs, HTML in it still
 * understood, Markdown marks left in place) instead of being rendered. marked takes time quadratic in
 * the emphasis marks of a paragraph and recurses once per level of nesting; real posts stay far below.
 */
export const MARKDOWN_LIMITS = {
  /** Characters in the body (the weekly posts are about 20,000). */
  chars: 1_000_000,
  /** `*`, `_` and `~` (strikethrough) characters in the body. */
  emphasisMarks: 10_000,
  /** Blockquote `>` marks and list markers (`- `, `1. `) at the start of a line, or its indentation (× 4 columns) when it opens one. */
  nesting: 32,
  /**
   * Characters marked reads again for quotes: at each quoted line (`> …`) right after an unquoted line of
   * text it goes over the rest of that run of lines again (quadratic: 130 KB of such returns took 25 s).
   */
  quoteRereads: 10_000_000,
  /**
   * A list item's lines × its characters: marked goes over an item's text again for each of its lines
   * (quadratic: one item of 4,000 lines and 400 KB took 7 s).
   */
  listItemWork: 50_000_000,
  /** Footnote marks `[^`: each reference looks its label up among every footnote. */
  footnoteMarks: 2_000,
  /**
   * Characters read after `[^` marks looking for their `]`: marked-footnote reads to the end of the line
   * from every mark, so a line of unclosed ones is quadratic (200 KB of `[^` took 17 s).
   */
  footnoteScan: 1_000_000,
} as const

// A line that opens with a tag or a comment (`<p>`, `</div>`, `<!-- -->`), not an autolink like `<http://…>`.
const TAG_LINE = /^\s*<(?:[a-zA-Z][a-zA-Z0-9-]*(?:[\s/>]|$)|\/[a-zA-Z]|!--)/

const markdown = new Marked({ gfm: true, breaks: false, async: false })

/** Characters past a text token's leading run in which {@link nextMarks} looks. */
const MARKS_LOOKAHEAD = 1024

/**
 * Where `marks` open in what is left of a paragraph, for marked's `start` (where to end a text token),
 * or undefined when not near. marked asks at every text token; searching all the rest each time was
 * quadratic (a 1 MB line of `[` took 24 s). A text token ends before any `*`, `_` or `~` after its first
 * character or its leading run of backticks or tildes, so marks further on are found from a later token.
 */
export function nextMarks(src: string, marks: string): number | undefined {
  let run = 0
  while (run < src.length && (src.charCodeAt(run) === 0x60 || src.charCodeAt(run) === 0x7e)) run++
  const at = src.slice(0, run + MARKS_LOOKAHEAD).indexOf(marks)
  return at === -1 ? undefined : at
}

/**
 * `**bold**` beside Chinese punctuation (叫做**《书名》**, 售出了__1337__份): CommonMark's flanking rules
 * refuse it, since they expect a space between a letter and a punctuation mark, which Chinese never
 * writes; the marks would stay in the text and split its words. Taken as strong (`**`, `__`) or struck
 * (`~~`) wherever the marks enclose text that neither starts nor ends with a space or the mark's own
 * character, as Chinese Markdown editors show it.
 */
function cjkDelimited(name: string, marks: string, type: 'strong' | 'del'): TokenizerExtension {
  const c = marks[0] === '*' ? '\\*' : marks[0]!
  const pattern = new RegExp(`^${c}${c}(?=[^\\s${c}])([^${c}\\n]*?[^\\s${c}])${c}${c}`)
  return {
    name,
    level: 'inline',
    start: (src: string) => nextMarks(src, marks),
    tokenizer(src) {
      const m = pattern.exec(src)
      return m ? { type, raw: m[0], text: m[1]!, tokens: this.lexer.inlineTokens(m[1]!) } : undefined
    },
  }
}

markdown.use({ extensions: [cjkDelimited('cjkStrong', '**', 'strong'), cjkDelimited('cjkUnderscoreStrong', '__', 'strong'), cjkDelimited('cjkStrike', '~~', 'del')] })

/**
 * Footnotes (`text[^1]` … `[^1]: note`), as kramdown, Jekyll's Markdown, writes them: without this a
 * definition reads as a link reference and its text is lost. The notes are text of the post, kept as
 * paragraphs at its end; the reference marks, the screen-reader heading and the back links are not.
 */
const footnoteText: RendererExtension[] = [
  { name: 'footnoteRef', renderer: () => '' },
  {
    name: 'footnotes',
    renderer(token) {
      return (token as unknown as Footnotes).items.map((note) => this.parser.parse(note.content)).join('')
    },
  },
]
markdown.use(markedFootnote(), { extensions: footnoteText })

export interface BodyText {
  paragraphs: string[]
  /** Set when the body could not be read the normal way and was read in a simpler one. */
  note: { code: string; message: string } | null
}

/**
 * Whether a Markdown post's body is really HTML: every non-blank line starts with a tag. Bodies that
 * mix a Markdown line (a `>` digest) with HTML go through Markdown, which passes the HTML blocks on.
 */
export function looksLikeHtml(body: string): boolean {
  let sawTag = false
  for (const line of body.split('\n')) {
    if (line.trim() === '') continue
    if (!TAG_LINE.test(line)) return false
    sawTag = true
  }
  return sawTag
}

/** A post body's text, one entry per paragraph (see `htmlToParagraphs` for what a paragraph is). */
export function bodyParagraphs(body: string, format: BodyFormat): BodyText {
  const source = withoutLiquidTags(body)
  if (format === 'html' || looksLikeHtml(source)) return fromHtml(source)
  const risk = markdownRisk(source)
  if (risk !== null) {
    const paragraphs = source.split(/\n[ \t]*\n/).flatMap((block) => readHtml(block).paragraphs)
    return { paragraphs, note: { code: 'markdown_not_rendered', message: `the body ${risk}; read as plain text` } }
  }
  return fromHtml(renderMarkdown(source))
}

function fromHtml(html: string): BodyText {
  const { paragraphs, flattened } = readHtml(html)
  const note = flattened ? { code: 'html_flattened', message: 'the HTML nests too deep to parse quickly; read without its structure' } : null
  return { paragraphs, note }
}

/** Why marked should not see this body, or null. */
function markdownRisk(source: string): string | null {
  if (source.length > MARKDOWN_LIMITS.chars) return `is over ${MARKDOWN_LIMITS.chars} characters`
  let marks = 0
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i)
    if (c === 0x2a || c === 0x5f || c === 0x7e) marks++
  }
  if (marks > MARKDOWN_LIMITS.emphasisMarks) return `has over ${MARKDOWN_LIMITS.emphasisMarks} emphasis marks`
  const footnotes = footnoteMarks(source)
  if (footnotes.marks > MARKDOWN_LIMITS.footnoteMarks) return `has over ${MARKDOWN_LIMITS.footnoteMarks} footnote marks`
  if (footnotes.scan > MARKDOWN_LIMITS.footnoteScan) return 'has footnote marks `[^` left open on long lines'
  // Split once: the three line-wise checks below read the same lines.
  const lines = source.split('\n')
  if (listItemWork(lines) > MARKDOWN_LIMITS.listItemWork) return 'has a list item too long to render'
  if (quoteRereads(lines) > MARKDOWN_LIMITS.quoteRereads) return 'returns to quotes after unquoted lines too often'
  for (const line of lines) {
    const { levels, indent } = lineNesting(line)
    // Indentation deepens only a line that opens a block (a list item, a quote); one of plain text or of
    // spaces alone nests nothing, however far it is indented.
    if (levels > MARKDOWN_LIMITS.nesting || (levels > 0 && indent > MARKDOWN_LIMITS.nesting * 4)) return `nests deeper than ${MARKDOWN_LIMITS.nesting} levels`
  }
  return null
}

/** The `[^` marks of a body, and how far marked-footnote reads from each for its `]` (to the line's end when there is none). */
function footnoteMarks(source: string): { marks: number; scan: number } {
  let marks = 0
  let scan = 0
  let stop = source.length
  for (let i = source.length - 2; i >= 0; i--) {
    const c = source.charCodeAt(i + 1)
    if (c === 0x5d || c === 0x0a) stop = i + 1 // ']' or a line break ends the search
    if (source.charCodeAt(i) === 0x5b && c === 0x5e) {
      marks++
      scan += stop - i
    }
  }
  return { marks, scan }
}

/** Σ over quoted lines that follow a non-blank unquoted line of the characters from there to the next blank line. */
function quoteRereads(lines: readonly string[]): number {
  let rereads = 0
  let returns = 0
  let previous: 'blank' | 'quoted' | 'text' = 'blank'
  for (const line of lines) {
    const start = line.trimStart()
    const kind = start === '' ? 'blank' : start.startsWith('>') ? 'quoted' : 'text'
    if (kind === 'blank') returns = 0
    else if (kind === 'quoted' && previous === 'text') returns++
    rereads += returns * (line.length + 1)
    previous = kind
  }
  return rereads
}

const QUOTE_PREFIX = /^(?: {0,3}> ?)+/
const LIST_ITEM_START = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/

/**
 * The largest lines × characters of a list item, as near as lines tell: an item runs from its marker to
 * the next marker, or to a line that is not indented after a blank one (quote marks are looked through).
 */
function listItemWork(lines: readonly string[]): number {
  let worst = 0
  let itemLines = 0
  let chars = 0
  let inItem = false
  let afterBlank = false
  for (const written of lines) {
    const line = written.replace(QUOTE_PREFIX, '')
    const blank = line.trim() === ''
    const starts = LIST_ITEM_START.test(line)
    if (starts || (inItem && afterBlank && !blank && !/^(?: {2}|\t)/.test(line))) {
      worst = Math.max(worst, itemLines * chars)
      inItem = starts
      itemLines = 0
      chars = 0
    }
    if (inItem) {
      itemLines++
      chars += written.length + 1
    }
    afterBlank = blank
  }
  return Math.max(worst, itemLines * chars)
}

/**
 * The blocks a line opens before its text: `>` marks and list markers (`- `, `* `, `+ `, `1. `, `1) `),
 * each a level of marked's recursion, and its indentation in columns. Counted here, not left to a
 * stack overflow in marked, whose depth would differ between the build's threads.
 */
function lineNesting(line: string): { levels: number; indent: number } {
  let levels = 0
  let indent = 0
  let i = 0
  while (i < line.length) {
    const ch = line[i]!
    if (ch === ' ') indent++
    else if (ch === '\t') indent += 4
    else if (ch === '>') levels++
    else if ((ch === '-' || ch === '*' || ch === '+') && /[ \t]/.test(line[i + 1] ?? '')) levels++
    else if (ch >= '0' && ch <= '9') {
      let j = i
      while (j < line.length && j - i < 9 && line[j]! >= '0' && line[j]! <= '9') j++
      if ((line[j] !== '.' && line[j] !== ')') || !/[ \t]/.test(line[j + 1] ?? '')) break
      levels++
      i = j
    } else break
    i++
  }
  return { levels, indent }
}

function renderMarkdown(source: string): string {
  try {
    return markdown.parse(source, { async: false })
  } catch {
    // marked gave up on this input; its text read as HTML still beats losing the post
    return source
  }
}

/**
 * What Jekyll's Liquid leaves of a body, without running it: tags (`{% include x.html %}`) and outputs
 * (`{{ site.url }}`) are instructions, not text, and so is everything in a `{% comment %}` block; inside
 * `{% raw %}` everything is text, as Jekyll prints it. A linear scan: an unclosed `{%` or `{{` ends the
 * search rather than being retried at every later one.
 */
function withoutLiquidTags(body: string): string {
  if (!body.includes('{%') && !body.includes('{{')) return body
  const kept: string[] = []
  let from = 0
  let at = 0
  while (at < body.length) {
    const open = nextOpening(body, at)
    if (open === -1) break
    const output = body.startsWith('{{', open)
    const close = body.indexOf(output ? '}}' : '%}', open + 2)
    if (close === -1) break
    kept.push(body.slice(from, open))
    from = at = close + 2
    const name = output ? '' : (/^-?\s*(\w+)/.exec(body.slice(open + 2, close))?.[1] ?? '')
    if (name === 'raw' || name === 'comment') {
      // Up to the matching end tag: kept as written inside raw, dropped inside a comment.
      const ending = new RegExp(`\\{%-?\\s*end${name}\\s*-?%\\}`, 'g')
      ending.lastIndex = at
      const m = ending.exec(body)
      const stop = m ? m.index : body.length
      if (name === 'raw') kept.push(body.slice(at, stop))
      from = at = m ? m.index + m[0].length : body.length
    }
  }
  kept.push(body.slice(from))
  return kept.join('')
}

/** Where the next Liquid tag or output opens at or after `from`, or -1. */
function nextOpening(body: string, from: number): number {
  const tag = body.indexOf('{%', from)
  const output = body.indexOf('{{', from)
  return tag === -1 ? output : output === -1 ? tag : Math.min(tag, output)
}
