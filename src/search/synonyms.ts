import { normalize } from '../analysis/normalize.js'
import { mainlandForms, regionalWordsIn, typedTraditional } from '../analysis/regional-words.js'

/**
 * Synonym groups, one per line, members separated by commas (`电动车, 新能源汽车，电动汽车`, `、` too),
 * or by spaces on a line without commas (`电动车 电动汽车`); `#` at the start or after a space starts
 * a comment. A query term that is a member matches any member of its group. A line `a, b => c` maps one
 * way, as in Elasticsearch's and Solr's synonym files: a query for a or b finds all three, one for c only c.
 */
export type Synonyms = ReadonlyMap<string, readonly string[]>
/** What a query's analysis asks of its synonyms: a group may be widened for one query (regional-words). */
export type SynonymLookup = Pick<Synonyms, 'get' | 'has' | 'size'>

/** One line of a synonyms file as read: who finds whom, or what is wrong with it. */
type SynonymLine =
  | { line: number; from: string[]; to: string[] }
  | { line: number; problem: string }

/**
 * The synonyms with, for one query, each regional word it holds (軟體, 伺服器: see regional-words) also
 * finding its mainland forms, one way, when the query is typed in traditional characters or no post
 * holds the word (`held`: as a jieba word). A query in simplified characters is otherwise left as
 * typed: 即时, 向量 and 呼叫 are mainland words too.
 */
export function withRegionalWords(q: string, synonyms: SynonymLookup, held: (word: string) => boolean): SynonymLookup {
  const found = regionalWordsIn(normalize(q))
  if (found.length === 0) return synonyms
  const traditional = typedTraditional(q)
  const widened = new Map<string, readonly string[]>()
  for (const word of found) {
    if (traditional || !held(word)) widened.set(word, [...new Set([word, ...mainlandForms(word)!, ...(synonyms.get(word) ?? [])])])
  }
  if (widened.size === 0) return synonyms
  return {
    get: (word) => widened.get(word) ?? synonyms.get(word),
    has: (word) => widened.has(word) || synonyms.has(word),
    size: synonyms.size + widened.size,
  }
}

export function parseSynonyms(text: string): Synonyms {
  const groups = new Map<string, readonly string[]>()
  // The members of a line are one list shared by all of them, and two lists are merged once for every
  // word they both reach: a copy per member made a line of n members n² entries (20,000 members: 3.6 GB).
  const merged = new Map<readonly string[], Map<readonly string[], readonly string[]>>()
  const merge = (known: readonly string[], more: readonly string[]): readonly string[] => {
    let byMore = merged.get(known)
    if (!byMore) merged.set(known, (byMore = new Map()))
    let both = byMore.get(more)
    if (!both) byMore.set(more, (both = [...new Set([...known, ...more])]))
    return both
  }
  for (const read of synonymLines(text)) {
    // A line that says nothing usable was refused when its file was named; a stored one is read as it was.
    if ('problem' in read) continue
    for (const m of read.from) {
      // A word in several groups matches the members of all of them.
      const known = groups.get(m)
      groups.set(m, known === undefined ? read.to : merge(known, read.to))
    }
  }
  return groups
}

/** Throws, naming the first line that is no synonym group (one member, an empty side of `=>`). */
export function checkSynonyms(text: string): void {
  for (const read of synonymLines(text)) if ('problem' in read) throw new Error(`synonyms line ${read.line}: ${read.problem}`)
}

function synonymLines(text: string): SynonymLine[] {
  const lines: SynonymLine[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    // A comment starts a line or follows a space: the # of C# or F# is part of the name, as in the text.
    const line = raw.replace(/(^|\s)#.*/, '').trim()
    if (!line) return
    const arrow = line.indexOf('=>')
    if (arrow < 0) {
      const members = membersOf(line)
      if (members.length < 2) lines.push({ line: i + 1, problem: `"${line}" names one word; a group needs two or more, separated by commas` })
      else lines.push({ line: i + 1, from: members, to: members })
      return
    }
    const from = membersOf(line.slice(0, arrow))
    const to = membersOf(line.slice(arrow + 2))
    if (from.length === 0 || to.length === 0 || line.includes('=>', arrow + 2)) lines.push({ line: i + 1, problem: `"${line}" needs words on each side of one =>` })
    else lines.push({ line: i + 1, from, to: [...new Set([...from, ...to])] })
  })
  return lines
}

/** The members of one side of a line, folded as the text is, each once. */
function membersOf(side: string): string[] {
  // On a side with commas a member may hold spaces (New York, 纽约): split there too, `new` and `york`
  // would each become a synonym of 纽约, and every post with either word would answer 纽约.
  const separator = /[,，、]/.test(side) ? /[,，、]+/ : /\s+/
  return [...new Set(side.split(separator).map((m) => normalize(m.trim()).replace(/\s+/g, ' ')).filter(Boolean))]
}
