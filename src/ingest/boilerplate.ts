/**
 * Recognisers for the lines the archive generator adds around an article: the source link, the
 * navigation footer and the attribution. Each takes one line or paragraph and says what it is.
 */

// `<http://…>` on a line of its own; `<>` when the generator had no link.
const SOURCE_LINK = /^<(https?:\/\/[^\s<>]+)?>$/i
// `[返回新闻联播新闻](//…)｜[返回首页](//…)`, or one such link per line.
const FOOTER_LINK = String.raw`\[返回[^\]\n]*\]\([^)\n]*\)`
// Each gap between links matches in one way only, so a near-miss cannot make the match backtrack.
const FOOTER = new RegExp(`^${FOOTER_LINK}(?:\\s*(?:[｜|/·]\\s*)?${FOOTER_LINK})*$`)
/** Footer lines are short; longer lines are not tried. */
const MAX_FOOTER_CHARS = 1000
/** Longer "sources" are sentences that happen to start with 来源, not attributions. */
const MAX_SOURCE_CHARS = 40
// `（文章来源：新乡日报）`, `(来源: 新华社)`, ending a paragraph or standing alone. Matched against the
// paragraph's last characters only, so a long paragraph costs nothing.
const ATTRIBUTION_IN_PARENS = /[（(][ \t\u3000]*(?:文章|稿件|新闻|信息|消息|内容)?来源[ \t\u3000]*[：:]([^（）()]*)[）)]$/
const ATTRIBUTION_TAIL_CHARS = MAX_SOURCE_CHARS + 20
// `来源：新华社` as a whole paragraph.
const ATTRIBUTION_BARE = /^(?:文章|稿件|新闻|信息|消息|内容)?来源\s*[：:]\s*([^（）()：:]+)$/

/**
 * The URL of a source-link line: `<http://a/b>` → `http://a/b`; `<>` → `''` (a post that says it has
 * no link); any other line → null.
 */
export function sourceLinkOf(line: string): string | null {
  const m = SOURCE_LINK.exec(line.trim())
  return m ? (m[1] ?? '') : null
}

/** Whether a line is the generator's `[返回…]` navigation footer. */
export function isFooterLine(line: string): boolean {
  return line.length <= MAX_FOOTER_CHARS && FOOTER.test(line.trim())
}

/**
 * The attribution at the end of a paragraph: `（文章来源：新乡日报）` → `{ source: '新乡日报', rest: '' }`;
 * `正文。（来源：新华社）` → `{ source: '新华社', rest: '正文。' }`. Null when the paragraph has none.
 * `source` is `''` for an attribution with nothing in it.
 */
export function attributionOf(paragraph: string): { source: string; rest: string } | null {
  const text = paragraph.trim()
  const tailStart = Math.max(0, text.length - ATTRIBUTION_TAIL_CHARS)
  const inParens = ATTRIBUTION_IN_PARENS.exec(text.slice(tailStart))
  if (inParens) {
    const source = inParens[1]!.trim()
    const rest = text.slice(0, tailStart + inParens.index).trim()
    return [...source].length <= MAX_SOURCE_CHARS ? { source, rest } : null
  }
  if (text.length > ATTRIBUTION_TAIL_CHARS) return null
  const bare = ATTRIBUTION_BARE.exec(text)
  if (bare) {
    const source = bare[1]!.trim()
    return [...source].length <= MAX_SOURCE_CHARS ? { source, rest: '' } : null
  }
  return null
}

// A line that shows nothing: an HTML comment, a Liquid tag, or the `｜` between two footer links set on lines of their own.
const SILENT_LINE = /^(?:<!--.*-->|\{%.*%\}|\{\{.*\}\}|[｜|/·])$/

/** Whether a line after the article adds no text (so a footer above it is still the end of the post). */
function isSilentLine(line: string): boolean {
  return line.length <= MAX_FOOTER_CHARS && SILENT_LINE.test(line.trim())
}

/**
 * Removes the trailing source link and footer lines from a raw body (in whichever order they come)
 * and returns the link. `url` is null when there was no link line or it was `<>`.
 */
export function takeTrailingBoilerplate(body: string): { body: string; url: string | null } {
  const lines = body.split('\n')
  let end = lines.length
  let url: string | null | undefined
  for (;;) {
    while (end > 0 && lines[end - 1]!.trim() === '') end--
    if (end === 0) break
    const last = lines[end - 1]!
    if (isFooterLine(last) || isSilentLine(last)) { end--; continue }
    const link = url === undefined ? sourceLinkOf(last) : null
    if (link !== null) { url = link === '' ? null : link; end--; continue }
    break
  }
  return { body: lines.slice(0, end).join('\n'), url: url ?? null }
}

/**
 * Takes the attribution from the last paragraph. The paragraph goes when it held nothing else; text
 * before the attribution stays.
 */
export function takeAttribution(paragraphs: readonly string[]): { paragraphs: string[]; source: string | null } {
  const last = paragraphs.at(-1)
  const found = last === undefined ? null : attributionOf(last)
  if (!found) return { paragraphs: [...paragraphs], source: null }
  const kept = paragraphs.slice(0, -1)
  if (found.rest !== '') kept.push(found.rest)
  return { paragraphs: kept, source: found.source === '' ? null : found.source }
}
