/** Typed letters shorter than this are no pinyin to look up: one letter starts a tenth of all words. */
const MIN_TYPED = 2

/**
 * Finds words by pinyin typed without an input method: the start of the whole reading (`hongqi`,
 * `hong qi`) or the syllables' initials (`hqq`). Keys are sorted once, on the first lookup, so a
 * prefix is a binary search.
 */
export class PinyinLookup {
  private keys: string[] | undefined
  private ids: Uint32Array | undefined

  constructor(private readonly readings: readonly string[]) {}

  /**
   * Up to `limit` word ids (ascending, so most frequent first) whose reading starts with `typed`, letters
   * only once spaces and apostrophes go; none for anything else, or fewer than two letters.
   */
  find(typed: string, limit: number): number[] {
    const letters = typed.toLowerCase().replace(/[\s']+/g, '')
    if (letters.length < MIN_TYPED || !/^[a-z]+$/.test(letters)) return []
    if (this.keys === undefined) this.sortKeys()
    const keys = this.keys!
    const ids = this.ids!
    const found = new Set<number>()
    for (let k = lowerBound(keys, letters); k < keys.length && keys[k]!.startsWith(letters); k++) found.add(ids[k]!)
    return [...found].sort((a, b) => a - b).slice(0, limit)
  }

  private sortKeys(): void {
    const entries: [string, number][] = []
    this.readings.forEach((reading, id) => {
      if (reading === '') return
      const syllables = reading.split(' ')
      entries.push([syllables.join(''), id])
      // A one-syllable word's initial is a single letter, which no lookup asks for.
      if (syllables.length > 1) entries.push([syllables.map((s) => s[0]).join(''), id])
    })
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
    this.keys = entries.map((e) => e[0])
    this.ids = Uint32Array.from(entries, (e) => e[1])
  }
}

/** The first index whose key is ≥ `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid]! < key) lo = mid + 1
    else hi = mid
  }
  return lo
}
