import { createRequire } from 'node:module'
import { foldTable, normalize } from './normalize.js'

/**
 * Words Taiwan and Hong Kong write differently from the mainland (軟體 for 软件, 資訊 for 信息, 伺服器
 * for 服务器), from OpenCC's phrase tables, folded as the text is. Folding characters turns 軟體 into
 * 软体, which a mainland archive seldom holds: these say which mainland words such a word means, for a
 * query (see withRegionalWords) and for suggestions.
 */

/** The mainland forms of a regional word (folded), or undefined when it is none. */
export function mainlandForms(word: string): readonly string[] | undefined {
  return regionalWords().forms.get(word)
}

/** The regional words that occur in folded text, each once, in order. */
export function regionalWordsIn(folded: string): string[] {
  const { byFirst } = regionalWords()
  const found: string[] = []
  for (let i = 0; i < folded.length; i++) {
    for (const word of byFirst.get(folded[i]!) ?? []) if (folded.startsWith(word, i) && !found.includes(word)) found.push(word)
  }
  return found
}

/** Whether some Han character of the text is a traditional form (folding changes it). */
export function typedTraditional(text: string): boolean {
  const table = foldTable()
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const han = (c >= 0x3400 && c < 0xa000) || (c >= 0xf900 && c < 0xfb00)
    if (han && table[c] !== c) return true
  }
  return false
}

interface RegionalWords {
  /** Each regional word with its mainland forms. */
  forms: ReadonlyMap<string, readonly string[]>
  /** The regional words by their first character, so a text is scanned once. */
  byFirst: ReadonlyMap<string, readonly string[]>
}

let words: RegionalWords | null = null

/** The regional words, read once, when first needed. */
function regionalWords(): RegionalWords {
  if (words) return words
  // The traditional → simplified build of OpenCC holds the regional phrase tables, first in each locale's list.
  const OpenCC = createRequire(import.meta.url)('opencc-js/t2cn') as typeof import('opencc-js/t2cn')
  const tables = [OpenCC.Locale.from.twp, OpenCC.Locale.from.hkp].map((locale) => locale[0]?.[0])
  const forms = new Map<string, string[]>()
  for (const table of tables) {
    if (typeof table !== 'string') continue
    // Entries are `regional mainland [mainland …]`, separated by |; a first mainland form equal to the
    // regional word means it is said on the mainland too (資訊 資訊 信息): the word then keeps itself.
    for (const entry of table.split('|')) {
      const [regional, ...mainland] = entry.split(' ').map((w) => normalize(w))
      if (!regional) continue
      const more = mainland.filter((w) => w !== '' && w !== regional)
      if (more.length > 0) forms.set(regional, [...new Set([...(forms.get(regional) ?? []), ...more])])
    }
  }
  const byFirst = new Map<string, string[]>()
  for (const word of forms.keys()) {
    const first = word[0]!
    byFirst.set(first, [...(byFirst.get(first) ?? []), word])
  }
  words = { forms, byFirst }
  return words
}
