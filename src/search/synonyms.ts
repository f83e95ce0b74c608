import { normalize } from '../analysis/normalize.js'

/**
 * Synonym groups, one per line, members separated by commas or spaces (`电动车, 新能源汽车, 电动汽车`);
 * `#` starts a comment. A query term that is a member matches any member of its group.
 */
export type Synonyms = ReadonlyMap<string, readonly string[]>

export function parseSynonyms(text: string): Synonyms {
  const groups = new Map<string, string[]>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim()
    if (!line) continue
    const members = [...new Set(line.split(/[,，、\s]+/).map((m) => normalize(m.trim())).filter(Boolean))]
    if (members.length < 2) continue
    for (const m of members) {
      // A word in several groups matches the members of all of them.
      const known = groups.get(m) ?? []
      groups.set(m, [...new Set([...known, ...members])])
    }
  }
  return groups
}
