import type { Container, SectionData } from './container.js'

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

const encoder = new TextEncoder()

/** Sections of docs.idx: field lengths, dates, facet ids in compressed-row form, and two text blobs. */
export function docStoreSections(records: DocumentRecord[]): { sections: Record<string, SectionData>; meta: DocStoreMeta } {
  const n = records.length
  const titleUnits = new Uint32Array(n)
  const bodyUnits = new Uint32Array(n)
  const dateMs = new Float64Array(n)
  const dateDay = new Int32Array(n)
  const categories = new FacetColumnBuilder()
  const tags = new FacetColumnBuilder()
  const meta = new BlobBuilder()
  const text = new BlobBuilder()
  records.forEach((r, i) => {
    titleUnits[i] = r.titleUnits
    bodyUnits[i] = r.bodyUnits
    dateMs[i] = r.dateMs
    dateDay[i] = r.dateDay
    categories.add(r.stored.categories)
    tags.add(r.stored.tags)
    const { text: body, ...display } = r.stored
    meta.add(JSON.stringify(display))
    text.add(body)
  })
  return {
    sections: {
      titleUnits,
      bodyUnits,
      dateMs,
      dateDay,
      ...categories.sections('category'),
      ...tags.sections('tag'),
      ...meta.sections('meta'),
      ...text.sections('text'),
    },
    meta: {
      documents: n,
      categoryNames: categories.names,
      tagNames: tags.names,
      avgTitleUnits: n ? sum(titleUnits) / n : 0,
      avgBodyUnits: n ? sum(bodyUnits) / n : 0,
    },
  }
}

export interface DocStoreMeta {
  documents: number
  categoryNames: string[]
  tagNames: string[]
  avgTitleUnits: number
  avgBodyUnits: number
}

function sum(a: Uint32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]!
  return s
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

class BlobBuilder {
  private readonly chunks: Uint8Array[] = []
  private readonly offsets: number[] = [0]
  private size = 0

  add(value: string): void {
    const bytes = encoder.encode(value)
    this.chunks.push(bytes)
    this.size += bytes.length
    this.offsets.push(this.size)
  }

  sections(prefix: string): Record<string, SectionData> {
    const blob = new Uint8Array(this.size)
    let at = 0
    for (const c of this.chunks) {
      blob.set(c, at)
      at += c.length
    }
    return { [`${prefix}Blob`]: blob, [`${prefix}Offsets`]: Float64Array.from(this.offsets) }
  }
}

const decoder = new TextDecoder()

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
  private readonly metaBlob: Uint8Array
  private readonly metaOffsets: Float64Array
  private readonly textBlob: Uint8Array
  private readonly textOffsets: Float64Array

  constructor(container: Container, readonly meta: DocStoreMeta) {
    this.count = meta.documents
    this.titleUnits = container.u32('titleUnits')
    this.bodyUnits = container.u32('bodyUnits')
    this.dateMs = container.f64('dateMs')
    this.dateDay = container.i32('dateDay')
    this.categoryOffsets = container.u32('categoryOffsets')
    this.categoryIds = container.u32('categoryIds')
    this.tagOffsets = container.u32('tagOffsets')
    this.tagIds = container.u32('tagIds')
    this.metaBlob = container.u8('metaBlob')
    this.metaOffsets = container.f64('metaOffsets')
    this.textBlob = container.u8('textBlob')
    this.textOffsets = container.f64('textOffsets')
  }

  /** Display data of one document (everything but the body text). */
  display(doc: number): Omit<StoredDocument, 'text'> {
    const raw = decoder.decode(this.metaBlob.subarray(this.metaOffsets[doc], this.metaOffsets[doc + 1]))
    return JSON.parse(raw) as Omit<StoredDocument, 'text'>
  }

  text(doc: number): string {
    return decoder.decode(this.textBlob.subarray(this.textOffsets[doc], this.textOffsets[doc + 1]))
  }

  hasCategory(doc: number, id: number): boolean {
    return holds(this.categoryOffsets, this.categoryIds, doc, id)
  }

  hasTag(doc: number, id: number): boolean {
    return holds(this.tagOffsets, this.tagIds, doc, id)
  }
}

/** Whether document `doc`'s row of a compressed-row facet column holds `id`. */
function holds(offsets: Uint32Array, ids: Uint32Array, doc: number, id: number): boolean {
  for (let k = offsets[doc]!; k < offsets[doc + 1]!; k++) if (ids[k] === id) return true
  return false
}
