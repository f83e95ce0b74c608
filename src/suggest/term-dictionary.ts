import type { SectionData } from '../index/container.js'
import { DictionaryReader } from '../index/dictionary-reader.js'
import { STANDALONE_DF } from '../index/term-space.js'

/** What suggestions need of a term space: its keys and their document frequencies. TermSpace has this shape. */
export interface TermDictionary {
  readonly terms: number
  key(term: number): string
  df(term: number): number
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
  return { terms: keys.length, df: (term) => counts.get(keys[term]!)!, key: (term) => keys[term]! }
}

/**
 * A term space's dictionary straight from the sections a build is about to write, so the build
 * chooses suggestions without reading its own files back.
 */
export function sectionDictionary(sections: Record<string, SectionData>, prefix: string): TermDictionary {
  const dictionary = DictionaryReader.of(sections, prefix)
  const standalone = sections[`${prefix}.${STANDALONE_DF}`]
  return {
    terms: dictionary.terms,
    df: (term) => dictionary.entry(term).df,
    ...(standalone instanceof Uint32Array && { standaloneDf: standalone }),
    key: (term) => dictionary.key(term),
  }
}
