// The search page: reads the query from the URL, asks GET /search, renders the hits.
// Text from the server goes in with textContent; only title_html and snippet_html are inserted
// as HTML, because the server escapes them and marks nothing but <mark>.

import { isBlank } from './blank.js'
import { isComposing } from './composition.js'
import { postTime, safeLink } from './post-parts.js'

const TYPING_PAUSE_MS = 300
const SLOW_SEARCH_MS = 250
/** A search unanswered after this long is given up, and the page says the server is not answering. */
const SEARCH_TIMEOUT_MS = 15_000
/** The API's bounds for `size`; a URL with another value is read as the default. */
const MAX_SIZE = 100
const MAX_PAGE = 10000
const FILTERS = ['category', 'tag', 'from', 'to']
const FACET_NAMES = ['category', 'tag', 'year']
/** Values shown per facet before "more"; the server sends up to 100. */
const FACET_SHOWN = 8
/** Tags shown under a hit; the rest are counted. */
const TAGS_SHOWN = 8
const PARAM_NAMES = {
  q: '关键词', page: '页码', size: '每页条数', category: '分类', tag: '标签',
  from: '起始日期', to: '截止日期', sort: '排序',
}

/** What to change, in the page's language, for each parameter a 400 names (the server's reason is in English). */
const WHAT_IS_WRONG = {
  q: (reason) => {
    const limit = /longer than (\d+)/.exec(reason)
    if (limit) return `最多 ${limit[1]} 个字，请缩短关键词`
    // Each such phrase is checked against the posts' text, so the server allows only a few (query-analysis.ts).
    const phrases = /at most (\d+) phrases with a single character/.exec(reason)
    if (phrases) return `引号里单个字挨着标点或空格的短语（如“的，中国”）最多 ${phrases[1]} 个，请减少这样的短语`
    return /blank|required/.test(reason) ? '请输入要搜索的词' : '请修改关键词后再试'
  },
  page: () => `页码应在 1 到 ${MAX_PAGE.toLocaleString('zh-CN')} 之间`,
  size: () => `每页条数应在 1 到 ${MAX_SIZE} 之间`,
  from: () => '请填写有效的日期，例如 2024-03-01',
  to: () => '请填写有效的日期，例如 2024-03-01',
  sort: () => '只能按相关度或按日期排序',
}

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

/**
 * @typedef {{q: string, page: number, size: number | null, category: string, tag: string,
 *            from: string, to: string, sort: string}} SearchState
 */

// ---- the query in the URL ----------------------------------------------------------------------

