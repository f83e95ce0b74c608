// Suggestions under the search box: frequent words and article titles that start with what is
// being typed, from GET /suggest. A combobox with a listbox (WAI-ARIA 1.2): arrow keys move,
// Enter picks, Escape closes, and the box keeps focus throughout.
//
// app.js owns typing and searching. It fires `jiansuo:typed` on the box whenever typing settles
// outside an input method's composition (its composition guard), so half-typed pinyin is never
// sent here either. Picking a suggestion fills the box and submits the form, which app.js searches.

import { isBlank } from './blank.js'
import { isComposing } from './composition.js'

const SUGGEST_PAUSE_MS = 80 // well inside app.js's typing pause, so suggestions come before results
const MAX_QUERY_LENGTH = 200

const input = /** @type {HTMLInputElement} */ (document.getElementById('q'))
const form = /** @type {HTMLFormElement} */ (document.getElementById('search-form'))

const list = document.createElement('ul')
list.id = 'suggestions'
list.className = 'suggestions'
list.setAttribute('role', 'listbox')
list.setAttribute('aria-label', '搜索建议')
list.hidden = true

// Says how many suggestions appeared, for screen readers (the list itself is not a live region).
const announcer = document.createElement('p')
announcer.className = 'visually-hidden'
announcer.setAttribute('role', 'status')

input.setAttribute('role', 'combobox')
input.setAttribute('aria-autocomplete', 'list')
input.setAttribute('aria-controls', list.id)
input.setAttribute('aria-expanded', 'false')
input.closest('.search-row')?.classList.add('has-suggestions')
input.insertAdjacentElement('afterend', list)
list.insertAdjacentElement('afterend', announcer)

/** @type {{text: string, kind: 'word' | 'title', id?: string}[]} */
let suggestions = []
let active = -1
let timer = 0
/** @type {AbortController | null} */
let inFlight = null

// ---- asking the server -------------------------------------------------------------------------

/**
 * Query syntax, as src/search/query-parser.ts reads it: an exclusion (-红 or －红, or its minus alone as
 * it is being typed: a pause after `长江 -` must not ask for 长江's words), a phrase in any of
 * its quotes, OR (also | or ｜), or a field (title:, category:, tag:). A suggestion replaces the whole
 * box, and would drop what the syntax says; so none is offered for such a query. Book-title marks
 * (《…》) quote too, but they are the start of many titles, and a title picked keeps the words together.
 */
