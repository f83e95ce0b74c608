import type { Analyzer } from '../analysis/analyzer.js'
import { withoutInvisible } from '../analysis/invisible.js'
import { normalize } from '../analysis/normalize.js'
import { classify, isIdeographic, UnitClass } from '../analysis/units.js'
import { parseQuery, type Alternative } from './query-parser.js'
import { phraseOf, termsOf, type QueryTerm } from './query-terms.js'
import type { SynonymLookup } from './synonyms.js'

/**
 * A query cut into the terms the engine matches: everything that needs jieba and nothing that needs
 * the postings. The server makes it on its main thread, so search threads need no segmenter of their
 * own (about 36 MB each); it crosses threads as a structured clone, which keeps shared references,
 * so a glued term's parts are still the very terms of their clauses on the other side.
 */
export interface AnalyzedQuery {
  /** Clauses that must all match, each as its alternative terms (synonyms included). */
  clauses: QueryTerm[][]
  /**
   * Words with a lone character glued on (断头路): their two parts are clauses of their own, the
   * character only filtering, and posts holding the whole as typed rank first.
   */
  glued: QueryTerm[]
  /**
   * Runs typed without a space that the analyzer cut into several terms (远程办公 → 远程 + 办公, gpt-4):
   * each as one phrase, never required, that adds to the score of the posts holding it as typed.
   */
  typed: QueryTerm[]
  excluded: QueryTerm[]
  /**
   * The last clause's term when it may be a word still being typed: letters at the very end of the
   * query (rus, on the way to rust). The plan completes it from the index when no post holds it as typed.
   */
  unfinished: QueryTerm | null
  /**
   * The query with a rare term replaced by a common word that sounds the same (see correctedQuery), and
   * its analysis: offered as `did_you_mean` when the query itself finds too little and this finds more.
   */
  correction?: { q: string; query: AnalyzedQuery }
  categories: string[]
  tags: string[]
  /** Categories and tags a document must not have (-category:xwlb, -tag:科技). */
  excludedCategories: string[]
  excludedTags: string[]
}

/** Clauses a query may have; the rest of a pasted essay adds work, not precision. */
const MAX_CLAUSES = 32
/**
 * Alternatives of one OR, of all the ORs of a query together, and excluded terms, a query may have.
 * Each alternative is walked over on its own: six ORs of sixteen common characters each (`的|一|是|…`)
 * held a search thread for 0.9 s at 100,000 posts, one of them 0.14 s.
 */
const MAX_ALTERNATIVES = 16
/**
 * Words a typed run may have to score as a phrase of its own. A longer run is a pasted title or passage,
 * which the engine's passage and exact-title bonuses already reward, and whose phrase would cost a
 * cursor over dozens of grams for nothing.
 */
const MAX_TYPED_RUN_WORDS = 3
/** Characters of a query the engine reads: the HTTP layer allows far fewer; this bounds direct callers. */
const MAX_QUERY_CHARS = 1000

