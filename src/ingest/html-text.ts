import { load } from 'cheerio'
import { flattenHtml, MAX_HTML_NESTING, nestsTooDeep } from './html-flatten.js'

type ParsedRoot = ReturnType<ReturnType<typeof load>['root']>[number]
type DomNode = ParsedRoot['children'][number]

/** Elements whose content is not article text. */
const DROPPED = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link',
  'iframe', 'object', 'embed', 'svg', 'math', 'canvas', 'audio', 'video', 'select', 'textarea', 'img',
])

/** Elements that start and end a paragraph. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul',
])

/** Table cells: kept in their row's paragraph, separated by a space. */
const CELLS = new Set(['td', 'th'])

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)/i

/**
 * The visible text of an HTML fragment, one entry per paragraph.
 *
 * Every block element (`p`, `div`, `li`, headings, table rows, …) is a paragraph; so is each line of a
 * block broken by `<br>`, and each line of a `<pre>`. Inline markup (`strong`, `a`, `span`) joins its
 * text without spaces, as a browser shows it. Entities are decoded. Scripts, styles, images and elements
 * hidden with `hidden` or `display:none` contribute nothing. Broken markup is repaired as htmlparser2
 * does; the walk keeps its own stack, so no nesting depth can overflow the call stack.
 */
export function htmlToParagraphs(html: string): string[] {
  return readHtml(html).paragraphs
}

/**
 * {@link htmlToParagraphs}, saying whether the HTML nested deeper than {@link MAX_HTML_NESTING} and
 * was therefore read flat: same text, block boundaries kept, hidden elements not recognised.
 */
export function readHtml(html: string): { paragraphs: string[]; flattened: boolean } {
  const flattened = nestsTooDeep(html)
  return { paragraphs: paragraphsOf(flattened ? flattenHtml(html) : html), flattened }
}

function paragraphsOf(html: string): string[] {
  const root = load(html, { xml: { xmlMode: false } }, false).root()[0]
  if (!root) return []
  const paragraphs = new ParagraphCollector()
  // A stack of nodes still to visit; a string marks the end of a block (or a cell) to close.
  const stack: (DomNode | 'end-block' | 'end-cell' | 'end-pre')[] = []
  pushChildren(stack, root.children)
  let preDepth = 0
  while (stack.length > 0) {
    const item = stack.pop()!
    if (item === 'end-block') { paragraphs.breakParagraph(); continue }
    if (item === 'end-cell') { paragraphs.addText(' '); continue }
    if (item === 'end-pre') { preDepth--; paragraphs.breakParagraph(); continue }
    if (item.type === 'text') {
      if (preDepth > 0) paragraphs.addPreformatted(item.data)
      else paragraphs.addText(item.data)
      continue
    }
    if (item.type === 'cdata') { pushChildren(stack, item.children); continue }
    if (item.type !== 'tag' && item.type !== 'script' && item.type !== 'style') continue // comments, doctype
    const name = item.name.toLowerCase()
    if (DROPPED.has(name) || isHidden(item.attribs)) continue
    if (name === 'br') { paragraphs.breakParagraph(); continue }
    if (name === 'pre') { preDepth++; paragraphs.breakParagraph(); stack.push('end-pre') }
    else if (BLOCKS.has(name)) { paragraphs.breakParagraph(); stack.push('end-block') }
    else if (CELLS.has(name)) { paragraphs.addText(' '); stack.push('end-cell') }
    pushChildren(stack, item.children)
  }
  paragraphs.breakParagraph()
  return paragraphs.result
}

/** Children go on the stack last first, so they come off in order. (No spread: a node may have 100,000 children.) */
function pushChildren(stack: unknown[], children: readonly DomNode[]): void {
  for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
}

function isHidden(attribs: Record<string, string>): boolean {
  if (Object.hasOwn(attribs, 'hidden')) return true
  const style = attribs['style']
  return style !== undefined && HIDDEN_STYLE.test(style)
}

class ParagraphCollector {
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
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g

/** Trims a paragraph and collapses its whitespace (including no-break and ideographic spaces) to single spaces. */
export function cleanParagraph(text: string): string {
  let cleaned = text.replace(INVISIBLE, '')
  if (cleaned.includes('\n')) cleaned = cleaned.replace(CJK_LINE_BREAK, '')
  return cleaned.replace(/\s+/g, ' ').trim()
}