const QUERY_SYNTAX = [/(^|\s)[-－](\S|$)|["“”「」『』|｜]|(^|\s)(title|category|tag)[:：]/i, /\sOR\s/]

/** Whether suggestions may be offered for what the box holds: something typed, and no query syntax. */
function suggestible(typed) {
  return !isBlank(typed) && typed.length <= MAX_QUERY_LENGTH && !QUERY_SYNTAX.some((syntax) => syntax.test(typed))
}

function schedule() {
  clearTimeout(timer)
  const typed = input.value
  if (!suggestible(typed)) {
    cancel()
    close()
    return
  }
  timer = window.setTimeout(() => void fetchSuggestions(typed), SUGGEST_PAUSE_MS)
}

/** Query syntax that would change what a picked title finds (an exclusion, OR, a field). */
const SYNTAX_IN_TITLE = [/(^|\s)[-－]\S|[|｜]|(^|\s)(title|category|tag)[:：]/i, /\sOR\s/]

/**
 * A picked title as a query that finds it: as written, unless the title holds syntax (` -预告`, ` OR `),
 * which would exclude or split; then as one phrase, without quote marks that would end it early.
 */
function titleQuery(title) {
  if (!SYNTAX_IN_TITLE.some((syntax) => syntax.test(title))) return title
  return `"${title.replace(/["“”「」『』《》〈〉]/g, ' ').trim()}"`
}

function cancel() {
  clearTimeout(timer)
  if (inFlight !== null) inFlight.abort()
  inFlight = null
}

async function fetchSuggestions(typed) {
  cancel()
  const controller = new AbortController()
  inFlight = controller
  try {
    const response = await fetch(`/suggest?${new URLSearchParams({ q: typed }).toString()}`, {
      signal: controller.signal,
      headers: { Accept: 'application/json' },
    })
    // Suggestions are a nicety: searching reports its own errors. But a list shown for what was typed
    // before (a q over the server's limit, too many requests) no longer fits the box, so it goes.
    const body = response.ok ? await response.json() : null
    if (controller !== inFlight) return
    if (body === null) {
      close()
      return
    }
    // Only the answer for what the box still says; typing on makes an older one stale.
    if (input.value !== typed || isComposing() || document.activeElement !== input) return
    show(Array.isArray(body.suggestions) ? body.suggestions : [])
  } catch {
    // Offline, as for an error; aborted, another request has taken over and this one shows nothing.
    if (controller === inFlight) close()
  } finally {
    if (controller === inFlight) inFlight = null
  }
}

// ---- the list ----------------------------------------------------------------------------------

function show(items) {
  suggestions = items.slice(0, 8)
  active = -1
  if (suggestions.length === 0) {
    close()
    return
  }
  list.replaceChildren(...suggestions.map(option))
  list.hidden = false
  input.setAttribute('aria-expanded', 'true')
  input.removeAttribute('aria-activedescendant')
  announcer.textContent = `${suggestions.length} 条建议，可用上下方向键选择`
}

function option(suggestion, i) {
  const item = document.createElement('li')
  item.id = `suggestion-${i}`
  item.className = `suggestion suggestion-${suggestion.kind === 'title' ? 'title' : 'word'}`
  item.setAttribute('role', 'option')
  item.setAttribute('aria-selected', 'false')
  const text = document.createElement('span')
  text.className = 'suggestion-text'
  text.textContent = suggestion.text
  item.append(text)
  if (suggestion.kind === 'title') {
    const kind = document.createElement('span')
    kind.className = 'suggestion-kind'
    kind.textContent = '文章'
    item.append(kind)
  }
  // Keep focus in the box: a click must not blur it (which closes the list) before it lands.
  item.addEventListener('pointerdown', (event) => event.preventDefault())
  item.addEventListener('click', () => pick(i))
  item.addEventListener('pointermove', () => highlight(i))
  return item
}

function close() {
  suggestions = []
  active = -1
  if (list.hidden) return
  list.hidden = true
  list.replaceChildren()
  input.setAttribute('aria-expanded', 'false')
  input.removeAttribute('aria-activedescendant')
  announcer.textContent = ''
}

function highlight(i) {
  active = i
  for (const [k, item] of [...list.children].entries()) {
    item.setAttribute('aria-selected', String(k === i))
    item.classList.toggle('active', k === i)
  }
  if (i >= 0) {
    input.setAttribute('aria-activedescendant', `suggestion-${i}`)
    list.children[i]?.scrollIntoView({ block: 'nearest' })
  } else {
    input.removeAttribute('aria-activedescendant')
  }
}

/** Puts the suggestion in the box and searches it, as if typed and submitted. */
function pick(i) {
  const chosen = suggestions[i]
  if (!chosen) return
  cancel()
  close()
  const text = chosen.kind === 'title' ? titleQuery(chosen.text) : chosen.text
  // A title longer than the box allows is searched by its beginning, as typing it would be.
  input.value = input.maxLength > 0 ? [...text].slice(0, input.maxLength).join('') : text
  form.requestSubmit()
}

// ---- events --------------------------------------------------------------------------------------

input.addEventListener('jiansuo:typed', schedule)

input.addEventListener('compositionstart', () => {
  cancel()
  close()
})

// A cleared box (the search field's ✕, or select-all and delete) closes the list at once.
input.addEventListener('input', () => {
  if (isBlank(input.value)) {
    cancel()
    close()
  }
})

input.addEventListener('keydown', (event) => {
  // Keys that confirm or move inside an input method's candidates are not ours.
  if (event.isComposing || isComposing()) return
  const open = !list.hidden
  switch (event.key) {
    case 'ArrowDown':
      if (!open) {
        // The same rule as typing: no list for a query with syntax that a pick would drop.
        if (suggestible(input.value)) void fetchSuggestions(input.value)
        return
      }
      event.preventDefault()
      highlight(active + 1 >= suggestions.length ? -1 : active + 1)
      break
    case 'ArrowUp':
      if (!open) return
      event.preventDefault()
      highlight(active <= -1 ? suggestions.length - 1 : active - 1)
      break
    case 'Enter':
      if (open && active >= 0) {
        event.preventDefault()
        pick(active)
      } else {
        cancel()
        close()
      }
      break
    case 'Escape':
      if (!open) return
      // Otherwise the search field would also clear what was typed.
      event.preventDefault()
      cancel()
      close()
      break
    case 'Tab':
      close()
      break
  }
})

input.addEventListener('blur', () => {
  cancel()
  close()
})

form.addEventListener('submit', () => {
  cancel()
  close()
})
