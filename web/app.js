// The search page: reads the search from the URL (search-state.js), asks GET /search, and draws the
// answer: the status line and notices here, the hits (hit.js), the facets (facets.js) and the pages
// (pager.js). Text from the server goes in as text; only hit.js inserts HTML, the title_html and
// snippet_html the server escapes.

import { isBlank } from './blank.js'
import { isComposing } from './composition.js'
import { describeFailure } from './failure-text.js'
import { FACET_NAMES, facetGroups } from './facets.js'
import { renderHit } from './hit.js'
import { isolated } from './isolated.js'
import { pagerItems } from './pager.js'
import { activeChoices, FILTERS, hasFilters, MAX_PAGE, pageUrl, stateFromUrl, stateToParams, toggleFacet } from './search-state.js'

const TYPING_PAUSE_MS = 300
/** The reader's place is kept once scrolling has paused this long (see keepPlace). */
const PLACE_PAUSE_MS = 200
const SLOW_SEARCH_MS = 250
/** A search unanswered after this long is given up, and the page says the server is not answering. */
const SEARCH_TIMEOUT_MS = 15_000

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id))
const form = /** @type {HTMLFormElement} */ ($('search-form'))
const input = /** @type {HTMLInputElement} */ ($('q'))
const fields = {
  category: /** @type {HTMLInputElement} */ ($('category')),
  tag: /** @type {HTMLInputElement} */ ($('tag')),
  from: /** @type {HTMLInputElement} */ ($('from')),
  to: /** @type {HTMLInputElement} */ ($('to')),
  sort: /** @type {HTMLSelectElement} */ ($('sort')),
}
const results = $('results')
const statusLine = $('status')
const notice = $('notice')
const errorBox = $('error')
const hitList = $('hits')
const emptyBox = $('empty')
const pager = $('pager')
const facetPanel = $('facets')
const intro = $('intro')
const categoryOptions = $('category-options')
const filterPanel = /** @type {HTMLDetailsElement} */ ($('filter-panel'))
const filterSummary = $('filter-summary')
const knownCategories = new Set()

// ---- the form ------------------------------------------------------------------------------------

function fillForm(state) {
  input.value = state.q
  for (const name of FILTERS) fields[name].value = state[name]
  fields.sort.value = state.sort
}

/** The form's current state, starting again from page 1 (a changed query has different pages). */
function stateFromForm() {
  return {
    q: input.value,
    page: 1,
    size: current.size,
    category: fields.category.value.trim(),
    tag: fields.tag.value.trim(),
    from: fields.from.value,
    to: fields.to.value,
    sort: fields.sort.value === 'date' ? 'date' : 'relevance',
  }
}

/** The panel's summary says how many filters apply, so a closed panel does not hide them. */
function describeFilters(state) {
  const active = activeChoices(state)
  filterSummary.textContent = active === 0 ? '筛选与排序' : `筛选与排序（已选 ${active} 项）`
  filterSummary.classList.toggle('active', active > 0)
}

// ---- searching -----------------------------------------------------------------------------------

/** @type {import('./search-state.js').SearchState} */
let current = stateFromUrl(location.search)
/**
 * The field whose typing made the newest history entry ('q', 'from' or 'to'), or null: more typing in
 * that field replaces the entry instead of piling up; typing in another field starts a new one.
 */
let typingEntry = null
let inFlight = null
let searchSeq = 0

/**
 * Shows the results for `state`.
 * history: 'push' adds an entry (a deliberate search, a page, a filter), 'typing' adds one for the
 * first pause in typing in field `typed` and replaces it after, 'none' leaves history alone (load, back/forward).
 * focusResults moves the focus to the results once drawn; refocus ({facet, value, scroll}) names the facet
 * or chip just pressed, which gets it back once drawn anew. Both belong to this search alone: one that
 * another replaces must not take the focus from the box being typed in. scrollY is where to scroll once
 * the results are drawn (the place kept for the way back, keepPlace).
 */
function show(state, { history = 'push', focusResults = false, typed = 'q', refocus = null, scrollY = null } = {}) {
  current = state
  const url = pageUrl(state)
  if (history !== 'none' && url !== location.pathname + location.search) {
    if (history === 'typing' && typingEntry === typed) window.history.replaceState(null, '', url)
    else window.history.pushState(null, '', url)
  }
  typingEntry = history === 'typing' ? typed : history === 'none' ? typingEntry : null
  document.title = state.q.trim() === '' ? '检索 · 文章全文搜索' : `${isolated(state.q.trim())} - 检索`
  describeFilters(state)

  if (isBlank(state.q)) {
    cancelSearch()
    clearResults()
    intro.hidden = false
    return
  }
  intro.hidden = true
  if (state.from !== '' && state.to !== '' && state.from > state.to) {
    cancelSearch()
    clearResults()
    showError('起始日期不能晚于截止日期，请调整日期范围。')
    return
  }
  void runSearch(state, { focusResults, refocus, scrollY })
}

