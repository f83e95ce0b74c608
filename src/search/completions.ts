import { classify, splitUnits, UnitClass } from '../analysis/units.js'
import type { TermSpace } from '../index/term-space.js'
import type { QueryTerm } from './query-terms.js'

/**
 * Words an unfinished word may stand for, at most: the commonest. A prefix of two letters can start
 * hundreds (co: com, code, cookie …), and each is a cursor the query walks.
 */
export const MAX_COMPLETIONS = 16

/**
 * The words of the index that `term` (letters still being typed, see AnalyzedQuery.unfinished) may
 * be the start of, as terms of their own, the commonest first; none when a post holds `term` as typed,
 * which then means itself (java stays java, not javascript too).
 */
export function completionsOf(grams: TermSpace, term: QueryTerm): QueryTerm[] {
  const prefix = term.text
  if (grams.lookup(prefix) >= 0) return []
  const found: { key: string; df: number }[] = []
  for (let t = grams.lowerBound(prefix); t < grams.terms; t++) {
    const key = grams.key(t)
    if (!key.startsWith(prefix)) break
    // The dictionary holds grams: a word alone (rust), but also one paired with what follows it (rust语, rust2).
    if (isOneWord(key)) found.push({ key, df: grams.df(t) })
  }
  found.sort((a, b) => b.df - a.df || (a.key < b.key ? -1 : 1))
  return found.slice(0, MAX_COMPLETIONS).map(({ key }) => ({
    text: key,
    units: [key],
    joined: new Uint8Array(1),
    words: [],
    field: term.field,
    stop: false,
  }))
}

/** Whether `key` is one unit of letters, as the word being typed is. */
function isOneWord(key: string): boolean {
  const units = splitUnits(key)
  return units.keys.length === 1 && units.keys[0] === key && classify(key.codePointAt(0)!) === UnitClass.Letter
}
