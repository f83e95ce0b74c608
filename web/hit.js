// One hit in the results: its title (a link to the source, or to the text as indexed), the day,
// categories and tags to filter by, and the snippet.
// Only title_html and snippet_html are inserted as HTML: the server escapes them and marks nothing but
// <mark> (CONTRACT.md). Everything else goes in as text.

import { postTime, safeLink } from './post-parts.js'

/** Tags shown under a hit; the rest are counted. */
const TAGS_SHOWN = 8

/**
 * The list item for `hit`, found by `query` in the search `state`. `filterBy(filter, next, value)` runs
 * when one of its categories or tags is pressed: `next` is the filter's new value, '' when the one
 * pressed (`value`) was the filter already.
 */
export function renderHit(hit, query, state, filterBy) {
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
  title.innerHTML = hit.title_html || '（无标题）'
  heading.append(title)

  const meta = document.createElement('div')
  meta.className = 'hit-meta'
  meta.append(postTime(hit.date))
  for (const category of hit.categories) meta.append(chip('分类', category, 'category', state, filterBy))
  // A post with hundreds of tags would fill the page: the first few, and how many more.
  for (const tag of hit.tags.slice(0, TAGS_SHOWN)) meta.append(chip('标签', tag, 'tag', state, filterBy))
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
  snippet.innerHTML = hit.snippet_html

  item.append(heading, meta, snippet)
  return item
}

/** The reading page of a hit, with the query to mark in it. */
function readerLink(id, query) {
  const params = new URLSearchParams({ id })
  if (query.trim() !== '') params.set('q', query.trim())
  return `/read.html?${params}`
}

/** A category or tag; pressing it filters the search by it, or, a toggle as the facet values are, takes that filter off. */
function chip(kind, value, filter, state, filterBy) {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = `chip chip-${filter}`
  button.textContent = value
  const pressed = state[filter] === value
  button.title = pressed ? `取消${kind}“${value}”` : `只看${kind}“${value}”的文章`
  button.setAttribute('aria-label', pressed ? `${kind}：${value}，取消此${kind}筛选` : `${kind}：${value}，只看此${kind}`)
  button.setAttribute('aria-pressed', String(pressed))
  button.addEventListener('click', () => filterBy(filter, pressed ? '' : value, value))
  return button
}
