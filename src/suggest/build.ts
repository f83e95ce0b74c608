import { createSegmenter, type Segmenter } from '../analysis/segment.js'
import type { DocumentRecord } from '../index/doc-store.js'
import type { FileEntry } from '../index/manifest.js'
import { writeSuggestFile } from './file.js'
import { buildSuggestData, buildTitleSuggestions, type TitleSuggestions } from './suggest-index.js'
import type { TermDictionary } from './term-dictionary.js'
import { chooseVocabulary, distinctTitles, type TitledDocument } from './vocabulary.js'

/** What the index build hands over: its documents and the dictionaries of the term spaces it is writing. */
export interface SuggestBuildInput {
  records: readonly DocumentRecord[]
  words: TermDictionary
  /** At least the keys {@link isSuggestedGram} passes. */
  grams: TermDictionary
  /** The build's jieba user dictionary, so titles are cut as searches cut them. */
  userDictionary: string
}

/**
 * The titles' half of the suggestions of a new index, from its documents alone: a build makes it on
 * one thread while another merges the term spaces the words need. `segmenter`: one made with the
 * build's user dictionary, so titles are cut as searches cut them.
 */
export function titleSuggestionsOf(records: readonly DocumentRecord[], segmenter: Segmenter): TitleSuggestions {
  return buildTitleSuggestions(distinctTitles(titledDocuments(records)), segmenter)
}

/**
 * Chooses the suggestions of a new index, builds their FlexSearch indexes and writes them to `path`.
 * `titles`: the titles' half when already made from the same records by {@link titleSuggestionsOf}.
 */
export function writeSuggestIndex(path: string, input: SuggestBuildInput, titles?: TitleSuggestions): FileEntry {
  const vocabulary = chooseVocabulary({
    words: input.words,
    grams: input.grams,
    documents: titledDocuments(input.records),
  })
  const data = buildSuggestData(vocabulary, titles ?? createSegmenter(input.userDictionary))
  // Titles are stored as their documents' numbers; ids are unique within an index.
  const docOfId = new Map(input.records.map((r, doc) => [r.stored.id, doc]))
  const titleDocs = Uint32Array.from(data.titles, ([, id]) => docOfId.get(id)!)
  return writeSuggestFile(path, data, titleDocs)
}

function titledDocuments(records: readonly DocumentRecord[]): TitledDocument[] {
  return records.map((r) => ({ id: r.stored.id, title: r.stored.title, dateMs: r.dateMs, text: r.stored.text }))
}
