import matter from 'gray-matter'

/** A post split into its front matter and body. */
export interface FrontMatter {
  /** The keys that could be read; empty when there is no front matter. */
  data: Record<string, unknown>
  /** The front matter text as written, for recovering a value's written form (see {@link writtenScalar}). */
  block: string
  body: string
  /** Why the front matter could not be read as a whole, if it could not. */
  problem: { code: 'no_front_matter' | 'front_matter_unclosed' | 'front_matter_malformed'; message: string } | null
}

const OPENING = /^---[ \t]*$/
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/
// A top-level `key: value` line, the shape Jekyll front matter keys have.
const KEY_LINE = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)/
// gray-matter only ever sees a block we cut out ourselves, wrapped in a delimiter that decoded text
// cannot contain (decodePost removes NUL), so it cannot pick an end of its own or a language such as
// `---js`, which it would run through eval.
const WRAP = '\u0000fm'
const MATTER_OPTIONS = { delimiters: WRAP, language: 'yaml' } as const
/** Broken front matter is read key by key up to this many keys; real posts have a handful. */
const MAX_SALVAGED_KEYS = 1000

/**
 * Splits Jekyll front matter from the body and parses it with gray-matter (YAML).
 *
 * Never throws. Front matter that is not valid YAML, or that is never closed, is read key by key as far
 * as that works, and everything else stays in the body, so the post keeps its text.
 */
export function readFrontMatter(text: string): FrontMatter {
  const lines = text.split('\n')
  if (!OPENING.test(lines[0] ?? '')) {
    return { data: {}, block: '', body: text, problem: { code: 'no_front_matter', message: 'the file does not start with a `---` front matter line' } }
  }
  const close = lines.findIndex((line, i) => i > 0 && CLOSING.test(line))
  if (close === -1) {
    const rest = lines.slice(1)
    const salvaged = salvageKeys(rest, { stopAtBlank: true })
    return {
      data: salvaged.data,
      block: rest.slice(0, salvaged.consumed).join('\n'),
      body: rest.slice(salvaged.consumed).join('\n'),
      problem: { code: 'front_matter_unclosed', message: `front matter is never closed by \`---\`; read ${Object.keys(salvaged.data).length} key(s) from its leading lines` },
    }
  }

  const blockLines = lines.slice(1, close)
  const block = blockLines.join('\n')
  const body = lines.slice(close + 1).join('\n')
  const parsed = parseYaml(block)
  if (parsed.ok) return { data: parsed.data, block, body, problem: null }

  // Keep what can be read, keys after a stray line too; lines that are not front matter at all (a stray
  // sentence, or all of it when the `---` closing a block was really a Markdown rule) go to the body.
  const salvaged = salvageKeys(blockLines, { stopAtBlank: false, skipStray: true })
  const leftover = salvaged.stray.join('\n')
  return {
    data: salvaged.data,
    block,
    body: leftover.trim() === '' ? body : `${leftover}\n\n${body}`,
    problem: { code: 'front_matter_malformed', message: `front matter is not valid YAML (${parsed.error}); read ${Object.keys(salvaged.data).length} key(s) one by one` },
  }
}

/**
 * The value of a top-level key as written in the block, without quotes or a trailing comment:
 * `date: 2021-12-08 # x` → `2021-12-08`. YAML turns some values into Dates or numbers; this recovers
 * the text (and with it, a date's own offset).
 */
export function writtenScalar(block: string, key: string): string | null {
  return writtenScalars(block).get(key) ?? null
}

