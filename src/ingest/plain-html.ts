import { BLOCKS, hidesElement, ParagraphCollector } from './paragraphs.js'

/**
 * A fast reading of the plain HTML nearly every post body is: `<p>` paragraphs with `<strong>`, `<br>`,
 * styled spans, and the headings, lists, links and code blocks marked renders. It gives the paragraphs
 * the DOM walk (`domParagraphs` in html-text.ts) gives, without building a tree: the tags are scanned
 * once while a stack of open elements follows htmlparser2's rules (which tags an opening tag closes,
 * what a stray `</p>` or `</br>` means, what an end tag closes on its way), so every element starts
 * and ends where the parsed tree has it.
 *
 * It knows only a fixed set of elements, tag and attribute syntax, and entities; for anything else
 * (a comment-like `<!`, a `<script>`, an unknown tag, an unquoted attribute, `&hellip;`, a hidden
 * element) it returns null and the caller parses the HTML in full.
 */
export function plainHtmlParagraphs(html: string): string[] | null {
  const reader = new PlainHtmlReader()
  return reader.read(html) ? reader.paragraphs.result : null
}

/** Elements that contribute their text and nothing else (or, for `img`, nothing at all). */
const INLINE = new Set([
  'a', 'abbr', 'b', 'cite', 'code', 'del', 'em', 'font', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'small',
  'span', 'strong', 'sub', 'sup', 'u',
])
/** Block elements this reading handles; every one is in BLOCKS. */
const BLOCK = new Set([
  'article', 'blockquote', 'center', 'div', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'li', 'ol', 'p', 'pre', 'section', 'ul',
])
/** Elements without content: an end tag never closes them. */
const VOID = new Set(['br', 'hr', 'img', 'wbr'])

/** htmlparser2's rule for the elements above: opening the key closes open elements of the set at the top of the stack. */
const P_ONLY: ReadonlySet<string> = new Set(['p'])
const OPENING_CLOSES = new Map<string, ReadonlySet<string>>([
  ['li', new Set(['li'])],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'article', 'blockquote', 'div', 'figcaption', 'figure', 'footer', 'header', 'hr', 'ol', 'pre', 'section', 'ul']
    .map((name): [string, ReadonlySet<string>] => [name, P_ONLY]),
])

const NAMED_ENTITIES = new Map([['nbsp', '\u00a0'], ['lt', '<'], ['gt', '>'], ['amp', '&'], ['quot', '"'], ['apos', "'"]])
const ENTITY = /&(?:([a-z]+)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));/y
const TAG_NAME = /[A-Za-z][A-Za-z0-9]*/y
const ATTRIBUTE_NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y

class PlainHtmlReader {
  readonly paragraphs = new ParagraphCollector()
  /** Open elements, innermost last. */
  private readonly open: string[] = []
  /** Open `<pre>` elements: their text keeps its lines. */
  private preDepth = 0
  /** Offset of the next `&` at or after the text being read (-1: none left); starts before any text. */
  private nextAmp = -2

  /** Reads `html` into the paragraphs; false as soon as something is outside this reading. */
  read(html: string): boolean {
    let i = 0
    while (i < html.length) {
      const lt = html.indexOf('<', i)
      const textEnd = lt === -1 ? html.length : lt
      if (textEnd > i && !this.text(html, i, textEnd)) return false
      if (lt === -1) break
      const next = this.tag(html, lt)
      if (next < 0) return false
      i = next
    }
    while (this.open.length > 0) this.closeTop()
    this.paragraphs.breakParagraph()
    return true
  }

  private text(html: string, from: number, to: number): boolean {
    // The next `&` is looked for once and remembered, so text without entities is never rescanned.
    if (this.nextAmp !== -1 && this.nextAmp < from) this.nextAmp = html.indexOf('&', from)
    let amp = this.nextAmp
    if (amp === -1 || amp >= to) {
      this.addText(html.slice(from, to))
      return true
    }
    let out = ''
    let at = from
    while (amp !== -1 && amp < to) {
      ENTITY.lastIndex = amp
      const m = ENTITY.exec(html)
      if (!m || ENTITY.lastIndex > to) return false
      const decoded = m[1] !== undefined ? NAMED_ENTITIES.get(m[1]) : codePointText(m[2] !== undefined ? Number(m[2]) : parseInt(m[3]!, 16))
      if (decoded === undefined) return false
      out += html.slice(at, amp) + decoded
      at = ENTITY.lastIndex
      amp = this.nextAmp = html.indexOf('&', at)
    }
    this.addText(out + html.slice(at, to))
    return true
  }

