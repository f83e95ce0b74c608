import type { SectionData } from '../index/container.js'
import { STANDALONE_DF } from '../index/term-space.js'

/** What suggestions need of a term space: its keys and their document frequencies. TermSpace has this shape. */
export interface TermDictionary {
  readonly terms: number
  key(term: number): string
  readonly df: ArrayLike<number>
  /** Words only, when known: the documents holding each as a word of its own, not only inside a longer one. */
  readonly standaloneDf?: ArrayLike<number> | null
}

/**
 * The keys of several shards' dictionaries that `keep` passes, with their document counts summed (shards
 * hold different documents): what a merge of the shards would list for those keys, known before it.
 */
export function summedDictionary(shards: readonly { keys: readonly string[]; df: ArrayLike<number> }[], keep: (key: string) => boolean): TermDictionary {
  const counts = new Map<string, number>()
  for (const shard of shards) {
    shard.keys.forEach((key, term) => {
      if (keep(key)) counts.set(key, (counts.get(key) ?? 0) + shard.df[term]!)
    })
  }
  // In the spaces' own key order, UTF-16 code units.
  const keys = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return { terms: keys.length, df: keys.map((key) => counts.get(key)!), key: (term) => keys[term]! }
}

/**
 * A term space's dictionary straight from the sections a build is about to write, so the build
 * chooses suggestions without reading its own files back.
 */
export function sectionDictionary(sections: Record<string, SectionData>, prefix: string): TermDictionary {
  const keys = section(sections, `${prefix}.keys`, Uint8Array)
  const offsets = section(sections, `${prefix}.keyOffsets`, Uint32Array)
  const df = section(sections, `${prefix}.df`, Uint32Array)
  const standalone = sections[`${prefix}.${STANDALONE_DF}`]
  const decoder = new TextDecoder()
  return {
    terms: df.length,
    df,
    ...(standalone instanceof Uint32Array && { standaloneDf: standalone }),
    key: (term) => decoder.decode(keys.subarray(offsets[term], offsets[term + 1])),
  }
}

function section<T extends SectionData>(
  sections: Record<string, SectionData>,
  name: string,
  type: new (...args: never[]) => T,
): T {
  const data = sections[name]
  if (!(data instanceof type)) throw new Error(`suggestions: the term space has no ${type.name} section ${name}`)
  return data
}
