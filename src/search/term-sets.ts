import { addToSet, type StoredDenseSets } from '../index/dense-sets.js'
import { END } from '../index/posting-cursor.js'
import type { TermPlan } from './match.js'

/**
 * The memory an engine's exact sets may take (each a bit per document: 12.5 KB at 100,000 posts, so
 * 320 sets there), and how many terms' uses it tracks before it forgets them all.
 */
const KEPT_BYTES = 4 << 20
const TRACKED_USES = 4096

/**
 * The documents of a common term as a bitset, for counting a query's matches by ANDing sets and for
 * telling at one read whether a document may match (see BlockSkip). A one-gram term's set is its
 * gram's dense set, written by the build. A term of several grams (习近平, 高质量) matches only where its
 * grams line up, which no gram's set tells: its exact set is made here by walking its postings once,
 * when a query uses the term a second time, and kept for later queries. Common terms recur (a query
 * stream repeats the same few hundred words), and without a set a query of two such terms (习近平
 * 总书记) cannot step over blocks and walks every match of both. Kept per engine, least recently used
 * dropped first; answers never depend on it, only how fast they come.
 */
export class TermSets {
  private readonly exact = new Map<string, Uint32Array>()
  private readonly uses = new Map<string, number>()

  constructor(private readonly dense: StoredDenseSets) {}

  /**
   * The term's documents (in any field) as a bitset, or null when it has none: not common (its rarest
   * gram is not dense), asked for in the title only, or of several grams and not yet used twice.
   */
  of(plan: TermPlan): Uint32Array | null {
    const grams = plan.grams
    if (grams.length === 0 || plan.term.field !== 'any') return null
    const rarest = this.dense.row(grams[0]!)
    if (grams.length === 1 || rarest === null) return rarest
    // A term whose positions cannot pin it down is settled by reading texts: too costly to walk whole.
    if (plan.readsText) return null
    // Grams and offsets say where the term matches: the same key, the same set.
    const key = `${grams.join(',')}@${plan.offsets.join(',')}`
    const kept = this.exact.get(key)
    if (kept !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.exact.delete(key)
      this.exact.set(key, kept)
      return kept
    }
    const used = (this.uses.get(key) ?? 0) + 1
    if (used < 2) {
      if (this.uses.size >= TRACKED_USES) this.uses.clear()
      this.uses.set(key, used)
      return null
    }
    this.uses.delete(key)
    const set = exactSet(plan, rarest.length)
    if (this.exact.size >= Math.max(1, Math.floor(KEPT_BYTES / set.byteLength))) this.exact.delete(this.exact.keys().next().value!)
    this.exact.set(key, set)
    return set
  }
}

/** The documents where the term's grams line up, in any field, as a bitset of `words` 32-bit words. */
function exactSet(plan: TermPlan, words: number): Uint32Array {
  const set = new Uint32Array(words)
  const cursor = plan.open()
  for (let doc = cursor.candidate(0); doc !== END; doc = cursor.candidate(doc + 1)) if (cursor.matchAt(doc)) addToSet(set, doc)
  return set
}
