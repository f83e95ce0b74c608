// Pieces of a post shown by both pages (the results and the reading page).

/** The post's day as a <time>, or 日期不详 for an undated post. */
export function postTime(date) {
  const time = document.createElement('time')
  const day = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : null
  if (day !== null) {
    time.dateTime = date
    time.textContent = day
  } else {
    time.textContent = '日期不详'
  }
  return time
}

/** A source link the page may follow: http(s) only, so a post cannot smuggle in `javascript:`. */
export function safeLink(url) {
  if (typeof url !== 'string') return null
  try {
    const parsed = new URL(url, location.href)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null
  } catch {
    return null
  }
}
