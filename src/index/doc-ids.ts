/**
 * Finds a document by its id (GET /doc). Ids are stored in document order, which is not id order,
 * so the document numbers are sorted by id once, on the first lookup: 4 bytes a document instead
 * of a map holding every id string, and each lookup then decodes about log2(count) ids.
 */
export class DocIds {
  private sorted: Uint32Array | undefined

  constructor(
    private readonly count: number,
    private readonly idOf: (doc: number) => string,
  ) {}

  /** The document whose id is `id`, or -1. */
  find(id: string): number {
    const sorted = (this.sorted ??= this.sortById())
    let lo = 0
    let hi = sorted.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const doc = sorted[mid]!
      const here = this.idOf(doc)
      if (here === id) return doc
      if (here < id) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  private sortById(): Uint32Array {
    const ids = Array.from({ length: this.count }, (_, doc) => this.idOf(doc))
    // Code-unit order, as find() compares: localeCompare would disagree with `<` on some ids.
    return Uint32Array.from(ids.keys()).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0))
  }
}
