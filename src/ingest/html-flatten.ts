/**
 * A guard for HTML nested so deep that parsing it would take quadratic time (htmlparser2 keeps its
 * open-element stack with `unshift`), and a flat reading of such HTML that keeps its text.
 */

/** HTML nested deeper than this is read flat (see {@link flattenHtml}); real articles nest a few dozen deep. */
export const MAX_HTML_NESTING = 512

// Elements that never hold content.
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr'])
// Elements a parser closes by itself when a sibling opens (`<p>a<p>b`), so they do not deepen the tree.
const SELF_ENDING = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'thead', 'tbody', 'tfoot', 'rb', 'rt', 'rp'])
// Elements htmlparser2 reads as raw text up to their closing tag. It parses what is inside an iframe or
// noscript as HTML, so tags there nest as anywhere else.
const PARSER_RAW_TEXT: ReadonlySet<string> = new Set(['script', 'style', 'textarea', 'title', 'xmp'])
// Elements whose content a flat reading drops up to their closing tag; none of it is article text (the
// DOM walk drops iframe and noscript too, and reads noembed and noframes).
const RAW_TEXT: ReadonlySet<string> = new Set([...PARSER_RAW_TEXT, 'iframe', 'noscript'])
// Elements that end a line of text in a flat reading.
const LINE_BREAKING = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'center', 'dd', 'details', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr',
  'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tr', 'ul',
])

const TAG_START = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/y

interface TagVisitor {
  text(text: string): void
  /** Return false to stop the scan. */
  tag(name: string, closing: boolean, selfClosing: boolean): boolean
}

/**
 * Walks the tags of an HTML string in one linear pass, without building a tree. Approximate (a `>`
 * inside a quoted attribute ends the tag early), which is enough for a guard and a fallback.
 */
function scanTags(html: string, visit: TagVisitor, rawText: ReadonlySet<string>): void {
  let lower: string | undefined
  let i = 0
  while (i < html.length) {
    const lt = html.indexOf('<', i)
    if (lt === -1) { visit.text(html.slice(i)); return }
    if (lt > i) visit.text(html.slice(i, lt))
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4)
      if (end === -1) return
      i = end + 3
      continue
    }
    TAG_START.lastIndex = lt
    const m = TAG_START.exec(html)
    if (!m) {
      if (html[lt + 1] === '!' || html[lt + 1] === '?') {
        const end = html.indexOf('>', lt)
        if (end === -1) return
        i = end + 1
      } else {
        visit.text('<')
        i = lt + 1
      }
      continue
    }
    const gt = html.indexOf('>', lt)
    if (gt === -1) return
    const name = m[2]!.toLowerCase()
    const closing = m[1] === '/'
    if (!visit.tag(name, closing, html[gt - 1] === '/')) return
    i = gt + 1
    if (!closing && rawText.has(name)) {
      lower ??= html.toLowerCase()
      const end = lower.indexOf(`</${name}`, i)
      if (end === -1) return
      i = end
    }
  }
}

/** Whether the elements of `html` nest deeper than {@link MAX_HTML_NESTING}. */
export function nestsTooDeep(html: string): boolean {
  // Fewer tags than the limit cannot nest past it; this spares the scan for nearly every post.
  let tags = 0
  for (let i = html.indexOf('<'); i !== -1 && tags <= MAX_HTML_NESTING; i = html.indexOf('<', i + 1)) tags++
  if (tags <= MAX_HTML_NESTING) return false

  // The elements still open, as a parser keeps them: a closing tag closes the nearest open element of its
  // name and those opened after it, and one that closes nothing open (`<b></i>`) changes nothing. The
  // look back is bounded, so this guard stays linear on the inputs it exists for.
  const open: string[] = []
  let tooDeep = false
  scanTags(html, {
    text: () => {},
    tag: (name, closing, selfClosing) => {
      if (VOID.has(name) || SELF_ENDING.has(name)) return true
      if (!closing) {
        if (!selfClosing) open.push(name)
      } else {
        for (let k = open.length - 1; k >= 0 && k >= open.length - CLOSING_LOOK_BACK; k--) {
          if (open[k] !== name) continue
          open.length = k
          break
        }
      }
      tooDeep = open.length > MAX_HTML_NESTING
      return !tooDeep
    },
  }, PARSER_RAW_TEXT)
  return tooDeep
}

/** How many open elements a closing tag looks through for its own; past that it is taken as stray. */
const CLOSING_LOOK_BACK = 64

/**
 * The same HTML without nesting: text as it was (entities still encoded), a `<br>` wherever a block
 * element starts or ends, raw-text elements (`script`, `style`, …) and every other tag removed.
 * Hidden elements are not recognised in this reading.
 */
export function flattenHtml(html: string): string {
  const out: string[] = []
  scanTags(html, {
    text: (text) => { out.push(text === '<' ? '&lt;' : text) },
    tag: (name) => {
      if (LINE_BREAKING.has(name)) out.push('<br>')
      return true
    },
  }, RAW_TEXT)
  return out.join('')
}