async function runSearch(state, focus) {
  cancelSearch()
  const controller = new AbortController()
  inFlight = controller
  const seq = ++searchSeq
  // Busy is the list being replaced, not the section: a screen reader holds back changes inside a busy
  // element, and the status line saying 正在搜索… and then how many were found must be heard.
  hitList.setAttribute('aria-busy', 'true')
  const slow = setTimeout(() => {
    if (seq === searchSeq) statusLine.textContent = '正在搜索…'
  }, SLOW_SEARCH_MS)
  let timedOut = false
  const deadline = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, SEARCH_TIMEOUT_MS)

  try {
    // Counts per category, tag and year over all matches, shown as filters beside the hits.
    const query = stateToParams(state)
    query.set('facets', FACET_NAMES.join(','))
    const response = await fetch(`/search?${query.toString()}`, {
      signal: controller.signal,
      headers: { Accept: 'application/json' },
    })
    const body = await response.json().catch(() => null)
    if (seq !== searchSeq) return
    const focusWasInResults = results.contains(document.activeElement)
    if (!response.ok) {
      clearResults()
      // Refused for now (429, 503) or failed on the server's side (500, a proxy's 502): asking again may work.
      const passing = response.status === 429 || response.status >= 500
      showError(describeFailure(response.status, body, response.headers.get('Retry-After')), passing ? { label: '重试', run: () => show(current, { history: 'none' }) } : undefined)
    } else {
      render(body)
      if (focus.scrollY !== null) window.scrollTo(0, focus.scrollY)
    }
    settleFocus(focus, focusWasInResults)
  } catch (err) {
    if (seq !== searchSeq) return
    if (err instanceof DOMException && err.name === 'AbortError' && !timedOut) return
    const focusWasInResults = results.contains(document.activeElement)
    clearResults()
    showError(timedOut ? '服务器没有响应，请稍后重试。' : '无法连接到服务器，请检查网络后重试。', { label: '重试', run: () => show(current, { history: 'none' }) })
    settleFocus(focus, focusWasInResults)
  } finally {
    clearTimeout(slow)
    clearTimeout(deadline)
    if (seq === searchSeq) {
      hitList.removeAttribute('aria-busy')
      inFlight = null
    }
  }
}

/**
 * Where the focus goes once the results (or an error in their place) are drawn: to the results when
 * asked; back to the facet or chip just pressed, or to the results when it is gone; and to the results
 * when the control holding it (a page link, 重试) was drawn away, so the keyboard does not start again
 * from the top of the page.
 */
function settleFocus({ focusResults, refocus }, focusWasInResults) {
  if (focusResults) {
    results.focus({ preventScroll: true })
    results.scrollIntoView({ block: 'start' })
  }
  if (refocus !== null) {
    const { facet, value, scroll } = refocus
    const again = [...facetPanel.querySelectorAll('.facet-value')].find((b) => b.dataset.facet === facet && b.dataset.value === value)
    // From a chip far down the hits, the filter it turned on is brought into view with the focus.
    ;(again ?? results).focus({ preventScroll: !scroll })
  }
  if (focusWasInResults && !results.contains(document.activeElement)) results.focus({ preventScroll: true })
}

function cancelSearch() {
  searchSeq++
  if (inFlight !== null) inFlight.abort()
  inFlight = null
  hitList.removeAttribute('aria-busy')
}

// ---- rendering -----------------------------------------------------------------------------------

function clearResults() {
  statusLine.textContent = ''
  notice.hidden = true
  notice.replaceChildren()
  errorBox.hidden = true
  errorBox.replaceChildren()
  hitList.replaceChildren()
  emptyBox.hidden = true
  pager.hidden = true
  pager.replaceChildren()
  facetPanel.hidden = true
  facetPanel.replaceChildren()
}

/** A line of text, with a button after it when there is something to do about it. */
function message(text, action) {
  const line = document.createElement('p')
  line.textContent = text
  if (action) {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'link-button'
    button.textContent = action.label
    button.addEventListener('click', action.run)
    line.append(' ', button)
  }
  return line
}

