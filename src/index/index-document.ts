import type { Analyzer } from '../analysis/analyzer.js'
import type { UnitSpans } from '../analysis/units.js'
import type { Document } from '../ingest/document.js'
import type { DocumentRecord } from './doc-store.js'
import { BODY, TITLE, type DocumentMarks, type FieldCounter, type GramInterner, type TermAccumulator, type WordInterner } from './term-accumulator.js'

/** The two term spaces every document feeds. */
export interface Spaces {
  /** Character grams: every unit, and every pair of touching units (bigrams). Recall lives here. */
  grams: TermAccumulator
  gramIds: GramInterner
  gramCounts: FieldCounter
  /** Jieba's words of two or more Han characters, and their sub-words. Precision lives here. */
  words: TermAccumulator
  wordIds: WordInterner
  wordCounts: FieldCounter
  /** The words each document holds as jieba cut them, sub-words aside (see DocumentMarks). */
  standalone: DocumentMarks
}

/** The body as the document store keeps it: paragraphs joined by `\n`. */
export function storedText(document: Document): string {
  return document.paragraphs.join('\n')
}

/** Analyzes one document, adds its terms to the spaces under id `doc`, and returns what the store keeps. */
export function indexDocument(document: Document, doc: number, analyzer: Analyzer, spaces: Spaces): DocumentRecord {
  const text = storedText(document)
  const title = analyzer.analyzeSpans(document.title)
  const body = analyzer.analyzeSpans(text)
  addField(title, doc, TITLE, analyzer, spaces)
  addField(body, doc, BODY, analyzer, spaces)
  return {
    stored: {
      id: document.id,
      path: document.path,
      title: document.title,
      url: document.url,
      date: document.date,
      categories: document.categories,
      tags: document.tags,
      source: document.source,
      text,
    },
    titleUnits: title.spans.starts.length,
    bodyUnits: body.spans.starts.length,
    dateMs: document.date ? Date.parse(document.date) : Number.NaN,
    dateDay: dayOf(document.date),
  }
}

function addField(analyzed: { folded: string; spans: UnitSpans }, doc: number, field: number, analyzer: Analyzer, spaces: Spaces): void {
  const { folded, spans } = analyzed
  const { starts, ends, joined } = spans
  const { grams, gramIds, gramCounts, words } = spaces
  const n = starts.length
  let prev = -1
  for (let i = 0; i < n; i++) {
    const unit = gramIds.unit(folded, starts[i]!, ends[i]!)
    const unigram = gramIds.unigram(unit)
    if (grams.isPositional(unigram)) grams.add(unigram, doc, field, i)
    else gramCounts.bump(unigram)
    // The bigram starting at i − 1 is added at i − 1's position, after that unit's unigram.
    if (prev >= 0 && joined[i] === 1) grams.add(gramIds.bigram(prev, unit), doc, field, i - 1)
    prev = unit
  }
  gramCounts.flush(grams, doc, field)
  const { wordIds, wordCounts, standalone } = spaces
  analyzer.eachWord(folded, spans, (word) => {
    const id = wordIds.id(word)
    wordCounts.bump(id)
    standalone.mark(id, doc)
    if (word.length >= 3) for (const sub of wordIds.subwords(id, word, analyzer)) wordCounts.bump(sub)
  })
  wordCounts.flush(words, doc, field)
}

/** YYYYMMDD of an ISO date as written, i.e. in the post's own time zone; 0 when there is none. */
export function dayOf(iso: string | null): number {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null
  return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 0
}
