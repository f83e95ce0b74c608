import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * Folds text for matching: NFKC (full-width Ｇ → G), lower case, traditional → simplified Chinese.
 *
 * The fold maps every UTF-16 code unit to exactly one code unit, so an offset in the folded text is
 * the same offset in the original: snippets highlight the document as written without a lookup table.
 * Characters whose fold would change the length (ligatures such as ﬁ, astral characters) keep their
 * original form; they are rare in Chinese news and still match themselves.
 */
export function normalize(text: string): string {
  const table = foldTable()
  const n = text.length
  let first = 0
  while (first < n && table[text.charCodeAt(first)] === text.charCodeAt(first)) first++
  if (first === n) return text
  // Folded into a buffer and decoded in one step: a string grown by concatenation would be a rope of
  // slices (Chinese text changes at every full-width comma) that the first search must flatten again.
  // Larger texts (whole books) get a buffer of their own rather than one kept for good.
  if (n > MAX_SCRATCH_UNITS) return foldInto(new Uint16Array(n), text, table)
  if (scratch.length < n) scratch = new Uint16Array(Math.min(MAX_SCRATCH_UNITS, 2 * n))
  return foldInto(scratch, text, table)
}

/**
 * normalize() of the text whose UTF-16 code units `units` holds, folded in place: for text read as
 * bytes (a hit's body), which need not be read back out of a string unit by unit to be folded.
 */
export function normalizeUnits(units: Uint16Array): string {
  foldUnits(units)
  return unitsText(units, units.length)
}

/** Folds the code units in place, as normalize() folds a string. */
export function foldUnits(units: Uint16Array): void {
  const table = foldTable()
  for (let i = 0; i < units.length; i++) units[i] = table[units[i]!]!
}

/** Code units folded into a buffer kept between calls, up to this many. */
const MAX_SCRATCH_UNITS = 1 << 19
let scratch = new Uint16Array(4096)

function foldInto(units: Uint16Array, text: string, table: Uint16Array): string {
  const n = text.length
  for (let i = 0; i < n; i++) units[i] = table[text.charCodeAt(i)]!
  return unitsText(units, n)
}

/** The first `n` code units as a string. Node decodes UTF-16LE unit for unit: lone surrogates stay as they were (TextDecoder would replace them). */
function unitsText(units: Uint16Array, n: number): string {
  return Buffer.from(units.buffer, units.byteOffset, 2 * n).toString('utf16le')
}

/** Versions of everything that decides the fold, stamped into the index so a change forces a rebuild. */
export const NORMALIZE_VERSION = `nfkc+lower+opencc-t2cn@${packageVersion('opencc-js')}:unit-fold-2`

function packageVersion(name: string): string {
  try {
    // The package's exports hide package.json, so find it beside the resolved entry point.
    let dir = dirname(createRequire(import.meta.url).resolve(name))
    for (let up = 0; up < 4; up++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
        if (pkg.name === name && pkg.version) return pkg.version
      } catch { /* keep climbing */ }
    }
  } catch { /* fall through */ }
  return 'unknown'
}

let table: Uint16Array | null = null

/**
 * Uses a fold table another thread of this process computed (`foldTable()`): making one takes ~0.3 s
 * and leaves ~10 MB of heap behind, which each search thread would otherwise pay again.
 */
export function adoptFoldTable(computed: Uint16Array): void {
  if (computed.length !== 0x10000) throw new Error('a fold table has one entry per UTF-16 code unit')
  table ??= computed
}

/** The per-code-unit fold, computed once from Unicode's NFKC and OpenCC's traditional → simplified dictionary. */
export function foldTable(): Uint16Array {
  if (table) return table
  const t = new Uint16Array(0x10000)
  for (let c = 0; c < 0x10000; c++) {
    t[c] = c
    if (c >= 0xd800 && c <= 0xdfff) continue // surrogate halves pass through untouched
    const folded = String.fromCharCode(c).normalize('NFKC').toLowerCase()
    // Where NFKC would lengthen a character (Ⅱ → II), its lower case alone still folds it (Ⅱ → ⅱ).
    const lower = folded.length === 1 ? folded : String.fromCharCode(c).toLowerCase()
    if (lower.length === 1) t[c] = lower.charCodeAt(0)
  }
  // Convert every Han character one at a time (newline-separated so OpenCC's phrase rules never join them).
  const han: number[] = []
  for (let c = 0x3400; c < 0xa000; c++) han.push(t[c]!)
  for (let c = 0xf900; c < 0xfb00; c++) han.push(t[c]!)
  const source = han.map((c) => String.fromCharCode(c)).join('\n')
  // Loaded here, not imported: a thread that adopts another's table never needs OpenCC's dictionaries (~3 MB).
  const OpenCC = createRequire(import.meta.url)('opencc-js/t2cn') as typeof import('opencc-js/t2cn')
  const converted = OpenCC.Converter({ from: 't', to: 'cn' })(source).split('\n')
  if (converted.length === han.length) {
    for (let k = 0; k < han.length; k++) {
      const from = han[k]!
      const to = converted[k]!
      if (to.length === 1) t[from] = to.charCodeAt(0)
    }
  }
  // Characters that already folded elsewhere (compatibility ideographs) follow the simplified target too.
  for (let c = 0; c < 0x10000; c++) t[c] = t[t[c]!]!
  table = t
  return t
}