/** @returns {SearchState} */
function stateFromUrl(search) {
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
function stateToParams(state) {
  const params = new URLSearchParams()
  if (state.q.trim() !== '') params.set('q', state.q)
  for (const name of FILTERS) if (state[name] !== '') params.set(name, state[name])
  if (state.sort !== 'relevance') params.set('sort', state.sort)
  if (state.page > 1) params.set('page', String(state.page))
  if (state.size !== null) params.set('size', String(state.size))
  return params
}

function pageUrl(state) {
  const query = stateToParams(state).toString()
  return query === '' ? '/' : `/?${query}`
}

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

function hasFilters(state) {
  return FILTERS.some((name) => state[name] !== '')
}

/** The panel's summary says how many filters apply, so a closed panel does not hide them. */
function describeFilters(state) {
  const active = FILTERS.filter((name) => state[name] !== '').length + (state.sort !== 'relevance' ? 1 : 0)
  filterSummary.textContent = active === 0 ? '筛选与排序' : `筛选与排序（已选 ${active} 项）`
  filterSummary.classList.toggle('active', active > 0)
}

// ---- searching -----------------------------------------------------------------------------------

/** @type {SearchState} */
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

function describeFailure(status, body, retryAfter) {
  // Retry-After in seconds, as the server sends it; a date or nothing says no more than "later".
  const seconds = retryAfter !== null && /^\d{1,6}$/.test(retryAfter) ? Number(retryAfter) : null
  const wait = seconds === null ? '稍后' : seconds < 60 ? `${Math.max(1, seconds)} 秒后` : `${Math.ceil(seconds / 60)} 分钟后`
  if (status === 429) return `搜索太频繁了，请${wait}再试。`
  if (status === 503) return `服务器正忙，请${wait}再试。`
  if (status >= 500) return '服务器暂时出了问题，请稍后再试。'
  const error = body && typeof body === 'object' ? body.error : null
  if (status === 400 && error && typeof error.message === 'string') {
    const param = typeof error.param === 'string' ? error.param : ''
    const name = PARAM_NAMES[param] ? `「${PARAM_NAMES[param]}」` : '搜索条件'
    return `${name}有误：${WHAT_IS_WRONG[param]?.(error.message) ?? '请检查后再试'}。`
  }
  return `搜索没有成功（状态 ${status}），请稍后再试。`
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
  renderFacets(body.facets)
  hitList.start = (body.page - 1) * body.size + 1
  hitList.replaceChildren(...body.hits.map((hit) => renderHit(hit, body.query)))
  for (const hit of body.hits) for (const category of hit.categories) rememberCategory(category)
  // Past the last page (an edited or old link), 上一页 leads to the last page, not to another empty one.
  renderPager(Math.min(body.page, pages + 1), pages)
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

function renderHit(hit, query) {
  const item = document.createElement('li')
  item.className = 'hit'

  const heading = document.createElement('h3')
  heading.className = 'hit-title'
  // The title leads to the source; a post without one is read here, as it was indexed.
  const href = safeLink(hit.url)
  const reader = readerLink(hit.id, query)
  const title = document.createElement('a')
  title.setAttribute('href', href ?? reader)
  if (href !== null) title.setAttribute('rel', 'noopener noreferrer')
  // Escaped by the server; only <mark> is markup (CONTRACT.md).
  title.innerHTML = hit.title_html || '（无标题）'
  heading.append(title)

  const meta = document.createElement('div')
  meta.className = 'hit-meta'
  meta.append(postTime(hit.date))
  for (const category of hit.categories) meta.append(chip('分类', category, 'category'))
  // A post with hundreds of tags would fill the page: the first few, and how many more.
  for (const tag of hit.tags.slice(0, TAGS_SHOWN)) meta.append(chip('标签', tag, 'tag'))
  if (hit.tags.length > TAGS_SHOWN) {
    const more = document.createElement('span')
    more.className = 'hit-more-tags'
    more.textContent = `另有 ${hit.tags.length - TAGS_SHOWN} 个标签`
    meta.append(more)
  }
  if (href === null) {
    const where = document.createElement('span')
    where.className = 'hit-path'
    where.textContent = hit.path
    meta.append(where)
  } else {
    // Sources move and die; the text as indexed stays readable.
    const read = document.createElement('a')
    read.className = 'hit-read'
    read.href = reader
    read.textContent = '全文'
    read.setAttribute('aria-label', `全文：${hit.title || '（无标题）'}`)
    meta.append(read)
  }

  const snippet = document.createElement('p')
  snippet.className = 'hit-snippet'
  // Escaped by the server; only <mark> is markup (CONTRACT.md).
  snippet.innerHTML = hit.snippet_html

  item.append(heading, meta, snippet)
  return item
}

/**
 * Text from a post or the query set inside the page's own words, isolated (FSI … PDI): a right-to-left
 * override in it must not reverse the sentence around it.
 */
function isolated(text) {
  return `\u2068${text}\u2069`
}

/** The reading page of a hit, with the query to mark in it. */
function readerLink(id, query) {
  const params = new URLSearchParams({ id })
  if (query.trim() !== '') params.set('q', query.trim())
  return `/read.html?${params}`
}

/** A category or tag; pressing it filters the search by it. */
function chip(kind, value, filter) {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = `chip chip-${filter}`
  button.textContent = value
  // A toggle, as the facet values are: pressed again, it takes its filter off.
  const pressed = current[filter] === value
  button.title = pressed ? `取消${kind}“${value}”` : `只看${kind}“${value}”的文章`
  button.setAttribute('aria-label', pressed ? `${kind}：${value}，取消此${kind}筛选` : `${kind}：${value}，只看此${kind}`)
  button.setAttribute('aria-pressed', String(pressed))
  button.addEventListener('click', () => {
    const next = pressed ? '' : value
    fields[filter].value = next
    show({ ...current, [filter]: next, page: 1 }, { refocus: { facet: filter, value, scroll: true } })
  })
  return button
}

// ---- facets ----------------------------------------------------------------------------------------

const FACET_LABELS = { category: '分类', tag: '标签', year: '年份' }

/** The year a from/to pair selects exactly (YYYY-01-01 … YYYY-12-31), or ''. */
function selectedYear(state) {
  const match = /^(\d{4})-01-01$/.exec(state.from)
  return match && state.to === `${match[1]}-12-31` ? match[1] : ''
}

/** The filter state with one facet value picked, or dropped when it was already picked. */
function toggleFacet(state, name, value) {
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

/** Counts per category, tag and year over all matches; pressing one filters by it (again to undo). */
function renderFacets(facets) {
  if (!facets) return
  const groups = []
  for (const name of FACET_NAMES) {
    const values = Array.isArray(facets[name]) ? facets[name] : []
    const picked = name === 'year' ? selectedYear(current) : current[name]
    if (values.length === 0) continue
    const group = document.createElement('div')
    group.className = `facet facet-${name}`
    const heading = document.createElement('h3')
    heading.className = 'facet-title'
    heading.textContent = FACET_LABELS[name]
    const list = document.createElement('ul')
    list.className = 'facet-values'
    values.forEach((entry, i) => {
      if (typeof entry.value !== 'string' || typeof entry.count !== 'number') return
      const item = document.createElement('li')
      // A picked value stays in view even when it is not among the most frequent.
      if (i >= FACET_SHOWN && entry.value !== picked) item.hidden = true
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'facet-value'
      button.dataset.facet = name
      button.dataset.value = entry.value
      const isPicked = entry.value === picked
      button.setAttribute('aria-pressed', String(isPicked))
      const label = document.createElement('span')
      label.className = 'facet-label'
      label.textContent = entry.value
      const count = document.createElement('span')
      count.className = 'facet-count'
      count.textContent = entry.count.toLocaleString('zh-CN')
      button.append(label, count)
      button.title = isPicked ? `取消${FACET_LABELS[name]}“${entry.value}”` : `只看${FACET_LABELS[name]}“${entry.value}”的 ${entry.count} 篇`
      button.addEventListener('click', () => {
        const next = toggleFacet(current, name, entry.value)
        fillForm(next)
        show(next, { refocus: { facet: name, value: entry.value, scroll: false } })
      })
      item.append(button)
      list.append(item)
    })
    group.append(heading, list)
    const hidden = list.querySelectorAll('li[hidden]').length
    if (hidden > 0) {
      const more = document.createElement('button')
      more.type = 'button'
      more.className = 'link-button facet-more'
      more.textContent = `更多（${hidden}）`
      more.addEventListener('click', () => {
        const revealed = [...list.querySelectorAll('li[hidden]')]
        for (const item of revealed) item.hidden = false
        more.remove()
        // The button is gone: focus moves to the first value it revealed, not to the page's start.
        revealed[0]?.querySelector('button')?.focus()
      })
      group.append(more)
    }
    groups.push(group)
  }
  if (groups.length === 0) return
  facetPanel.replaceChildren(...groups)
  facetPanel.hidden = false
}

function rememberCategory(category) {
  if (knownCategories.has(category)) return
  knownCategories.add(category)
  const option = document.createElement('option')
  option.value = category
  categoryOptions.append(option)
}

/** Previous, next, and page numbers around the current one: 1 … 4 5 [6] 7 8 … 20. */
function renderPager(page, pages) {
  if (pages <= 1) return
  const items = []
  items.push(pageLink('上一页', page - 1, page <= 1, 'pager-prev'))
  for (const n of pageNumbers(page, pages)) {
    if (n === null) {
      const gap = document.createElement('span')
      gap.className = 'pager-gap'
      gap.textContent = '…'
      gap.setAttribute('aria-hidden', 'true')
      items.push(gap)
    } else {
      // The first page stays reachable on a phone, where the other numbers are hidden (style.css).
      const link = pageLink(String(n), n, false, n === 1 ? 'pager-page pager-first' : 'pager-page')
      link.setAttribute('aria-label', `第 ${n} 页`)
      if (n === page) link.setAttribute('aria-current', 'page')
      items.push(link)
    }
  }
  items.push(pageLink('下一页', page + 1, page >= pages, 'pager-next'))
  pager.replaceChildren(...items)
  pager.hidden = false
}

function pageNumbers(page, pages) {
  const wanted = new Set([1, pages])
  for (let n = page - 2; n <= page + 2; n++) if (n >= 1 && n <= pages) wanted.add(n)
  const sorted = [...wanted].sort((a, b) => a - b)
  const out = []
  for (let i = 0; i < sorted.length; i++) {
    const n = /** @type {number} */ (sorted[i])
    if (i > 0 && n - /** @type {number} */ (sorted[i - 1]) > 1) out.push(null)
    out.push(n)
  }
  return out
}

function pageLink(label, page, disabled, className) {
  if (disabled) {
    const span = document.createElement('span')
    span.className = `${className} disabled`
    span.textContent = label
    span.setAttribute('aria-disabled', 'true')
    return span
  }
  const link = document.createElement('a')
  link.className = className
  link.textContent = label
  const target = { ...current, page }
  link.href = pageUrl(target)
  link.addEventListener('click', (event) => {
    // Let the browser handle new-tab and new-window clicks itself.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    show(target, { focusResults: true })
  })
  return link
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
    if (pageUrl(state) === pageUrl(current) && state.q === current.q) return
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
// would open at its top. The place is kept in the history entry on leaving, and scrolled to once drawn.
function keepPlace() {
  window.history.replaceState({ ...window.history.state, scrollY: Math.round(window.scrollY) }, '')
}
window.addEventListener('pagehide', keepPlace)

// A shared or reloaded URL shows the same results.
fillForm(current)
// Filters stay folded away on a phone, where they would push the results off the first screen.
filterPanel.open = window.matchMedia('(min-width: 601px)').matches || hasFilters(current)
const keptY = window.history.state?.scrollY
show(current, { history: 'none', scrollY: typeof keptY === 'number' ? keptY : null })
if (current.q === '') input.focus()
void describeCollection()
