/** What a caller may ask of the engine: the `/search` parameters of CONTRACT.md, already validated. */
export interface SearchParams {
  q: string
  page: number
  size: number
  category?: string | undefined
  tag?: string | undefined
  /** Inclusive lower bound, `YYYY-MM-DD`, compared in the post's own time zone. */
  from?: string | undefined
  /** Inclusive upper bound, `YYYY-MM-DD`. */
  to?: string | undefined
  sort?: 'relevance' | 'date' | undefined
  /** Facets to count over the whole result set (after filters), not just the page. */
  facets?: FacetName[] | undefined
}

/** What a result set can be counted by. */
export const FACET_NAMES = ['category', 'tag', 'year'] as const
export type FacetName = (typeof FACET_NAMES)[number]

/** One value of a facet and how many results carry it. */
export interface FacetCount {
  value: string
  count: number
}

/** Counts per requested facet: categories and tags most frequent first, years newest first. */
export type FacetCounts = Partial<Record<FacetName, FacetCount[]>>

/** What a hit shows of its post (and GET /doc of the post it gives). */
export interface PostFields {
  id: string
  path: string
  title: string
  title_html: string
  url: string | null
  date: string | null
  categories: string[]
  tags: string[]
}

/** One ranked result, exactly the `hits[]` shape of CONTRACT.md. */
export interface Hit extends PostFields {
  score: number
  snippet_html: string
}

/** The body of a successful `GET /search`, and of `jiansuo search --json`. */
export interface SearchResponse {
  query: string
  terms: string[]
  total: number
  page: number
  size: number
  took_ms: number
  /** True when too few documents hold every term (fewer than ten) and documents holding most of them follow. */
  relaxed: boolean
  /**
   * Present only when the query found nothing or had to be relaxed, and the same query with a rare word
   * replaced by a common one that sounds the same (宏旗区 → 红旗区) finds posts holding every term.
   */
  did_you_mean?: string
  hits: Hit[]
  /** Present only when `facets` were asked for. */
  facets?: FacetCounts
}
