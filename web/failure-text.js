// What the page says when a search fails, in the page's language: the server's reasons are in English
// and name the parameter at fault (CONTRACT.md), so each parameter gets its own advice.

import { MAX_PAGE, MAX_SIZE } from './search-state.js'

const PARAM_NAMES = {
  q: '关键词', page: '页码', size: '每页条数', category: '分类', tag: '标签',
  from: '起始日期', to: '截止日期', sort: '排序',
}

/** What to change for each parameter a 400 names. */
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

/** The sentence for a failed /search: its status, its JSON body (or null) and its Retry-After header (or null). */
export function describeFailure(status, body, retryAfter) {
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
