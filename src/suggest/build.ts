import { normalize } from '../analysis/normalize.js'
import type { Segmenter } from '../analysis/segment.js'
import type { DocumentRecord } from '../index/doc-store.js'
import { textOf, type StoredTexts } from '../index/doc-store-text.js'
import type { FileEntry } from '../index/manifest.js'
import { titleCutter, type TitleCutter } from './encoders.js'
import { writeSuggestFile } from './file.js'
import { buildTitleSuggestions, buildWordSuggestions, joinSuggestions, type TitleSuggestions, type WordSuggestions } from './suggest-index.js'
import type { TermDictionary } from './term-dictionary.js'
import { chooseWords, distinctTitles, type TitledDocument } from './vocabulary.js'

/** What the index build hands over: its documents and the dictionaries of the term spaces it is writing. */
export interface SuggestBuildInput {
  records: readonly DocumentRecord[]
  /** The records' texts as the document store lays them out, when the records do not carry them (a build's). */
  texts?: readonly StoredTexts[]
  words: TermDictionary
  /** At least the keys {@link isSuggestedGram} passes. */
  grams: TermDictionary
  /** The records' Latin words as written, when the build's workers counted them (see countWritten): the texts are then not read. */
  written?: ReadonlyMap<string, number>
}

/**
 * The titles' half of the suggestions of a new index, from its documents alone: a build makes it on
 * one thread while another merges the term spaces the words need. `cut`: a segmenter made with the
 * build's user dictionary, so titles are cut as searches cut them, or the cutter {@link precutTitles} makes.
 */
export function titleSuggestionsOf(documents: readonly TitledDocument[], cut: Segmenter | TitleCutter): TitleSuggestions {
  return buildTitleSuggestions(distinctTitles(documents), cut)
}

/** How a build worker cuts each document's title for the suggestions, for {@link precutTitles}. */
export function titleTermsCutter(segmenter: Segmenter): (title: string) => string {
  const cut = titleCutter(segmenter)
  return (title) => cut(normalize(title.trim()))
}

/**
 * Cuts titles from the terms the build's workers cut ({@link titleTermsCutter}; `terms[i]` is
 * `documents[i]`'s), so the end of a build, where one thread makes this half, need not cut them again.
 * Any other title is cut with a segmenter `fallback` makes when first needed.
 */
export function precutTitles(documents: readonly TitledDocument[], terms: readonly string[], fallback: () => Segmenter): TitleCutter {
  const known = new Map<string, string>()
  documents.forEach((d, i) => known.set(normalize(d.title.trim()), terms[i]!))
  let other: TitleCutter | null = null
  return (folded) => known.get(folded) ?? (other ??= titleCutter(fallback()))(folded)
}

/** The words' half of the suggestions of a new index: the words chosen from its term spaces, indexed with their pinyin. */
export async function wordSuggestionsOf(input: SuggestBuildInput): Promise<WordSuggestions> {
  const documents = titledDocuments(input.records, input.written ? false : (input.texts ?? true))
  const words = chooseWords({ words: input.words, grams: input.grams, documents, ...(input.written && { written: input.written }) })
  const { characterReadings, pinyinReadings } = await import('./pinyin-readings.js')
  return buildWordSuggestions(words, pinyinReadings(words.map((w) => w.key)), characterReadings())
}

/** Writes the suggestions of a new index from its two halves, made from the same `records`. */
export function writeSuggestHalves(path: string, records: readonly DocumentRecord[], words: WordSuggestions, titles: TitleSuggestions): FileEntry {
  const data = joinSuggestions(words, titles)
  // Titles are stored as their documents' numbers; ids are unique within an index.
  const docOfId = new Map(records.map((r, doc) => [r.stored.id, doc]))
  const titleDocs = Uint32Array.from(data.titles, ([, id]) => docOfId.get(id)!)
  return writeSuggestFile(path, data, titleDocs)
}

/**
 * The documents as the suggestions see them; `withText`: with their bodies (only the words' spellings
 * read them), from the records or from the texts laid out in runs, decoded as each is read so that
 * the archive's texts are never all held as strings.
 */
export function titledDocuments(records: readonly DocumentRecord[], withText: boolean | readonly StoredTexts[] = true): TitledDocument[] {
  if (typeof withText === 'boolean') return records.map((r) => ({ id: r.stored.id, title: r.stored.title, dateMs: r.dateMs, ...(withText ? { text: r.stored.text } : {}) }))
  // Each document's text, found in its run and decoded only when read.
  const texts = withText.flatMap((run) => Array.from({ length: run.offsets.length - 1 }, (_, i) => () => textOf(run, i)))
  if (texts.length !== records.length) throw new Error(`the texts laid out are not those of the ${records.length} documents`)
  return records.map((r, doc) => ({
    id: r.stored.id,
    title: r.stored.title,
    dateMs: r.dateMs,
    get text() {
      return texts[doc]!()
    },
  }))
}