/** {@link writtenScalar} for every top-level key at once (the first line of a key wins). */
export function writtenScalars(block: string): Map<string, string> {
  const written = new Map<string, string>()
  const lines = block.split('\n')
  lines.forEach((line, i) => {
    const m = KEY_LINE.exec(line)
    if (!m || written.has(m[1]!)) return
    let text = scalarText(line.slice(m[0].length))
    // A scalar may stand on the next line, indented (`date:` then `  2023-05-06`).
    const next = lines[i + 1]
    if (text === '' && next !== undefined && /^[ \t]+[^\s\-#]/.test(next) && !/^[ \t]+[^\s:]+:(?:\s|$)/.test(next)) text = scalarText(next)
    written.set(m[1]!, text)
  })
  return written
}

type YamlParse = { ok: true; data: Record<string, unknown> } | { ok: false; error: string }

/**
 * Nesting past which a block is not handed to the YAML parser: it recurses once per level, so a block
 * nested thousands deep would overflow the stack of one thread and not another's (a build's main
 * thread has less than its workers), and a post would read differently by where it was read.
 */
const MAX_YAML_NESTING = 64

function parseYaml(block: string): YamlParse {
  if (block.trim() === '') return { ok: true, data: {} }
  if (yamlNesting(block) > MAX_YAML_NESTING) return { ok: false, error: `it nests deeper than ${MAX_YAML_NESTING} levels` }
  let data: unknown
  try {
    data = matter(`${WRAP}\n${block}\n${WRAP}\n`, MATTER_OPTIONS).data
  } catch (err) {
    return { ok: false, error: firstLine(err instanceof Error ? err.message : String(err)) }
  }
  if (data === null || data === undefined) return { ok: true, data: {} }
  // A date (`2024-01-04`) or bytes (`!!binary`) alone are objects to YAML, but have no keys.
  if (typeof data !== 'object' || Array.isArray(data) || data instanceof Date || ArrayBuffer.isView(data)) return { ok: false, error: 'it is not a mapping of keys to values' }
  return { ok: true, data: data as Record<string, unknown> }
}

/** The deepest nesting of a block, roughly: open `[` and `{` outside quotes, and indentation in levels of two columns. */
function yamlNesting(block: string): number {
  let deepest = 0
  let depth = 0
  let quote = ''
  let lineStart = true
  let indent = 0
  for (let i = 0; i < block.length; i++) {
    const c = block[i]!
    if (c === '\n') {
      lineStart = true
      indent = 0
      quote = ''
      continue
    }
    if (lineStart && c === ' ') {
      deepest = Math.max(deepest, ++indent >> 1)
      continue
    }
    lineStart = false
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth)
    else if ((c === ']' || c === '}') && depth > 0) depth--
  }
  return deepest
}

/**
 * Reads leading `key: value` entries (each with its indented or `- ` continuation lines) one at a time,
 * so one broken value does not lose the others. A value YAML cannot read is kept as its written text.
 * Stops at the first line that belongs to no entry, unless `skipStray`: then such lines are set aside
 * (`stray`) and the entries after them still read. `consumed` is how many lines were used.
 */
function salvageKeys(lines: string[], opts: { stopAtBlank: boolean; skipStray?: boolean }): { data: Record<string, unknown>; consumed: number; stray: string[] } {
  const entries: [string, unknown][] = []
  const stray: string[] = []
  let i = 0
  let consumed = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      if (opts.stopAtBlank && line.trim() === '') break
      i++
      continue
    }
    const key = KEY_LINE.exec(line)?.[1]
    if (key === undefined) {
      if (!opts.skipStray) break
      stray.push(line)
      i++
      continue
    }
    let end = i + 1
    while (end < lines.length && /^(?:[ \t]+\S|-[ \t]|-$)/.test(lines[end]!)) end++
    // Past the limit, entries are still passed over (they are not body text) but no longer read.
    if (entries.length < MAX_SALVAGED_KEYS) {
      const entry = lines.slice(i, end).join('\n')
      const parsed = parseYaml(entry)
      entries.push([key, parsed.ok && Object.hasOwn(parsed.data, key) ? parsed.data[key] : (unclosedList(entry, key) ?? writtenScalar(entry, key) ?? '')])
    }
    i = end
    consumed = end
  }
  // fromEntries defines own properties, so a `__proto__` key stays a key; a repeated key keeps its last value.
  return { data: Object.fromEntries(entries), consumed, stray }
}

/**
 * A flow list whose `]` was forgotten (`tags: [甲, 乙`) read as if it were there: the author's list, not
 * a tag `[甲`. Undefined when the entry is no such list, or does not read even closed.
 */
function unclosedList(entry: string, key: string): unknown[] | undefined {
  const value = entry.slice(KEY_LINE.exec(entry)![0].length).trimStart()
  if (!value.startsWith('[') || value.includes(']')) return undefined
  const closed = parseYaml(`${entry}]`)
  return closed.ok && Array.isArray(closed.data[key]) ? (closed.data[key] as unknown[]) : undefined
}

function scalarText(written: string): string {
  // An anchor (`&d`) or a core tag for a date or text (`!!timestamp`, `!!str`) before the value is
  // YAML's, not the value's; any other tag stays, as the value's written form (`!!js/function …`).
  const value = written.trim().replace(/^(?:(?:&\S+|!!timestamp|!!str)\s+)+/, '')
  const quoted = /^(["'])(.*?)\1(?:\s+#.*)?$/.exec(value)
  if (quoted) return quoted[2]!
  // an unterminated quote, as in a broken `title: "…`
  if (/^["']/.test(value)) return value.slice(1)
  const comment = value.search(/\s#/)
  return comment === -1 ? value : value.slice(0, comment).trimEnd()
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim()
}