/** Parses and cuts `q` with the index's analyzer and synonym groups. */
export function analyzeQuery(q: string, analyzer: Analyzer, synonyms: SynonymLookup): AnalyzedQuery {
  // Accents composed as the posts' are (NFC): e + U+0301 finds é; invisible characters go, as they do from posts.
  const input = withoutInvisible(boundedQuery(q)).normalize('NFC')
  const parsed = parseQuery(input)
  const glued: QueryTerm[] = []
  const typed: QueryTerm[] = []
  const phrase = (text: string, field: 'any' | 'title') => phraseOf(text, analyzer, field)
  const synonymTerms = (group: readonly string[], field: 'any' | 'title') =>
    group.map((m) => phrase(m, field)).filter((t): t is QueryTerm => t !== null)
  const alternativeTerms = (alt: Alternative): QueryTerm[] => {
    if (!alt.phrase) return termsOf(alt.text, analyzer, alt.field)
    const t = phrase(alt.text, alt.field)
    return t ? [t] : []
  }
  /**
   * The synonym group of an alternative typed unquoted, as a whole (新能源汽车, not 新能源 + 汽车), the
   * member typed first: `terms` names what was asked for before what it brought in.
   */
  const groupOf = (alt: Alternative): readonly string[] | undefined => {
    const typed = normalize(alt.text).trim()
    const group = alt.quoted ? undefined : synonyms.get(typed)
    return group && [typed, ...group.filter((m) => m !== typed)]
  }
  /** A term and, when it belongs to a synonym group, the other members as alternatives. */
  const withSynonyms = (term: QueryTerm): QueryTerm[] => {
    const group = synonyms.get(term.text)
    return group ? [term, ...synonymTerms(group.filter((m) => m !== term.text), term.field)] : [term]
  }

  // A term or clause asked for twice means what it means once, and would only be matched twice: each
  // kept once (`的 的 的 …`, `"的，中国" | "的，中国" | …` cost a search per copy).
  const seen = new Set<string>()
  const firstTime = (key: string): boolean => {
    if (seen.has(key)) return false
    seen.add(key)
    return true
  }
  const raw: QueryTerm[][] = []
  /** The lone character of each glued term so far, by key. */
  const lones = new Map<string, QueryTerm>()
  const pushClause = (alternatives: QueryTerm[]): void => {
    const keys = new Set<string>()
    const distinct = alternatives.filter((term) => {
      const key = termKey(term)
      if (keys.has(key)) return false
      keys.add(key)
      return true
    })
    if (distinct.length > 0 && firstTime(`clause ${[...keys].sort().join('\u0003')}`)) raw.push(distinct)
  }
  let alternativesLeft = MAX_ALTERNATIVES
  for (const all of withSpacedMembers(parsed.clauses, synonyms).slice(0, MAX_CLAUSES)) {
    // An OR past the query's share of alternatives is left out, as a clause past MAX_CLAUSES is.
    if (all.length > 1 && alternativesLeft < 2) continue
    const alternatives = all.length > 1 ? all.slice(0, alternativesLeft) : all
    if (alternatives.length > 1) {
      alternativesLeft -= alternatives.length
      // Each side with its synonyms: `电动车 | 光伏` finds every post `电动车` finds, and more.
      pushClause(alternatives.flatMap((alt) => {
        const group = groupOf(alt)
        return group ? synonymTerms(group, alt.field) : alternativeTerms(alt)
      }))
      continue
    }
    const alt = alternatives[0]!
    const group = groupOf(alt)
    // A whole synonym (新能源汽车) is one clause of its group, before jieba would cut it apart.
    if (group) {
      pushClause(synonymTerms(group, alt.field))
      continue
    }
    const terms = alternativeTerms(alt)
    // Typed as one run, the words were meant together: 远程办公 is about remote work, not a post where
    // 远程 and 办公 sit in different stories.
    const words = terms.filter((t) => !t.stop).length
    if (!alt.phrase && words > 1 && words <= MAX_TYPED_RUN_WORDS) {
      const whole = phrase(alt.text, alt.field)
      if (whole && firstTime(`typed ${termKey(whole)}`)) typed.push(whole)
    }
    for (const piece of alt.phrase ? terms : memberPieces(normalize(alt.text).trim(), terms, synonyms, (text) => termsOf(text, analyzer, alt.field))) {
      if (typeof piece === 'string') {
        // A member inside the run (新能源汽车 in 新能源汽车销量) brings its group, as typed alone.
        pushClause(synonymTerms([piece, ...synonyms.get(piece)!.filter((m) => m !== piece)], alt.field))
        continue
      }
      const term = piece
      if (term.parts && !alt.phrase && !synonyms.has(term.text)) {
        // 阿尔茨海默 + 病 must both occur, and posts where they meet as typed rank first. Its parts are
        // clauses of their own even beside the same words asked for alone: the glued term names them.
        if (!firstTime(`glued ${termKey(term)}`)) continue
        // The same character glued onto several words (坚持好 完善好 运行好) is one clause, shared by them:
        // three would narrow nothing more and count three times toward holding most of the query.
        const lone = term.lone!
        const shared = lones.get(termKey(lone))
        if (shared) term.parts[term.parts.indexOf(lone)] = term.lone = shared
        else lones.set(termKey(lone), lone)
        for (const part of term.parts) if (part !== shared) raw.push(withSynonyms(part))
        glued.push(term)
      } else pushClause(alt.phrase ? [term] : withSynonyms(term))
    }
  }
  // Function words only count when the query has nothing else.
  const meaningful = raw.filter((alts) => alts.some((t) => !t.stop))
  const clauses = (meaningful.length > 0 ? meaningful : raw).slice(0, MAX_CLAUSES)
  // -长江经济带 leaves out the word as typed, quoted or not: cut into 长江 and 经济带, it would leave out every post with 长江.
  // Unquoted, it leaves out its synonyms too: `-电动车` must not keep the posts `电动车` finds through 电动汽车.
  const excluded = parsed.excluded
    .slice(0, MAX_ALTERNATIVES)
    .flatMap((alt) => {
      const group = groupOf(alt)
      return group ? synonymTerms(group, alt.field) : [phrase(alt.text, alt.field)]
    })
    .filter((term): term is QueryTerm => term !== null && firstTime(`excluded ${termKey(term)}`))
  const checkedInText = [...clauses.flat(), ...excluded].filter(readsText).length
  if (checkedInText > MAX_TEXT_CHECKED_TERMS) {
    throw new QueryTooCostlyError(
      `A query may hold at most ${MAX_TEXT_CHECKED_TERMS} phrases with a single character beside punctuation or a space ` +
        `(like "的，中国"), each checked against the text of every post that may hold it; this one holds ${checkedInText}.`,
    )
  }
  return {
    clauses,
    glued,
    typed: typed.slice(0, MAX_CLAUSES),
    excluded,
    unfinished: unfinishedWord(normalize(input), clauses),
    categories: parsed.categories,
    tags: parsed.tags,
    excludedCategories: parsed.excludedCategories,
    excludedTags: parsed.excludedTags,
  }
}

