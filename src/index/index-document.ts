import type { AnalyzedText, Analyzer } from '../analysis/analyzer.js'
import type { Document } from '../ingest/document.js'
import type { DocumentRecord } from './doc-store.js'
import { BODY, TITLE, type TermAccumulator } from './term-accumulator.js'

/** The two term spaces every document feeds. */
export interface Spaces {
  /** Character grams: every unit, and every pair of touching units (bigrams). Recall lives here. */
  grams: TermAccumulator
  /** Jieba's words of two or more Han characters, and their sub-words. Precision lives here. */
  words: TermAccumulator
}

/** Analyzes one document, adds its terms to the spaces under id `doc`, and returns what the store keeps. */
export function indexDocument(document: Document, doc: number, analyzer: Analyzer, spaces: Spaces): DocumentRecord {
  const text = document.paragraphs.join('\n')
  const title = analyzer.analyze(document.title)
  const body = analyzer.analyze(text)
  addField(title, doc, TITLE, spaces)
  addField(body, doc, BODY, spaces)
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
    titleUnits: title.units.keys.length,
    bodyUnits: body.units.keys.length,
    dateMs: document.date ? Date.parse(document.date) : Number.NaN,
    dateDay: dayOf(document.date),
  }
}

function addField(analyzed: AnalyzedText, doc: number, field: number, spaces: Spaces): void {
  const { keys, joined } = analyzed.units
  const n = keys.length
  for (let i = 0; i < n; i++) {
    spaces.grams.add(keys[i]!, doc, field, i)
    if (i + 1 < n && joined[i + 1] === 1) spaces.grams.add(keys[i]! + keys[i + 1]!, doc, field, i)
  }
  for (const word of analyzed.words) spaces.words.add(word.key, doc, field, word.pos)
}

/** YYYYMMDD of an ISO date as written, i.e. in the post's own time zone; 0 when there is none. */
export function dayOf(iso: string | null): number {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null
  return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 0
}
