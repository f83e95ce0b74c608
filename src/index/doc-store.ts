import { CorruptIndexError, type Container, type SectionData, type SectionPieces } from './container.js'
import { DocIds } from './doc-ids.js'
import { DisplayRecordsBuilder, DisplayRecordsReader } from './doc-store-display.js'
import { joinTexts, storeTexts, TextReader, type FoldedText, type StoredTexts } from './doc-store-text.js'

/** What the index keeps of a document to display it and filter on it. */
export interface StoredDocument {
  id: string
  path: string
  title: string
  url: string | null
  date: string | null
  categories: string[]
  tags: string[]
  source: string | null
  /** Body paragraphs joined by `\n`: the text snippets are cut from. */
  text: string
}

/** One document as a build worker hands it over: display data plus the numbers ranking and filters need. */
export interface DocumentRecord {
  stored: StoredDocument
  /** Units in the title and the body: BM25F's field lengths. */
  titleUnits: number
  bodyUnits: number
  /** Epoch milliseconds of `date`, NaN when there is none. */
  dateMs: number
  /** The calendar day in the post's own time zone as YYYYMMDD, 0 when there is none. */
  dateDay: number
}

/**
 * Stamp of the docs.idx layout in its header: a store of another layout is refused with a request to
 * rebuild rather than misread. 3: UTF-16 text as is (2 compressed it; 1 was JSON and UTF-8).
 */
export const DOC_STORE_LAYOUT = 3
/** The texts' section: the bulk of docs.idx, which readers leave on disk (`Container.open`'s `onDisk`). */
export const TEXT_BLOB = 'textBlob'

/**
 * Sections of docs.idx: field lengths, dates, facet ids in compressed-row form, display records and text.
 * `stored`: the texts already laid out in consecutive runs (by the build's workers, or kept from the
 * previous generation), used when they cover every record; otherwise the texts are laid out here.
 */
export function docStoreSections(records: DocumentRecord[], stored?: readonly StoredTexts[]): { sections: Record<string, SectionData | SectionPieces>; meta: DocStoreMeta } {
  const n = records.length
  const titleUnits = new Uint32Array(n)
  const bodyUnits = new Uint32Array(n)
  const dateMs = new Float64Array(n)
  const dateDay = new Int32Array(n)
  const categories = new FacetColumnBuilder()
  const tags = new FacetColumnBuilder()
  const display = new DisplayRecordsBuilder()
  records.forEach((r, i) => {
    titleUnits[i] = r.titleUnits
    bodyUnits[i] = r.bodyUnits
    dateMs[i] = r.dateMs
    dateDay[i] = r.dateDay
    categories.add(r.stored.categories)
    tags.add(r.stored.tags)
    display.add(r.stored)
  })
  const text = (stored && joinTexts(stored, n)) || piecesOfOne(storeTexts(records.map((r) => r.stored.text)))
  return {
    sections: {
      titleUnits,
      bodyUnits,
      dateMs,
      dateDay,
      ...categories.sections('category'),
      ...tags.sections('tag'),
      ...display.sections(),
      [TEXT_BLOB]: text.pieces,
      textOffsets: text.offsets,
    },
    meta: {
      layout: DOC_STORE_LAYOUT,
      documents: n,
      categoryNames: categories.names,
      tagNames: tags.names,
      avgTitleUnits: averageUnits(titleUnits),
      avgBodyUnits: averageUnits(bodyUnits),
    },
  }
}

function piecesOfOne(texts: StoredTexts): { pieces: Uint8Array[]; offsets: Uint32Array } {
  return { pieces: [texts.blob], offsets: texts.offsets }
}

export interface DocStoreMeta {
  layout: number
  documents: number
  categoryNames: string[]
  tagNames: string[]
  avgTitleUnits: number
  avgBodyUnits: number
}

/**
 * A field's average length over the documents, as the store records it: block maxima (block-max.ts) are
 * computed from the same figure, so an engine can tell they fit its statistics by comparing them.
 */
export function averageUnits(units: Uint32Array): number {
  let total = 0
  for (let i = 0; i < units.length; i++) total += units[i]!
  return units.length ? total / units.length : 0
}

class FacetColumnBuilder {
  readonly names: string[] = []
  private readonly ids = new Map<string, number>()
  private readonly offsets: number[] = [0]
  private readonly values: number[] = []

  add(names: string[]): void {
    for (const name of names) {
      let id = this.ids.get(name)
      if (id === undefined) {
        id = this.names.length
        this.ids.set(name, id)
        this.names.push(name)
      }
      this.values.push(id)
    }
    this.offsets.push(this.values.length)
  }

  sections(prefix: string): Record<string, SectionData> {
    return { [`${prefix}Offsets`]: Uint32Array.from(this.offsets), [`${prefix}Ids`]: Uint32Array.from(this.values) }
  }
}


