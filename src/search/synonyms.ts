import { normalize } from '../analysis/normalize.js'

/**
 * Synonym groups, one per line, members separated by commas (`电动车, 新能源汽车，电动汽车`, `、` too),
 * or by spaces on a line without commas (`电动车 电动汽车`); `#` at the start or after a space starts
 * a comment. A query term that is a member matches any member of its group.
 */
export type Synonyms = ReadonlyMap<string, readonly string[]>

export function parseSynonyms(text: string): Synonyms {
  const groups = new Map<string, string[]>()
  for (const raw of text.split(/\r?\n/)) {
    // A comment starts a line or follows a space: the # of C# or F# is part of the name, as in the text.
    const line = raw.replace(/(^|\s)#.*/, '').trim()
    if (!line) continue
    // On a line with commas a member may hold spaces (New York, 纽约): split there too, `new` and `york`
    // would each become a synonym of 纽约, and every post with either word would answer 纽约.
    const separator = /[,，、]/.test(line) ? /[,，、]+/ : /\s+/
    const members = [...new Set(line.split(separator).map((m) => normalize(m.trim()).replace(/\s+/g, ' ')).filter(Boolean))]
    if (members.length < 2) continue
    for (const m of members) {
      // A word in several groups matches the members of all of them.
      const known = groups.get(m) ?? []
      groups.set(m, [...new Set([...known, ...members])])
    }
  }
  return groups
}