/** Letters a word needs before it is completed: one letter would bring in the archive's commonest words. */
const MIN_UNFINISHED_LETTERS = 2

/**
 * The term of the query's last clause when it can be a word cut short by typing: one run of letters
 * (not Han characters, which the grams already find inside words), alone in its clause, that ends the
 * folded query. A space, quote or mark after it says the word is finished.
 */
function unfinishedWord(folded: string, clauses: QueryTerm[][]): QueryTerm | null {
  const last = clauses.at(-1)
  if (last?.length !== 1) return null
  const term = last[0]!
  if (term.units.length !== 1 || term.stop || term.parts || term.text.length < MIN_UNFINISHED_LETTERS) return null
  if (classify(term.text.codePointAt(0)!) !== UnitClass.Letter || !folded.endsWith(term.text)) return null
  return term
}

/** Words a synonym member of several may have (New York, machine learning). */
const MAX_MEMBER_WORDS = 4

/**
 * The clauses with each run of words typed apart that spells a synonym member holding spaces (`New York`
 * of `New York, 纽约`) made one clause again: the parser splits at spaces, and `new` and `york` are no
 * members, so `New York` would otherwise find neither 纽约 nor the phrase. Quoted words stay as typed.
 */
function withSpacedMembers(clauses: Alternative[][], synonyms: SynonymLookup): Alternative[][] {
  if (synonyms.size === 0 || clauses.length < 2) return clauses
  const word = (clause: Alternative[] | undefined) => (clause?.length === 1 && !clause[0]!.quoted && !clause[0]!.phrase ? clause[0]! : null)
  const joined: Alternative[][] = []
  for (let i = 0; i < clauses.length; i++) {
    const first = word(clauses[i])
    let n = first === null ? 0 : Math.min(MAX_MEMBER_WORDS, clauses.length - i)
    for (; n >= 2; n--) {
      const run = clauses.slice(i, i + n).map(word)
      if (run.some((w) => w === null || w.field !== first!.field)) continue
      if (synonyms.has(normalize(run.map((w) => w!.text).join(' ')).trim().replace(/\s+/g, ' '))) break
    }
    if (n < 2) {
      joined.push(clauses[i]!)
      continue
    }
    joined.push([{ ...first!, text: clauses.slice(i, i + n).map((c) => c[0]!.text).join(' ') }])
    i += n - 1
  }
  return joined
}

/** Characters a synonym member found inside a typed run may have: longer ones are pasted text, not a name. */
const MAX_MEMBER_CHARS = 16

