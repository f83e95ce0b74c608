import { join } from 'node:path'
import pc from 'picocolors'
import type { BuildReport } from '../index/build.js'
import type { SearchResponse } from '../search/types.js'
import type { Repeated } from './watch-report.js'

type Colors = ReturnType<typeof pc.createColors>

/**
 * Colours for what is written to each stream, decided for that stream: picocolors decides once, by
 * stdout alone, so `npx jiansuo index posts 2> build.log` at a terminal wrote escape codes into the log.
 */
export const stdoutColors: Colors = pc.createColors(colorsFor(process.stdout))
export const stderrColors: Colors = pc.createColors(colorsFor(process.stderr))

/**
 * A stream is coloured when it is a terminal, unless the user says otherwise: a flag before all else,
 * then NO_COLOR, then FORCE_COLOR (0 or false: no colour), then CI. Only the flags before a lone `--`
 * are read: after it, `--color` is query text (`search -- --color`).
 */
export function colorsFor(stream: { isTTY?: boolean }, argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): boolean {
  const end = argv.indexOf('--')
  const flags = end < 0 ? argv : argv.slice(0, end)
  const flag = flags.findLast((arg) => arg === '--color' || arg === '--no-color')
  if (flag !== undefined) return flag === '--color'
  if (env.NO_COLOR) return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return !/^(0|false)$/i.test(env.FORCE_COLOR)
  return Boolean(env.CI) || (stream.isTTY === true && env.TERM !== 'dumb')
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g

/**
 * Text from posts, their front matter or their file names, made safe to print: the terminal would obey
 * a control character in it (a post named `2024-01-02-\x1b[2J.md` cleared the screen, a newline forged
 * a line of the report), so each is shown escaped, as `\x1b`. Colours are added after.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/** Turns the API's escaped, `<mark>`ed HTML into terminal text with the marks coloured. */
export function htmlToTerminal(html: string): string {
  return printable(html)
    .replace(/<mark>(.*?)<\/mark>/g, (_, inner: string) => stdoutColors.bold(stdoutColors.yellow(inner)))
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!)
}

const TAGS_SHOWN = 8
const FACET_VALUES_SHOWN = 10
const FACET_LABELS = { category: '分类', tag: '标签', year: '年份' }

export function formatResults(response: SearchResponse): string {
  const lines: string[] = []
  const from = (response.page - 1) * response.size
  // Relaxed means few posts hold every term (maybe some do), as the page says: not that none do.
  const relaxed = response.relaxed ? stdoutColors.dim('（同时包含全部关键词的文章不多，也列出了只包含部分关键词的文章）') : ''
  lines.push(stdoutColors.dim(`${response.total} 条结果，用时 ${response.took_ms} ms`) + ' ' + relaxed)
  if (response.did_you_mean !== undefined) lines.push(`是不是要找：${stdoutColors.bold(printable(response.did_you_mean))}`)
  for (const [name, counts] of Object.entries(response.facets ?? {})) {
    const shown = counts.slice(0, FACET_VALUES_SHOWN).map((c) => `${printable(c.value)} ${c.count}`)
    if (counts.length > FACET_VALUES_SHOWN) shown.push('…')
    lines.push(stdoutColors.dim(`${FACET_LABELS[name as keyof typeof FACET_LABELS] ?? name}: ${shown.join(' · ')}`))
  }
  response.hits.forEach((hit, i) => {
    // As on the page, a post with hundreds of tags shows the first few and how many more.
    const tags = hit.tags.length > TAGS_SHOWN ? [...hit.tags.slice(0, TAGS_SHOWN), `另有 ${hit.tags.length - TAGS_SHOWN} 个标签`] : hit.tags
    const meta = printable([hit.date?.slice(0, 10), ...hit.categories, ...tags].filter(Boolean).join(' · '))
    lines.push('')
    lines.push(`${stdoutColors.cyan(String(from + i + 1).padStart(2))}. ${stdoutColors.bold(htmlToTerminal(hit.title_html))}  ${stdoutColors.dim(meta)}`)
    lines.push(`    ${htmlToTerminal(hit.snippet_html)}`)
    lines.push(stdoutColors.dim(`    ${printable(hit.url ?? hit.path)}  (${printable(hit.id)}, score ${hit.score})`))
  })
  if (response.hits.length === 0 && response.total > 0) {
    const pages = Math.ceil(response.total / response.size)
    lines.push('', `第 ${response.page} 页没有结果，结果一共只有 ${pages} 页（--page ${pages}）`)
  } else if (response.total > from + response.hits.length) {
    lines.push('', stdoutColors.dim(`下一页: --page ${response.page + 1}`))
  }
  return lines.join('\n')
}

/** What an update read: new posts are not read "again", so they are counted apart from changed ones. */
function newAndChanged(report: BuildReport): string {
  if (report.added === undefined || report.changed === undefined) return ''
  return ` (${report.added} new, ${report.changed} changed)`
}

/**
 * The build summary, coloured with `colors` (stdout's by default; serve prints it on stderr). `repeated`
 * counts the notes and skipped files left out of `report` as already listed (see sinceLastBuild).
 */
export function formatReport(report: BuildReport, colors: Colors = pc, repeated: Repeated = { notes: 0, skipped: 0 }): string {
  const lines = [
    `${colors.green('✓')} indexed ${colors.bold(String(report.documents))} ${report.documents === 1 ? 'document' : 'documents'} into ${report.indexDir} in ${report.seconds.toFixed(1)} s`,
    `  terms ${report.terms.toLocaleString('en')}, index size ${(report.bytes / 1e6).toFixed(1)} MB`,
    !report.written
      ? `  already up to date: no post added, changed or deleted since the last build, so it was kept as it is`
      : report.mode === 'incremental'
        ? `  updated the previous index: ${report.reprocessed} file(s) read${newAndChanged(report)}, ${report.reused} document(s) reused, ${report.removed} removed`
        : `  full build: ${report.reprocessed} file(s) read${report.fullBecause ? ` (${report.fullBecause})` : ''}`,
  ]
  // The report lies in the generation folder; a bare file name left users searching for it.
  const more = (n: number) => `    … and ${n} more (see ${join(report.indexDir, report.generation, 'build-report.json')})`
  if (report.skipped.length > 0) {
    lines.push(colors.yellow(`  skipped ${report.skipped.length} file(s):`))
    for (const s of report.skipped.slice(0, 50)) lines.push(`    ${printable(s.path)}: ${printable(s.reason)} [${s.code}]`)
    if (report.skipped.length > 50) lines.push(more(report.skipped.length - 50))
  }
  for (const { path, reason } of report.leftOver) lines.push(colors.yellow(`  could not remove the old generation ${printable(path)} (${printable(reason)}); the next build tries again`))
  if (report.notes.length > 0) {
    const byCode = new Map<string, number>()
    for (const n of report.notes) byCode.set(n.code, (byCode.get(n.code) ?? 0) + 1)
    lines.push(`  notes: ${[...byCode].map(([code, n]) => `${code} ×${n}`).join(', ')}`)
    for (const n of report.notes.slice(0, 10)) lines.push(colors.dim(`    ${printable(n.path)}: ${printable(n.message)}`))
    if (report.notes.length > 10) lines.push(colors.dim(more(report.notes.length - 10)))
  }
  const again = [
    ...(repeated.skipped > 0 ? [`${repeated.skipped} skipped file(s)`] : []),
    ...(repeated.notes > 0 ? [`${repeated.notes} note(s)`] : []),
  ]
  if (again.length > 0) lines.push(colors.dim(`  as in the previous build, not listed again: ${again.join(', ')}`))
  return lines.join('\n')
}
