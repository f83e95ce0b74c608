import { createRequire } from 'node:module'
import { foldTable, normalize } from '../analysis/normalize.js'
import type { SynonymLookup } from './synonyms.js'

/**
 * Words Taiwan and Hong Kong write differently from the mainland (軟體 for 软件, 資訊 for 信息, 伺服器
 * for 服务器), from OpenCC's phrase tables. Folding characters turns 軟體 into 软体, which a mainland
 * archive seldom holds: a reader typing in traditional characters would miss the posts about 软件.
 *
 * Such a word in a query also finds its mainland forms, one way, as a synonym would, when the query is
 * typed in traditional characters or no post holds the word (伺服器 is written the same in both). A
 * query in simplified characters is otherwise left as typed: 即时, 向量 and 呼叫 are mainland words too.
 */
export function withRegionalWords(q: string, synonyms: SynonymLookup, held: (word: string) => boolean): SynonymLookup {
  const folded = normalize(q)
  let traditional: boolean | undefined
  let found: Map<string, readonly string[]> | undefined
  const { forms, byFirst } = regionalWords()
  for (let i = 0; i < folded.length; i++) {
    for (const word of byFirst.get(folded[i]!) ?? []) {
      if (!folded.startsWith(word, i) || found?.has(word)) continue
      traditional ??= typedTraditional(q)
      if (!traditional && held(word)) continue
      found ??= new Map()
      found.set(word, [...new Set([word, ...forms.get(word)!, ...(synonyms.get(word) ?? [])])])
    }
  }
  if (!found) return synonyms
  const widened = found
  return {
    get: (word) => widened.get(word) ?? synonyms.get(word),
    has: (word) => widened.has(word) || synonyms.has(word),
    size: synonyms.size + widened.size,
  }
}

/** Whether some Han character of the text is a traditional form (folding changes it). */
function typedTraditional(text: string): boolean {
  const table = foldTable()
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const han = (c >= 0x3400 && c < 0xa000) || (c >= 0xf900 && c < 0xfb00)
    if (han && table[c] !== c) return true
  }
  return false
}

interface RegionalWords {
  /** Each regional word, folded as the text is, with its mainland forms folded too. */
  forms: ReadonlyMap<string, readonly string[]>
  /** The regional words by their first character, so a query is scanned once. */
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