/**
 * A typed run's terms with the synonym members it holds across or inside them (新能源 + 汽车销量 holds
 * 新能源汽车) taken out as members, and the text around each cut again by `cut`. Jieba cuts the run with
 * no knowledge of the synonyms, so a member is taken where it is longer than every term it cuts
 * through (新能源汽车 through 汽车销量), and never out of a longer word (中国 out of 中国人民银行):
 * the leftmost, longest first. A member that is one whole term already brings its group.
 */
function memberPieces(typed: string, terms: QueryTerm[], synonyms: SynonymLookup, cut: (text: string) => QueryTerm[]): (QueryTerm | string)[] {
  if (synonyms.size === 0 || terms.length === 0) return terms
  const text = terms.map((t) => t.text).join('')
  // Offsets are read off the terms laid end to end: a run they do not spell out whole (电动，车, where
  // the comma parts them) keeps its cut, as no member may span a gap.
  if (text !== typed) return terms
  const ends: number[] = []
  for (const t of terms) ends.push((ends.at(-1) ?? 0) + t.text.length)
  const termAt = (offset: number) => ends.findIndex((end) => end > offset)
  const cutsLonger = (from: number, to: number) => {
    for (const at of [from, to]) {
      const k = termAt(at)
      if (k < 0) continue
      const start = ends[k]! - terms[k]!.text.length
      if (start < at && terms[k]!.text.length >= to - from) return true
    }
    return false
  }
  const pieces: (QueryTerm | string)[] = []
  let done = 0
  for (let from = 0; from < text.length; from++) {
    let to = Math.min(text.length, from + MAX_MEMBER_CHARS)
    for (; to >= from + 2; to--) {
      const candidate = text.slice(from, to)
      if (synonyms.has(candidate) && !terms.some((t) => t.text === candidate) && !cutsLonger(from, to)) break
    }
    if (to < from + 2) continue
    if (from > done) pieces.push(...cut(text.slice(done, from)))
    pieces.push(text.slice(from, to))
    done = to
    from = to - 1
  }
  if (done === 0) return terms
  if (done < text.length) pieces.push(...cut(text.slice(done)))
  return pieces
}

/**
 * A query the engine will not answer because of the work it would take, as a client error (status 400,
 * its message meant for the client: the http-errors convention the server's error bodies follow).
 */
export class QueryTooCostlyError extends Error {
  readonly status = 400
  readonly expose = true
  /** The parameter at fault, as the API's other 400s name it. */
  readonly param = 'q'
  constructor(message: string) {
    super(message)
    this.name = 'QueryTooCostlyError'
  }
}

/**
 * Terms of this kind a query may hold: one costs up to ~0.3 s at 100,000 posts, and a query of sixteen
 * (`"的，中国" | "的，发展" | …`, within the length limit) held a search thread for seconds.
 */
const MAX_TEXT_CHECKED_TERMS = 4

/**
 * Whether a term holds a Han character standing alone between gaps (the 的 of "的，中国"): the index
 * keeps no positions for such a character when it is one code unit (GramInterner), so only each
 * candidate post's text settles the term. Said here, before the index is consulted, by the same rule
 * TermPlan.readsText reads from the index's flags.
 */
function readsText(term: QueryTerm): boolean {
  const { units, joined } = term
  if (units.length < 2) return false
  for (let k = 0; k < units.length; k++) {
    const paired = joined[k] === 1 || (k + 1 < units.length && joined[k + 1] === 1)
    if (!paired && units[k]!.length === 1 && isIdeographic(units[k]!)) return true
  }
  return false
}

/** What makes two terms the same: the field, the units and where they must touch. */
function termKey(term: QueryTerm): string {
  return `${term.field}\u0001${term.units.join('\u0002')}\u0001${term.joined.join('')}`
}

/** The query cut to MAX_QUERY_CHARS, never inside a surrogate pair. */
function boundedQuery(q: string): string {
  if (q.length <= MAX_QUERY_CHARS) return q
  const end = MAX_QUERY_CHARS - (/[\ud800-\udbff]/.test(q[MAX_QUERY_CHARS - 1]!) ? 1 : 0)
  return q.slice(0, end)
}