function showError(text, action) {
  errorBox.replaceChildren(message(text, action))
  errorBox.hidden = false
}

function showNotice(text, action) {
  notice.append(message(text, action))
  notice.hidden = false
  announce(text)
}

/**
 * Adds `text` to the status line, unseen: the notices beside the hits are no live region, so a screen
 * reader hearing how many were found would not hear that some hold only part of the query, or the offer
 * of a correction.
 */
function announce(text) {
  const said = document.createElement('span')
  said.className = 'visually-hidden'
  said.textContent = text
  statusLine.append(said)
}

function render(body) {
  clearResults()
  const pages = Math.min(Math.ceil(body.total / body.size), MAX_PAGE)
  const took = body.took_ms < 1 ? body.took_ms.toFixed(2) : body.took_ms.toFixed(1)
  if (body.total === 0) {
    statusLine.textContent = `没有找到与“${isolated(body.query.trim())}”相关的文章（用时 ${took} 毫秒）`
    emptyBox.hidden = false
    $('empty-filters').hidden = !hasFilters(current)
    if (body.did_you_mean) offer($('did-you-mean'), body.did_you_mean)
    else $('did-you-mean').hidden = true
    return
  }
  statusLine.textContent =
    `找到 ${body.total.toLocaleString('zh-CN')} 篇相关文章` +
    (pages > 1 && body.page <= pages ? `，第 ${body.page.toLocaleString('zh-CN')} / ${pages.toLocaleString('zh-CN')} 页` : '') +
    `（用时 ${took} 毫秒）`
  if (body.did_you_mean) {
    const line = document.createElement('p')
    notice.append(line)
    notice.hidden = false
    offer(line, body.did_you_mean)
  }
  if (body.relaxed) showNotice('同时包含全部关键词的文章不多，下面也列出了只包含部分关键词的文章。')
  if (body.hits.length === 0) {
    showNotice(`第 ${body.page.toLocaleString('zh-CN')} 页没有结果，结果一共只有 ${pages.toLocaleString('zh-CN')} 页。`, {
      label: '回到第 1 页',
      run: () => show({ ...current, page: 1 }, { focusResults: true }),
    })
  }
  const groups = facetGroups(body.facets, current, pickFacet)
  if (groups.length > 0) {
    facetPanel.replaceChildren(...groups)
    facetPanel.hidden = false
  }
  hitList.start = (body.page - 1) * body.size + 1
  hitList.replaceChildren(...body.hits.map((hit) => renderHit(hit, body.query, current, filterBy)))
  for (const hit of body.hits) for (const category of hit.categories) rememberCategory(category)
  // Past the last page (an edited or old link), 上一页 leads to the last page, not to another empty one.
  const items = pagerItems(Math.min(body.page, pages + 1), pages, {
    hrefOf: (page) => pageUrl({ ...current, page }),
    go: (page) => show({ ...current, page }, { focusResults: true }),
  })
  if (items.length > 0) {
    pager.replaceChildren(...items)
    pager.hidden = false
  }
}

/** A facet value pressed: its filter on, or off when it was on. */
function pickFacet(name, value) {
  const next = toggleFacet(current, name, value)
  fillForm(next)
  show(next, { refocus: { facet: name, value, scroll: false } })
}

/** A hit's category or tag pressed: `next` is the filter's new value ('' to take it off). */
function filterBy(filter, next, value) {
  fields[filter].value = next
  show({ ...current, [filter]: next, page: 1 }, { refocus: { facet: filter, value, scroll: true } })
}

/**
 * Fills `line` with 是不是要找“query”？, the query (the response's did_you_mean: a homophone, or the word
 * pinyin letters spell) a link that searches for it, and shows it.
 */
function offer(line, query) {
  const link = document.createElement('a')
  link.href = pageUrl({ ...current, q: query, page: 1 })
  link.textContent = query
  link.addEventListener('click', (event) => {
    event.preventDefault()
    input.value = query
    show(stateFromForm(), { focusResults: true })
  })
  line.replaceChildren('是不是要找“', link, '”？')
  line.hidden = false
  announce(`是不是要找“${isolated(query)}”？`)
}

function rememberCategory(category) {
  if (knownCategories.has(category)) return
  knownCategories.add(category)
  const option = document.createElement('option')
  option.value = category
  categoryOptions.append(option)
}

// ---- typing, with input methods ------------------------------------------------------------------

// While an input method is composing (pinyin not yet turned into characters), the box holds
// half-typed letters; searching them would flash useless results. Search once composition ends.
let typingTimer = 0

