import type { BuildReport } from '../index/build.js'

/** How many of a build's notes and skipped files the build before it had already listed. */
export interface Repeated {
  notes: number
  skipped: number
}

/**
 * For `index --watch`: the report with the notes and skipped files that the watch's previous build
 * reported taken out, and how many were. An update's report holds the notes and skips of every post it
 * kept, so each saved edit printed the same list again and buried what the edit itself brought.
 * A note that goes away and comes back is new again.
 */
export function sinceLastBuild(report: BuildReport, previous: BuildReport | null): { report: BuildReport; repeated: Repeated } {
  if (previous === null) return { report, repeated: { notes: 0, skipped: 0 } }
  const notesBefore = new Set(previous.notes.map((n) => key(n.path, n.code, n.message)))
  const skippedBefore = new Set(previous.skipped.map((s) => key(s.path, s.code, s.reason)))
  const notes = report.notes.filter((n) => !notesBefore.has(key(n.path, n.code, n.message)))
  const skipped = report.skipped.filter((s) => !skippedBefore.has(key(s.path, s.code, s.reason)))
  return {
    report: { ...report, notes, skipped },
    repeated: { notes: report.notes.length - notes.length, skipped: report.skipped.length - skipped.length },
  }
}

function key(path: string, code: string, text: string): string {
  return `${path}\u0000${code}\u0000${text}`
}
