import { normalize, NORMALIZE_VERSION } from './normalize.js'
import { createSegmenter, segmenterVersion, withSubwordCache, type Segmenter } from './segment.js'
import { isIdeographic, splitUnits, splitUnitSpans, type UnitSpans, type Units } from './units.js'

/** A Han word of two or more characters at a unit position. */
export interface WordOccurrence {
  key: string
  /** Index of the word's first unit. */
  pos: number
}

/** Text after the analysis chain: folded, split into units, and cut into words. */
export interface AnalyzedText {
  /** The folded text; same length as the original, so offsets carry over. */
  folded: string
  units: Units
  /** Dictionary words and their sub-words, by position; single characters are left to the unit grams. */
  words: WordOccurrence[]
}

/** The analysis stamp of an index built with this jiansuo and `userDictionary`: an Analyzer's `version`, without loading jieba. */
export function analysisVersion(userDictionary: string = ''): string {
  return stamp(segmenterVersion(userDictionary))
}

function stamp(segmenter: string): string {
  return `${ANALYSIS_FORMAT};${NORMALIZE_VERSION};${segmenter}`
}

/** The analyzer sharedAnalyzer made last, with the user dictionary it cuts with. */
let shared: { userDictionary: string; analyzer: Analyzer } | undefined

/**
 * One query analyzer per process for a user dictionary. Loading jieba's dictionary takes ~0.3 s and
 * ~36 MB, and a server opens an engine for every generation it follows: each would load its own on
 * its first query, which then waited for it. Jieba cuts the same with the same dictionary, so they
 * share this one; a generation built with another dictionary replaces it.
 */
export function sharedAnalyzer(userDictionary: string): Analyzer {
  if (shared?.userDictionary !== userDictionary) shared = { userDictionary, analyzer: new Analyzer(createSegmenter(userDictionary)) }
  return shared.analyzer
}

/**
 * The one analysis chain for documents and queries: normalize → units → jieba words.
 * Indexing and querying share an Analyzer, so a word can never be cut one way when stored and
 * another when asked for (beyond what context changes in jieba, which the grams absorb).
 */
export class Analyzer {
  readonly version: string
  readonly segmenter: Segmenter

  constructor(segmenter: Segmenter = createSegmenter()) {
    // Sub-words of long words are cut for search once per word, not once per occurrence.
    this.segmenter = withSubwordCache(segmenter)
    this.version = stamp(segmenter.version)
  }

  analyze(text: string): AnalyzedText {
    const folded = normalize(text)
    const units = splitUnits(folded)
    return { folded, units, words: this.words(folded, units) }
  }

  /** The chain without materialising unit strings or words: what indexing needs, at a fraction of the garbage. */
  analyzeSpans(text: string): { folded: string; spans: UnitSpans } {
    const folded = normalize(text)
    return { folded, spans: splitUnitSpans(folded) }
  }

  /** Jieba's words over the folded text, each placed at the unit where it starts, followed by its sub-words. */
  words(folded: string, units: UnitSpans): WordOccurrence[] {
    const out: WordOccurrence[] = []
    this.eachWord(folded, units, (key, pos) => {
      out.push({ key, pos })
      if (key.length >= 3) for (const [sub, k] of this.subwordPlaces(key)) out.push({ key: sub, pos: pos + unitsIn(key, k) })
    })
    return out
  }

  /**
   * Calls `visit` with each whole word of the folded text, in order, and the unit it starts at: jieba's
   * words of two or more Han characters that start where a unit does. Indexing counts words without
   * placing them, and takes their sub-words from {@link subwordsOf} once per distinct word.
   */
  eachWord(folded: string, units: UnitSpans, visit: (word: string, unit: number) => void): void {
    if (units.starts.length === 0) return
    const tokens = this.segmenter.cut(folded)
    let offset = 0
    let u = 0
    const { starts, ends } = units
    for (const token of tokens) {
      const at = offset
      offset += token.length
      if (token.length < 2 || !isIdeographic(token)) continue
      while (u < ends.length && ends[u]! <= at) u++
      if (starts[u] === at) visit(token, u)
    }
  }

  /** The sub-words {@link words} lists after a whole word (none under three characters), in order. */
  subwordsOf(word: string): string[] {
    return word.length < 3 ? [] : this.subwordPlaces(word).map(([sub]) => sub)
  }

  /** A long word's sub-words with their offsets in it. */
  private subwordPlaces(word: string): [sub: string, offset: number][] {
    const out: [string, number][] = []
    let from = 0
    for (const sub of this.segmenter.subwords(word)) {
      // Sub-words come in reading order; searching on from the last keeps positions non-decreasing.
      const k = word.indexOf(sub, from)
      if (k < 0) continue
      from = k
      out.push([sub, k])
    }
    return out
  }
}

/** Bumped when the chain's rules change in a way the components' versions do not show (3: letter numbers such as Ⅱ are units; 4: so are c++ and c#). */
export const ANALYSIS_FORMAT = 'units-4'

/** Ideographs before offset k in a Han word: its unit offset (astral characters take two code units). */
function unitsIn(word: string, k: number): number {
  let n = 0
  for (let i = 0; i < k; i++) {
    const c = word.charCodeAt(i)
    if (c < 0xdc00 || c > 0xdfff) n++
  }
  return n
}
