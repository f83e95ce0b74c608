import type { DocStore } from '../index/doc-store.js'
import type { FacetCount, FacetCounts, FacetName } from './types.js'

/**
 * Most values listed for a category or tag facet. An archive can carry thousands of tags; a page
 * shows the common ones, and a client wanting a rare one filters by it directly.
 */
export const MAX_FACET_VALUES = 100

/**
 * Counts categories, tags and years over a result set (every matching document, not one page).
 * A document counts once per value even if its front matter repeats the value; undated documents
 * count under no year.
 *
 * ```ts
 * countFacets([3, 8, 9], engine.index.docs, ['category', 'year'])
 * // → { category: [{ value: 'xwlb', count: 2 }, …], year: [{ value: '2024', count: 3 }] }
 * ```
 */
export function countFacets(docs: Iterable<number>, store: DocStore, names: readonly FacetName[]): FacetCounts {
  const counts: FacetCounts = {}
  for (const name of new Set(names)) {
    if (name === 'year') counts.year = countYears(docs, store.dateDay)
    else if (name === 'category') counts.category = countValues(docs, store.categoryOffsets, store.categoryIds, store.meta.categoryNames)
    else counts.tag = countValues(docs, store.tagOffsets, store.tagIds, store.meta.tagNames)
  }
  return counts
}

/** Counts over one facet column stored in compressed-row form (offsets per document into ids). */
function countValues(docs: Iterable<number>, offsets: Uint32Array, ids: Uint32Array, names: readonly string[]): FacetCount[] {
  const count = new Uint32Array(names.length)
  // The last document each value was counted for, so a repeated value counts once per document.
  const countedFor = new Int32Array(names.length).fill(-1)
  for (const doc of docs) {
    for (let k = offsets[doc]!, end = offsets[doc + 1]!; k < end; k++) {
      const id = ids[k]!
      if (countedFor[id] === doc) continue
      countedFor[id] = doc
      count[id]!++
    }
  }
  const out: FacetCount[] = []
  for (let id = 0; id < names.length; id++) if (count[id]! > 0) out.push({ value: names[id]!, count: count[id]! })
  out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
  return out.slice(0, MAX_FACET_VALUES)
}

/** Counts per calendar year of the post's own date (`dateDay` is YYYYMMDD, 0 when undated). */
function countYears(docs: Iterable<number>, dateDay: Int32Array): FacetCount[] {
  const byYear = new Map<number, number>()
  for (const doc of docs) {
    const day = dateDay[doc]!
    if (day === 0) continue
    const year = Math.floor(day / 10_000)
    byYear.set(year, (byYear.get(year) ?? 0) + 1)
  }
  return [...byYear]
    .sort((a, b) => b[0] - a[0])
    // Four digits, as the page's from/to dates need (0099 for a year 99 typo).
    .map(([year, count]) => ({ value: String(year).padStart(4, '0'), count }))
}
