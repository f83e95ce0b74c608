// The reading page (/read.html?id=…&q=…): one article as it was indexed, the query's terms marked,
// for posts without a source link or whose source has gone. Everything shown comes from GET /doc.

import { postTime, safeLink } from './post-parts.js'

/** Marked words named in the summary above the text; more are left to 等. */
const MARKED_NAMED = 6

const statusLine = document.getElementById('status')
const errorBox = document.getElementById('error')
const article = document.getElementById('article')
const titleHeading = document.getElementById('article-title')
const meta = document.getElementById('article-meta')
const marksBox = document.getElementById('article-marks')
const marksSummary = document.getElementById('marks-summary')
const nextMarkButton = document.getElementById('next-mark')
const body = document.getElementById('article-body')
const back = document.getElementById('back')

const params = new URLSearchParams(location.search)
const id = params.get('id') ?? ''
const query = (params.get('q') ?? '').trim()

back.href = searchToReturnTo()

/**
 * The search that led here, with its page and filters, which the search page keeps in
 * sessionStorage when a hit is opened (app.js); else the same query afresh.
 */
function searchToReturnTo() {
  try {
    const from = window.sessionStorage.getItem('jiansuo-reader-from')
    if (from !== null && from.startsWith('/?') && (new URLSearchParams(from.slice(1)).get('q') ?? '').trim() === query) return from
  } catch {
    // Storage refused (a privacy setting): the plain query below.
  }
  return query === '' ? '/' : `/?${new URLSearchParams({ q: query })}`
}

nextMarkButton.addEventListener('click', () => showMark(nextMark + 1))

let marks = []
let nextMark = -1

load()

async function load() {
  if (id === '') {
    fail('链接里缺少文章编号，无法显示文章。', false)
    return
  }
  statusLine.textContent = '正在载入文章…'
  let response
  try {
    response = await fetch(`/doc?${new URLSearchParams(query === '' ? { id } : { id, q: query })}`, { headers: { Accept: 'application/json' } })
  } catch {
    fail('无法连接到服务器，请检查网络后重试。', true)
    return
  }
  let answer = null
  try {
    answer = await response.json()
  } catch {
    // Not JSON (a proxy's error page): said below by status.
  }
  if (response.status === 404) {
    fail('找不到这篇文章：它可能已从存档中删除，或索引已经重建。', false)
    return
  }
  if (response.status === 400) {
    fail('这个链接有误（文章编号或关键词不对），无法显示文章。', false)
    return
  }
  if (!response.ok || answer === null || !Array.isArray(answer.paragraphs_html)) {
    fail(response.status === 429 ? '请求太频繁了，请稍后再试。' : '服务器暂时出了问题，请稍后再试。', true)
    return
  }
  render(answer)
}

function render(doc) {
  statusLine.textContent = ''
  const title = doc.title.trim() === '' ? '（无标题）' : doc.title
  document.title = `${title} · 检索`
  // Escaped by the server; only <mark> is markup (as in /search).
  if (doc.title.trim() === '') titleHeading.textContent = title
  else titleHeading.innerHTML = doc.title_html

  const parts = [postTime(doc.date)]
  if (typeof doc.source === 'string' && doc.source !== '') parts.push(span('article-source', doc.source))
  for (const category of doc.categories) parts.push(span('chip chip-category', category))
  for (const tag of doc.tags.slice(0, 12)) parts.push(span('chip chip-tag', tag))
  const href = safeLink(doc.url)
  if (href !== null) {
    const link = document.createElement('a')
    link.href = href
    link.rel = 'noopener noreferrer'
    link.textContent = '原文链接'
    parts.push(link)
  } else {
    parts.push(span('hit-path', doc.path))
  }
  meta.replaceChildren(...parts)

  body.replaceChildren(
    ...doc.paragraphs_html.map((html) => {
      const p = document.createElement('p')
      // Escaped by the server; only <mark> is markup.
      p.innerHTML = html
      return p
    }),
  )
  if (doc.paragraphs_html.length === 0) body.replaceChildren(span('article-empty', '这篇文章没有正文文字。'))
  article.hidden = false

  marks = [...body.querySelectorAll('mark')]
  if (doc.terms.length > 0) {
    marksBox.hidden = false
    const quoted = (words) => words.map((word) => `“${word}”`).join('、')
    // What is marked, as the text writes it: a post from a partial (relaxed) match lacks some terms, and
    // naming every term searched claimed marks that are not there.
    const marked = [...new Set(marks.map((mark) => mark.textContent ?? ''))]
    const shown = marked.length > MARKED_NAMED ? `${quoted(marked.slice(0, MARKED_NAMED))} 等` : quoted(marked)
    marksSummary.textContent =
      marks.length === 0 ? `正文中没有 ${quoted(doc.terms)}（可能只出现在标题中）。` : `正文中高亮了 ${shown}，共 ${marks.length} 处。`
    nextMarkButton.hidden = marks.length === 0
    // The passage the search matched is what the reader came for.
    if (marks.length > 0) showMark(0, false)
  }
}

/** Scrolls mark `k` (wrapping around) into view and outlines it as the current one. */
function showMark(k, smooth = true) {
  if (marks.length === 0) return
  marks[nextMark]?.classList.remove('current-mark')
  nextMark = ((k % marks.length) + marks.length) % marks.length
  const mark = marks[nextMark]
  mark.classList.add('current-mark')
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches
  mark.scrollIntoView({ block: 'center', behavior: smooth && !reduced ? 'smooth' : 'auto' })
  nextMarkButton.textContent = `下一处（${nextMark + 1}/${marks.length}）`
}

function fail(message, retry) {
  statusLine.textContent = ''
  const text = document.createElement('p')
  text.textContent = message
  const parts = [text]
  if (retry) {
    const again = document.createElement('button')
    again.type = 'button'
    again.textContent = '重试'
    again.addEventListener('click', () => {
      errorBox.hidden = true
      load()
    })
    parts.push(again)
  }
  errorBox.replaceChildren(...parts)
  errorBox.hidden = false
}

function span(className, text) {
  const element = document.createElement('span')
  element.className = className
  element.textContent = text
  return element
}
