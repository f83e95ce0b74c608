// The page links under the hits: previous, next, and the numbers around the current page.

/**
 * The pager's items for page `page` of `pages` (none for a single page): 上一页 1 … 4 5 [6] 7 8 … 20 下一页.
 * `hrefOf(n)` is page n's URL; `go(n)` shows it in place when a link is followed in this tab.
 */
export function pagerItems(page, pages, { hrefOf, go }) {
  if (pages <= 1) return []
  const link = (label, n, disabled, className) => pageLink(label, disabled, className, hrefOf(n), () => go(n))
  const items = [link('上一页', page - 1, page <= 1, 'pager-prev')]
  for (const n of pageNumbers(page, pages)) {
    if (n === null) {
      const gap = document.createElement('span')
      gap.className = 'pager-gap'
      gap.textContent = '…'
      gap.setAttribute('aria-hidden', 'true')
      items.push(gap)
    } else {
      // The first page stays reachable on a phone, where the other numbers are hidden (style.css).
      const number = link(String(n), n, false, n === 1 ? 'pager-page pager-first' : 'pager-page')
      number.setAttribute('aria-label', `第 ${n} 页`)
      if (n === page) number.setAttribute('aria-current', 'page')
      items.push(number)
    }
  }
  items.push(link('下一页', page + 1, page >= pages, 'pager-next'))
  return items
}

/** The first and last page and two either side of `page`, with null where numbers are left out. */
export function pageNumbers(page, pages) {
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

function pageLink(label, disabled, className, href, go) {
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
  link.href = href
  link.addEventListener('click', (event) => {
    // Let the browser handle new-tab and new-window clicks itself.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    go()
  })
  return link
}
