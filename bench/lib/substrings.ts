/**
 * Substring-recall queries: runs of consecutive Chinese characters copied from posts' body text, drawn by a
 * seeded generator so every run of the benchmark (and any test reusing it) asks exactly the same questions.
 */
import type { Document } from '../../src/ingest/document.js'
import { mulberry32, randomBelow, type Random } from './prng.js'

export type SampleSource = Pick<Document, 'id' | 'title' | 'paragraphs'>

export interface SubstringSample {
  /** The post the run was copied from: the hit a system must return. */
  docId: string
  query: string
}

export interface SubstringOptions {
  count: number
  seed: number
  /** Shortest run in characters (code points); default 2. */
  minLength?: number
  /** Longest run; default 8. */
  maxLength?: number
  /**
   * Redraw a run contained in more posts than this, so that a system's top-k list can hold every match
   * and a miss means the post was not found rather than ranked below k others. Default: no limit.
   */
  maxContaining?: number
}

export interface SubstringSampling {
  samples: SubstringSample[]
  /** Runs drawn in all, including those redrawn. */
  draws: number
  /** Runs redrawn because more than `maxContaining` posts contain them. */
  tooCommon: number
}

const HAN = /^\p{Script=Han}$/u

/** Body text as the samplers and the oracle see it: paragraphs on their own lines. */
export function bodyText(doc: SampleSource): string {
  return doc.paragraphs.join('\n')
}

/**
 * Draws `count` runs: a length uniform in [minLength, maxLength], then a post uniformly, then a start uniformly
 * among the places in its body where that many Chinese characters follow one another. Posts are visited in
 * id order, so the result depends only on the documents and the seed, not on the order they were read.
 */
export function sampleSubstrings(docs: readonly SampleSource[], options: SubstringOptions): SubstringSampling {
  const minLength = options.minLength ?? 2
  const maxLength = options.maxLength ?? 8
  if (!(minLength >= 1 && maxLength >= minLength)) throw new Error(`bad run lengths ${minLength}..${maxLength}`)
  if (docs.length === 0) throw new Error('no documents to sample from')
  const sorted = [...docs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const random = mulberry32(options.seed)
  const oracle = options.maxContaining === undefined ? null : new ContainmentOracle(sorted)
  const samples: SubstringSample[] = []
  let draws = 0
  let tooCommon = 0
  let barren = 0
  while (samples.length < options.count) {
    const length = minLength + randomBelow(random, maxLength - minLength + 1)
    const doc = sorted[randomBelow(random, sorted.length)]!
    const query = drawRun(bodyText(doc), length, random)
    if (query === null) {
      // A post with no run this long (empty or Latin-only body): draw again, but never forever.
      if (++barren > 100 * options.count + 1000) throw new Error('too few Chinese runs in these documents to sample from')
      continue
    }
    draws++
    if (oracle && oracle.countContaining(query, options.maxContaining!) > options.maxContaining!) {
      tooCommon++
      continue
    }
    samples.push({ docId: doc.id, query })
  }
  return { samples, draws, tooCommon }
}

/** A uniformly chosen run of exactly `length` consecutive Han characters in `text`, or null if there is none. */
function drawRun(text: string, length: number, random: Random): string | null {
  const chars = Array.from(text)
  // runEnd[i]: length of the Han run starting at i (0 when chars[i] is not Han).
  const runLength = new Int32Array(chars.length + 1)
  for (let i = chars.length - 1; i >= 0; i--) runLength[i] = HAN.test(chars[i]!) ? runLength[i + 1]! + 1 : 0
  const starts: number[] = []
  for (let i = 0; i < chars.length; i++) if (runLength[i]! >= length) starts.push(i)
  if (starts.length === 0) return null
  const start = starts[randomBelow(random, starts.length)]!
  return chars.slice(start, start + length).join('')
}

/**
 * Counts the posts whose title or body contains a string exactly, using postings of two-code-unit windows
 * over CJK characters to find candidates and plain `includes` to confirm them.
 */
export class ContainmentOracle {
  private readonly texts: string[]
  private readonly postings = new Map<string, number[]>()

  constructor(docs: readonly SampleSource[]) {
    this.texts = docs.map((d) => `${d.title}\n${bodyText(d)}`)
    this.texts.forEach((text, d) => {
      for (let i = 0; i + 1 < text.length; i++) {
        if (!isCjkUnit(text.charCodeAt(i)) || !isCjkUnit(text.charCodeAt(i + 1))) continue
        const key = text.slice(i, i + 2)
        const list = this.postings.get(key)
        if (!list) this.postings.set(key, [d])
        else if (list[list.length - 1] !== d) list.push(d)
      }
    })
  }

  /** Posts containing `needle`, counted up to `cap + 1` (enough to tell "more than cap"). */
  countContaining(needle: string, cap = Number.POSITIVE_INFINITY): number {
    let candidates: readonly number[] | null = null
    for (let i = 0; i + 1 < needle.length; i++) {
      if (!isCjkUnit(needle.charCodeAt(i)) || !isCjkUnit(needle.charCodeAt(i + 1))) continue
      const list = this.postings.get(needle.slice(i, i + 2)) ?? []
      if (!candidates || list.length < candidates.length) candidates = list
    }
    let count = 0
    for (const d of candidates ?? this.texts.keys()) {
      if (this.texts[d]!.includes(needle) && ++count > cap) break
    }
    return count
  }
}

/** CJK Unified Ideographs (with extension A) and compatibility ideographs, as UTF-16 units. */
function isCjkUnit(c: number): boolean {
  return (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)
}