/** Read side of docs.idx. Display data is decoded only for the documents a page shows. */
export class DocStore {
  readonly count: number
  readonly titleUnits: Uint32Array
  readonly bodyUnits: Uint32Array
  readonly dateMs: Float64Array
  readonly dateDay: Int32Array
  readonly categoryOffsets: Uint32Array
  readonly categoryIds: Uint32Array
  readonly tagOffsets: Uint32Array
  readonly tagIds: Uint32Array
  private readonly records: DisplayRecordsReader
  private readonly texts: TextReader
  private readonly ids: DocIds

  constructor(container: Container, readonly meta: DocStoreMeta, file = 'docs.idx') {
    if (meta?.layout !== DOC_STORE_LAYOUT) {
      throw new CorruptIndexError(file, `document store layout ${String(meta?.layout ?? 1)}, this jiansuo reads ${DOC_STORE_LAYOUT}: rebuild the index`)
    }
    this.count = meta.documents
    this.titleUnits = container.u32('titleUnits')
    this.bodyUnits = container.u32('bodyUnits')
    this.dateMs = container.f64('dateMs')
    this.dateDay = container.i32('dateDay')
    this.categoryOffsets = container.u32('categoryOffsets')
    this.categoryIds = container.u32('categoryIds')
    this.tagOffsets = container.u32('tagOffsets')
    this.tagIds = container.u32('tagIds')
    this.records = new DisplayRecordsReader(
      container.u8('displayRecords'),
      container.u32('displayOffsets'),
      container.u8('displayTable'),
      container.u32('displayTableOffsets'),
    )
    this.texts = new TextReader((start, end, out) => container.read(TEXT_BLOB, start, end, out), container.u32('textOffsets'))
    if (this.records.count !== this.count) throw new CorruptIndexError(file, `holds ${this.records.count} display records for ${this.count} documents`)
    this.ids = new DocIds(this.count, (doc) => this.records.id(doc))
  }

  /** Display data of one document (everything but the body text). */
  display(doc: number): Omit<StoredDocument, 'text'> {
    const { id, path, title, url, date, source } = this.records.fields(doc)
    const categories = names(this.categoryOffsets, this.categoryIds, this.meta.categoryNames, doc)
    const tags = names(this.tagOffsets, this.tagIds, this.meta.tagNames, doc)
    return { id, path, title, url, date, categories, tags, source }
  }

  /** The title alone, without decoding the rest (known-item ranking reads it for many candidates). */
  title(doc: number): string {
    return this.records.title(doc)
  }

  /** The id alone (suggestions name their titles' documents by number). */
  id(doc: number): string {
    return this.records.id(doc)
  }

  /** The document with this id, or -1 (the first call sorts the ids). */
  find(id: string): number {
    return this.ids.find(id)
  }

  /** Documents [from, to)'s texts as stored (for an update to keep). */
  storedTexts(from: number, to: number): StoredTexts {
    return this.texts.stored(from, to)
  }

  /** Body paragraphs joined by `\n`, read from disk. */
  text(doc: number): string {
    return this.texts.text(doc)
  }

  /** The body's fold (see foldedText), for a pass over many documents in increasing order: read many texts at a time. */
  foldedInOrder(doc: number): string {
    return this.texts.foldedInOrder(doc)
  }

  /** The body (see text) and its fold (normalize), read from disk once: what a hit's snippet matches in and shows. */
  foldedText(doc: number): FoldedText {
    return this.texts.foldedText(doc)
  }

  /** Whether the document has one of the categories `ids`. */
  hasCategory(doc: number, ids: readonly number[]): boolean {
    return holdsOneOf(this.categoryOffsets, this.categoryIds, doc, ids)
  }

  /** Whether the document has one of the tags `ids`. */
  hasTag(doc: number, ids: readonly number[]): boolean {
    return holdsOneOf(this.tagOffsets, this.tagIds, doc, ids)
  }
}

/** The names in document `doc`'s row of a compressed-row facet column, in the order the post gave them. */
function names(offsets: Uint32Array, ids: Uint32Array, table: readonly string[], doc: number): string[] {
  const out: string[] = []
  for (let k = offsets[doc]!; k < offsets[doc + 1]!; k++) out.push(table[ids[k]!]!)
  return out
}

/** Whether document `doc`'s row of a compressed-row facet column holds one of `ids`. */
function holdsOneOf(offsets: Uint32Array, column: Uint32Array, doc: number, ids: readonly number[]): boolean {
  if (ids.length === 0) return false
  for (let k = offsets[doc]!; k < offsets[doc + 1]!; k++) if (ids.includes(column[k]!)) return true
  return false
}
