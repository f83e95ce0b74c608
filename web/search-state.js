// The page's search as a plain value: what the URL says, what it says back, and how a filter picked
// on the page changes it. No DOM here: app.js draws, this module decides.

/** The API's bounds for `size`; a URL with another value is read as the default. */
export const MAX_SIZE = 100
export const MAX_PAGE = 10000
export const FILTERS = ['category', 'tag', 'from', 'to']

/**
 * @typedef {{q: string, page: number, size: number | null, category: string, tag: string,
 *            from: string, to: string, sort: string}} SearchState
 */

/** @returns {SearchState} */
export function stateFromUrl(search) {
  const params = new URLSearchParams(search)
  const whole = (name) => {
    const text = params.get(name)
    return text !== null && /^\d{1,9}$/.test(text) ? Number(text) : null
  }
  const size = whole('size')
  return {
    q: params.get('q') ?? '',
    page: Math.max(1, whole('page') ?? 1),
    // A size the API would refuse would fail every later search too, with nothing on the page to change it.
    size: size !== null && size >= 1 && size <= MAX_SIZE ? size : null,
    category: params.get('category') ?? '',
    tag: params.get('tag') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    sort: params.get('sort') === 'date' ? 'date' : 'relevance',
  }
}

/** The parameters that differ from the defaults, in a stable order, so URLs stay short and shareable. */
export function stateToParams(state) {
  const params = new URLSearchParams()
  if (state.q.trim() !== '') params.set('q', state.q)
  for (const name of FILTERS) if (state[name] !== '') params.set(name, state[name])
  if (state.sort !== 'relevance') params.set('sort', state.sort)
  if (state.page > 1) params.set('page', String(state.page))
  if (state.size !== null) params.set('size', String(state.size))
  return params
}

export function pageUrl(state) {
  const query = stateToParams(state).toString()
  return query === '' ? '/' : `/?${query}`
}

export function hasFilters(state) {
  return FILTERS.some((name) => state[name] !== '')
}

/** Filters and a sort other than relevance: what the folded panel's summary counts. */
export function activeChoices(state) {
  return FILTERS.filter((name) => state[name] !== '').length + (state.sort !== 'relevance' ? 1 : 0)
}

/** The year a from/to pair selects exactly (YYYY-01-01 … YYYY-12-31), or ''. */
export function selectedYear(state) {
  const match = /^(\d{4})-01-01$/.exec(state.from)
  return match && state.to === `${match[1]}-12-31` ? match[1] : ''
}

/** The state with one facet value (category, tag or year) picked, or dropped when it was already picked. */
export function toggleFacet(state, name, value) {
  const next = { ...state, page: 1 }
  if (name === 'year') {
    const picked = selectedYear(state) === value
    next.from = picked ? '' : `${value}-01-01`
    next.to = picked ? '' : `${value}-12-31`
  } else {
    next[name] = state[name] === value ? '' : value
  }
  return next
}
