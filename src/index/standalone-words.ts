import { Analyzer } from '../analysis/analyzer.js'
import type { Segmenter } from '../analysis/segment.js'
import { sectionDictionary } from '../suggest/term-dictionary.js'
import type { SectionData } from './container.js'
import type { IndexReader } from './reader.js'
import { STANDALONE_DF } from './term-space.js'

/** Counts by word, as shards and previous indexes hand them over, to be summed. */
export type CountsByWord = Map<string, number>

/** Adds `counts[t]` for each key `keys[t]` (a shard's words, in its key order). */
export function addCounts(into: CountsByWord, keys: readonly string[], counts: ArrayLike<number>): CountsByWord {
  keys.forEach((key, t) => {
    const n = counts[t]!
    if (n > 0) into.set(key, (into.get(key) ?? 0) + n)
  })
  return into
}

/** The words sections with their standalone counts added, in the sections' own term order. */
export function withStandaloneDf(words: Record<string, SectionData>, counts: CountsByWord): Record<string, SectionData> {
  const dictionary = sectionDictionary(words, 'words')
  const standalone = new Uint32Array(dictionary.terms)
  for (let t = 0; t < dictionary.terms; t++) standalone[t] = counts.get(dictionary.key(t)) ?? 0
  return { ...words, [`words.${STANDALONE_DF}`]: standalone }
}

/**
 * For an update, the previous index's counts less those of its documents that are dropped (deleted, or
 * read again into the new shards): their stored titles and texts are cut again as the build cut them,
 * so the sum is what a full build counts.
 */
export function keptStandalone(old: IndexReader, oldToFinal: Int32Array, segmenter: Segmenter): CountsByWord {
  const previous = old.words.standaloneDf
  if (previous === null) throw new Error('the previous index does not count standalone words: the build should have read every post')
  const counts: CountsByWord = new Map()
  for (let t = 0; t < old.words.terms; t++) if (previous[t]! > 0) counts.set(old.words.key(t), previous[t]!)
  const analyzer = new Analyzer(segmenter)
  for (let doc = 0; doc < old.docs.count; doc++) {
    if (oldToFinal[doc]! >= 0) continue
    const held = new Set<string>()
    for (const text of [old.docs.title(doc), old.docs.text(doc)]) {
      const { folded, spans } = analyzer.analyzeSpans(text)
      analyzer.eachWord(folded, spans, (word) => held.add(word))
    }
    for (const word of held) counts.set(word, counts.get(word)! - 1)
  }
  return counts
}
