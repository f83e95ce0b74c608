// The htmlparser2 build: `load` below asks for htmlparser2 (the `xml` option) anyway, and the full entry
// point also loads parse5 and undici, ~0.13 s of module loading in every build worker.
import { load } from 'cheerio/slim'
import { flattenHtml, MAX_HTML_NESTING, nestsTooDeep } from './html-flatten.js'
import { BLOCKS, CELL_SEPARATOR, CELLS, DROPPED, hidesElement, ParagraphCollector } from './paragraphs.js'
import { plainHtmlParagraphs } from './plain-html.js'

export { cleanParagraph } from './paragraphs.js'

type ParsedRoot = ReturnType<ReturnType<typeof load>['root']>[number]
type DomNode = ParsedRoot['children'][number]

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
  if (flattened) return { paragraphs: domParagraphs(flattenHtml(html)), flattened }
  // Most posts are plain `<p>` paragraphs, which a fast scan reads to the same paragraphs as the DOM walk.
  return { paragraphs: plainHtmlParagraphs(html) ?? domParagraphs(html), flattened }
}

/**
 * The paragraphs of any HTML by a walk of its parsed tree: the reading every other one must agree with.
 * A post saved as a whole web page is read from its `<main>` alone: the site's header, menus, sidebars
 * and footer around it are the same on every page and no part of the article.
 */
export function domParagraphs(html: string): string[] {
  const root = load(html, { xml: { xmlMode: false } }, false).root()[0]
  if (!root) return []
  const paragraphs = new ParagraphCollector()
  // A stack of nodes still to visit; a string marks the end of a block (or a cell) to close.
  const stack: (DomNode | 'end-block' | 'end-cell' | 'end-pre')[] = []
  const mains = mainElements(root.children)
  if (mains.length === 0) pushChildren(stack, root.children)
  else pushChildren(stack, mains)
  let preDepth = 0
  while (stack.length > 0) {
    const item = stack.pop()!
    if (item === 'end-block') { paragraphs.breakParagraph(); continue }
    if (item === 'end-cell') { paragraphs.addText(CELL_SEPARATOR); continue }
    if (item === 'end-pre') { preDepth--; paragraphs.breakParagraph(); continue }
    if (item.type === 'text') {
      if (preDepth > 0) paragraphs.addPreformatted(item.data)
      else paragraphs.addText(item.data)
      continue
    }
    if (item.type === 'cdata') { pushChildren(stack, item.children); continue }
    if (item.type !== 'tag' && item.type !== 'script' && item.type !== 'style') continue // comments, doctype
    const name = item.name.toLowerCase()
    if (isNoText(name, item.attribs)) continue
    if (name === 'br') { paragraphs.breakParagraph(); continue }
    if (name === 'pre') { preDepth++; paragraphs.breakParagraph(); stack.push('end-pre') }
    else if (BLOCKS.has(name)) { paragraphs.breakParagraph(); stack.push('end-block') }
    else if (CELLS.has(name)) { paragraphs.addText(CELL_SEPARATOR); stack.push('end-cell') }
    pushChildren(stack, item.children)
  }
  paragraphs.breakParagraph()
  return paragraphs.result
}

/** Children go on the stack last first, so they come off in order. (No spread: a node may have 100,000 children.) */
function pushChildren(stack: unknown[], children: readonly DomNode[]): void {
  for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
}

/**
 * The outermost visible `<main>` elements (or elements with `role="main"`), in document order: the page's
 * dominant content, when the page marks it. Hidden ones are other pages' content kept for scripts.
 */
function mainElements(children: readonly DomNode[]): DomNode[] {
  const found: DomNode[] = []
  const stack: DomNode[] = []
  pushChildren(stack, children)
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type !== 'tag') continue
    const name = node.name.toLowerCase()
    if (isNoText(name, node.attribs)) continue
    if (name === 'main' || hasRole(node.attribs, 'main')) found.push(node)
    else pushChildren(stack, node.children)
  }
  return found
}

/**
 * Whether an element contributes no text: one of DROPPED, hidden, or a menu marked by its role rather
 * than by `<nav>` (links to elsewhere, not article text).
 */
function isNoText(name: string, attribs: Record<string, string>): boolean {
  return DROPPED.has(name) || isHidden(attribs) || hasRole(attribs, 'navigation')
}

/** Whether an element's `role` attribute (a list of roles, first the one meant) starts with `role`. */
function hasRole(attribs: Record<string, string>, role: string): boolean {
  const roles = attribs['role']
  return roles !== undefined && roles.trim().toLowerCase().split(/\s+/)[0] === role
}

function isHidden(attribs: Record<string, string>): boolean {
  if (Object.hasOwn(attribs, 'hidden')) return true
  const style = attribs['style']
  return style !== undefined && hidesElement(style)
}