function scheduleTypingSearch() {
  clearTimeout(typingTimer)
  // Suggestions (suggest.js) follow the same composition-guarded typing.
  input.dispatchEvent(new CustomEvent('jiansuo:typed'))
  typingTimer = window.setTimeout(() => {
    const state = stateFromForm()
    // The box as it was (a letter typed and deleted, a composition given up): the page stays where it is.
    if (pageUrl({ ...state, page: current.page }) === pageUrl(current) && state.q === current.q) return
    show(state, { history: 'typing' })
  }, TYPING_PAUSE_MS)
}

input.addEventListener('compositionstart', () => clearTimeout(typingTimer))
input.addEventListener('compositionend', scheduleTypingSearch)
input.addEventListener('input', () => {
  if (!isComposing()) scheduleTypingSearch()
})

form.addEventListener('submit', (event) => {
  event.preventDefault()
  // Enter that confirms a composition is not a search request.
  if (isComposing()) return
  clearTimeout(typingTimer)
  // On a touch screen the keyboard would keep half the results hidden: an explicit search moves the
  // focus to them, which closes it. With a mouse the box keeps the focus, for the next query.
  show(stateFromForm(), { focusResults: matchMedia('(pointer: coarse)').matches })
})

for (const name of ['category', 'tag', 'from', 'to', 'sort']) {
  fields[name].addEventListener('change', () => {
    clearTimeout(typingTimer)
    const field = fields[name]
    // A date typed digit by digit is complete at every digit of its year (0002, 0020, 0202, 2023): wait
    // for a year of four real digits, and let each later keystroke replace the history entry, not add one.
    const typingDate = (name === 'from' || name === 'to') && document.activeElement === field
    if (typingDate && field.value.startsWith('0')) return
    show(stateFromForm(), { history: typingDate ? 'typing' : 'push', typed: name })
  })
}

function clearFilters() {
  for (const name of FILTERS) fields[name].value = ''
  fields.sort.value = 'relevance'
  show(stateFromForm())
}
$('clear-filters').addEventListener('click', clearFilters)
$('empty-clear-filters').addEventListener('click', () => {
  clearFilters()
  // The box holding the button is hidden by the new search: keep focus on the results, not the page's start.
  results.focus({ preventScroll: true })
})

// The reading page's way back: this search with its page and filters (read.js).
for (const kind of ['click', 'auxclick']) {
  hitList.addEventListener(kind, (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="/read.html"]') : null
    if (link === null) return
    try {
      window.sessionStorage.setItem('jiansuo-reader-from', location.pathname + location.search)
    } catch {
      // Storage refused: the reading page searches the query again instead.
    }
  })
}

window.addEventListener('popstate', () => {
  clearTimeout(typingTimer)
  const state = stateFromUrl(location.search)
  fillForm(state)
  typingEntry = null
  show(state, { history: 'none' })
})

/** Tells a first-time visitor how much there is to search. */
async function describeCollection() {
  try {
    const response = await fetch('/healthz', { headers: { Accept: 'application/json' } })
    const body = await response.json()
    if (response.ok && typeof body.documents === 'number') {
      $('collection-size').textContent = `已收录 ${body.documents.toLocaleString('zh-CN')} 篇文章。`
    }
  } catch {
    // Only a nicety; searching reports its own errors.
  }
}

// The results are drawn after the page has loaded, too late for the browser to scroll back to where the
// reader was: back from a post (when the browser did not keep this page whole) or reloaded, the page
// would open at its top. The place is kept in the history entry, and scrolled to once drawn: on leaving,
// and once scrolling pauses, since a state replaced while the page unloads for a reload is not kept.
function keepPlace() {
  window.history.replaceState({ ...window.history.state, scrollY: Math.round(window.scrollY) }, '')
}
window.addEventListener('pagehide', keepPlace)
let placeTimer = 0
window.addEventListener('scroll', () => {
  clearTimeout(placeTimer)
  placeTimer = window.setTimeout(keepPlace, PLACE_PAUSE_MS)
}, { passive: true })

// A shared or reloaded URL shows the same results.
fillForm(current)
// Filters stay folded away on a phone, where they would push the results off the first screen.
filterPanel.open = window.matchMedia('(min-width: 601px)').matches || hasFilters(current)
const keptY = window.history.state?.scrollY
show(current, { history: 'none', scrollY: typeof keptY === 'number' ? keptY : null })
if (current.q === '') input.focus()
void describeCollection()