  private addText(text: string): void {
    if (this.preDepth > 0) this.paragraphs.addPreformatted(text)
    else this.paragraphs.addText(text)
  }

  /** Handles the tag or comment at `lt`; returns the offset after it, or -1. */
  private tag(html: string, lt: number): number {
    const c = html.charCodeAt(lt + 1)
    if (c === 0x2f /* / */) {
      TAG_NAME.lastIndex = lt + 2
      const name = TAG_NAME.exec(html)?.[0].toLowerCase()
      if (name === undefined) return -1
      const gt = skipSpace(html, TAG_NAME.lastIndex)
      if (html.charCodeAt(gt) !== 0x3e /* > */ || !this.endTag(name)) return -1
      return gt + 1
    }
    if (c === 0x21 /* ! */) {
      // A comment; `<!-->` and `<!--->` end early in an HTML parser, so they are left to it.
      if (!html.startsWith('<!--', lt) || html.startsWith('>', lt + 4) || html.startsWith('->', lt + 4)) return -1
      const end = html.indexOf('-->', lt + 4)
      return end === -1 ? -1 : end + 3
    }
    TAG_NAME.lastIndex = lt + 1
    const name = TAG_NAME.exec(html)?.[0].toLowerCase()
    if (name === undefined) return -1
    const end = this.attributes(html, TAG_NAME.lastIndex)
    if (end < 0 || !this.startTag(name)) return -1
    return end
  }

  /** Reads the attributes of a start tag from `at`; returns the offset after its `>`, or -1. */
  private attributes(html: string, at: number): number {
    for (;;) {
      const from = at
      at = skipSpace(html, at)
      const c = html.charCodeAt(at)
      if (c === 0x3e /* > */) return at + 1
      // `/>` changes nothing in HTML: a void element is empty anyway, any other stays open.
      if (c === 0x2f /* / */) return html.charCodeAt(at + 1) === 0x3e ? at + 2 : -1
      if (at === from) return -1
      ATTRIBUTE_NAME.lastIndex = at
      const name = ATTRIBUTE_NAME.exec(html)?.[0].toLowerCase()
      // Hidden elements, menus and main content marked by a role are the DOM walk's to recognise.
      if (name === undefined || name === 'hidden' || name === 'role') return -1
      at = ATTRIBUTE_NAME.lastIndex
      let value = ''
      if (html.charCodeAt(at) === 0x3d /* = */) {
        const quote = html[at + 1]
        if (quote !== '"' && quote !== "'") return -1
        const close = html.indexOf(quote, at + 2)
        if (close === -1) return -1
        value = html.slice(at + 2, close)
        at = close + 1
      }
      // Only a style can hide an element here; one with entities in it is left to the parser.
      if (name === 'style' && (value.includes('&') || hidesElement(value))) return -1
    }
  }

  private startTag(name: string): boolean {
    const isVoid = VOID.has(name)
    if (!isVoid && !INLINE.has(name) && !BLOCK.has(name)) return false
    const closes = OPENING_CLOSES.get(name)
    if (closes) while (this.open.length > 0 && closes.has(this.open[this.open.length - 1]!)) this.closeTop()
    if (isVoid) {
      if (name === 'br' || BLOCKS.has(name)) this.paragraphs.breakParagraph()
      return true
    }
    this.open.push(name)
    if (name === 'pre') this.preDepth++
    if (BLOCKS.has(name)) this.paragraphs.breakParagraph()
    return true
  }

  private endTag(name: string): boolean {
    if (VOID.has(name)) {
      // `</br>` is a line break; other void end tags mean nothing.
      if (name === 'br') this.paragraphs.breakParagraph()
      return true
    }
    if (!INLINE.has(name) && !BLOCK.has(name)) return false
    const at = this.open.lastIndexOf(name)
    if (at !== -1) {
      while (this.open.length > at) this.closeTop()
    } else if (name === 'p') {
      // A stray `</p>` is an empty paragraph.
      this.paragraphs.breakParagraph()
    }
    return true
  }

  private closeTop(): void {
    const name = this.open.pop()!
    if (name === 'pre') this.preDepth--
    if (BLOCKS.has(name)) this.paragraphs.breakParagraph()
  }
}

function skipSpace(html: string, at: number): number {
  for (;;) {
    const c = html.charCodeAt(at)
    if (c !== 0x20 && c !== 0x0a && c !== 0x09) return at
    at++
  }
}

/** The text of a numeric entity, when the parser would give the code point itself (no C1 remapping, no replacement). */
function codePointText(cp: number): string | undefined {
  const plain = (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp < 0xd800) || (cp >= 0xe000 && cp < 0x110000)
  return plain ? String.fromCodePoint(cp) : undefined
}
