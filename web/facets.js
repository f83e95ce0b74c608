// Counts per category, tag and year over all matches, drawn as buttons beside the hits: pressing one
// filters by it, pressing it again takes the filter off.

import { selectedYear } from './search-state.js'

export const FACET_NAMES = ['category', 'tag', 'year']
const FACET_LABELS = { category: '分类', tag: '标签', year: '年份' }
/** Values shown per facet before "more"; the server sends up to 100. */
const FACET_SHOWN = 8

/** One group per facet that has values, for the search `state`; `pick(name, value)` runs when one is pressed. */
export function facetGroups(facets, state, pick) {
  if (!facets) return []
  const groups = []
  for (const name of FACET_NAMES) {
    const values = Array.isArray(facets[name]) ? facets[name] : []
    if (values.length === 0) continue
    const picked = name === 'year' ? selectedYear(state) : state[name]
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
      item.append(facetButton(name, entry, entry.value === picked, pick))
      list.append(item)
    })
    group.append(heading, list)
    const more = moreButton(list)
    if (more !== null) group.append(more)
    groups.push(group)
  }
  return groups
}

function facetButton(name, entry, isPicked, pick) {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'facet-value'
  button.dataset.facet = name
  button.dataset.value = entry.value
  button.setAttribute('aria-pressed', String(isPicked))
  const label = document.createElement('span')
  label.className = 'facet-label'
  label.textContent = entry.value
  const count = document.createElement('span')
  count.className = 'facet-count'
  count.textContent = entry.count.toLocaleString('zh-CN')
  button.append(label, count)
  button.title = isPicked ? `取消${FACET_LABELS[name]}“${entry.value}”` : `只看${FACET_LABELS[name]}“${entry.value}”的 ${entry.count} 篇`
  button.addEventListener('click', () => pick(name, entry.value))
  return button
}

/** 更多（n）, which shows the values the list holds back, or null when it holds none back. */
function moreButton(list) {
  const hidden = list.querySelectorAll('li[hidden]').length
  if (hidden === 0) return null
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
  return more
}
