/**
 * The offset assumed for a front matter date written without one. The archive is Chinese and Jekyll
 * reads zone-less dates in the site's time zone, which for these archives is China Standard Time.
 */
export const DEFAULT_UTC_OFFSET = '+08:00'

// 2022-03-29 08:42:52 +0800 · 2021-12-08 · 2021/12/08 10:00 · 2021-12-08T10:00:00.5Z · 2021-12-08 10:00 +08:00
const DATE_PATTERN =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/

/**
 * Reads a front matter date as written and returns ISO 8601 with its own offset
 * (`2022-03-29 08:42:52 +0800` → `2022-03-29T08:42:52+08:00`), or null when it is not a real date.
 * A date without a time is midnight; without a zone, {@link DEFAULT_UTC_OFFSET}; `Z` becomes `+00:00`.
 */
export function parsePostDate(written: string): string | null {
  if (written.length > 100) return null
  const m = DATE_PATTERN.exec(written.trim())
  if (!m) return null
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  if (hour > 23 || minute > 59 || second > 59) return null
  const offset = zone === undefined ? DEFAULT_UTC_OFFSET : offsetOf(zone)
  if (offset === null) return null
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${offset}`
}

/**
 * Formats an instant (a JS Date, as YAML parsers produce for some dates) in {@link DEFAULT_UTC_OFFSET}.
 * Used only when the written form of the date cannot be recovered.
 */
export function formatInstant(instant: Date): string | null {
  const ms = instant.getTime()
  if (Number.isNaN(ms)) return null
  const sign = DEFAULT_UTC_OFFSET.startsWith('-') ? -1 : 1
  const [oh = '0', om = '0'] = DEFAULT_UTC_OFFSET.slice(1).split(':')
  const shifted = new Date(ms + sign * (Number(oh) * 60 + Number(om)) * 60_000)
  const iso = shifted.toISOString() // always UTC, so its fields are the local fields of the shifted instant
  return `${iso.slice(0, 19)}${DEFAULT_UTC_OFFSET}`
}

/** `Z`, `+0800`, `+08:00`, `+08` → `+HH:MM`; null for offsets no place on Earth uses (beyond ±14:00). */
function offsetOf(zone: string): string | null {
  if (zone === 'Z' || zone === 'z') return '+00:00'
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0
  if (hours > 14 || minutes > 59) return null
  return `${zone[0]}${pad(hours)}:${pad(minutes)}`
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}
