import { createSegmenter } from '../analysis/segment.js'
import type { SectionData } from '../index/container.js'
import type { DocumentRecord } from '../index/doc-store.js'
import type { FileEntry } from '../index/manifest.js'
import { writeSuggestFile } from './file.js'
import { buildSuggestData } from './suggest-index.js'
import { sectionDictionary } from './term-dictionary.js'
import { chooseVocabulary } from './vocabulary.js'

/** What the index build hands over: its documents and the merged term spaces it is writing. */
export interface SuggestBuildInput {
  records: readonly DocumentRecord[]
  words: Record<string, SectionData>
  grams: Record<string, SectionData>
  /** The build's jieba user dictionary, so titles are cut as searches cut them. */
  userDictionary: string
}

/** Chooses the suggestions of a new index, builds their FlexSearch indexes and writes them to `path`. */
export function writeSuggestIndex(path: string, input: SuggestBuildInput): FileEntry {
  const vocabulary = chooseVocabulary({
    words: sectionDictionary(input.words, 'words'),
    grams: sectionDictionary(input.grams, 'grams'),
    documents: input.records.map((r) => ({ id: r.stored.id, title: r.stored.title, dateMs: r.dateMs, text: r.stored.text })),
  })
  const data = buildSuggestData(vocabulary, createSegmenter(input.userDictionary))
  // Titles are stored as their documents' numbers; ids are unique within an index.
  const docOfId = new Map(input.records.map((r, doc) => [r.stored.id, doc]))
  const titleDocs = Uint32Array.from(data.titles, ([, id]) => docOfId.get(id)!)
  return writeSuggestFile(path, data, titleDocs)
}
