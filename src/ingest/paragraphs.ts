/**
 * What the text of HTML is made of: which elements start paragraphs, which hold no article text, and
 * how text pieces become clean paragraphs. Shared by the DOM walk (html-text.ts) and the fast reading
 * of plain post bodies (plain-html.ts), so both agree by construction.
 */
import { withoutInvisible } from '../analysis/invisible.js'

/** Elements whose content is not article text. */
export const DROPPED: ReadonlySet<string> = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link',
  'iframe', 'object', 'embed', 'svg', 'math', 'canvas', 'audio', 'video', 'select', 'textarea', 'img',
  // A ruby annotation (pinyin over 汉字) is a reading aid; kept, it would glue onto the word it annotates.
  'rt', 'rp',
  // Menus and tables of contents: links to other pages or repeats of the headings, not text of their own.
  'nav',
])

/** Elements that start and end a paragraph. */
export const BLOCKS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul',
])

/** Table cells: kept in their row's paragraph, separated by a space. */
export const CELLS: ReadonlySet<string> = new Set(['td', 'th'])

/**
 * What stands between two cells: a no-break space, which cleaning makes an ordinary one. A plain space
 * would vanish with the line break between cells written on lines of their own (CJK_LINE_BREAK), and a
 * word could then span two cells.
 */
export const CELL_SEPARATOR = '\u00a0'

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)/i

/** Whether a `style` attribute hides its element. */
export function hidesElement(style: string): boolean {
  return HIDDEN_STYLE.test(style)
}

/** Collects text pieces and paragraph breaks into clean paragraphs; a break with nothing collected does nothing. */
export class ParagraphCollector {
  readonly result: string[] = []
  private parts: string[] = []

  addText(text: string): void {
    this.parts.push(text)
  }

  /** Text inside `<pre>`: each line is a paragraph of its own. */
  addPreformatted(text: string): void {
    const lines = text.split('\n')
    lines.forEach((line, i) => {
      if (i > 0) this.breakParagraph()
      this.parts.push(line)
    })
  }

  breakParagraph(): void {
    if (this.parts.length === 0) return
    const paragraph = cleanParagraph(this.parts.join(''))
    this.parts = []
    if (paragraph !== '') this.result.push(paragraph)
  }
}

const CJK = String.raw`[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]`
// A line break between two CJK characters is not a space: Chinese wraps lines without one.
const CJK_LINE_BREAK = new RegExp(`(?<=${CJK})[ \\t]*\\n\\s*(?=${CJK})`, 'g')

/**
 * Control characters other than whitespace, C1 included. Decoding drops those written raw, but an
 * entity (`&#x1b;`) brings them back, and ESC in a title would reach a terminal running `jiansuo search`.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g

/** Trims a paragraph, drops control characters and collapses its whitespace (including no-break and ideographic spaces) to single spaces. */
export function cleanParagraph(text: string): string {
  let cleaned = withoutInvisible(text).replace(CONTROL, '')
  if (cleaned.includes('\n')) cleaned = cleaned.replace(CJK_LINE_BREAK, '')
  return collapseSpaces(cleaned)
}

/**
 * Cleans a line of text as a paragraph is cleaned, without its line-break rule: for titles, categories
 * and tags, so that a zero-width space in a title does not hide it from a search for its words, and for
 * telling a blank query.
 */
export function cleanLine(text: string): string {
  return collapseSpaces(withoutInvisible(text).replace(CONTROL, ''))
}

/**
 * Collapses whitespace and composes accents (NFC): é typed as e + U+0301 in one post and as one
 * character in another, or in the query, is the same word.
 */
function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim().normalize('NFC')
}
