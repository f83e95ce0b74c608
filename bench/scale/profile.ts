/**
 * Reads the `.cpuprofile` files `node --cpu-prof` wrote (one per thread: the main thread and each
 * worker) and lists where the time went by self time, per function and per source file.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
  samples: number[]
  timeDeltas: number[]
}

export interface Hotspot {
  name: string
  selfMs: number
  share: number
}

export interface ProfileSummary {
  files: number
  /** Sampled milliseconds across all threads, idle excluded. */
  totalMs: number
  functions: Hotspot[]
  sources: Hotspot[]
}

/** Everything in `dir` ending in .cpuprofile, summarised together; paths shown relative to `root`. */
export function summarizeProfiles(dir: string, root: string, top = 15): ProfileSummary {
  const byFunction = new Map<string, number>()
  const bySource = new Map<string, number>()
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
  let totalMs = 0
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
    const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
    profile.samples.forEach((id, i) => {
      const frame = frames.get(id)
      if (!frame || frame.functionName === '(idle)') return
      const ms = (profile.timeDeltas[i] ?? 0) / 1000
      const source = frame.url ? shortSource(frame.url, root) : frame.functionName
      const name = frame.url ? `${frame.functionName || '(anonymous)'} ${source}:${frame.lineNumber + 1}` : frame.functionName
      byFunction.set(name, (byFunction.get(name) ?? 0) + ms)
      bySource.set(source, (bySource.get(source) ?? 0) + ms)
      totalMs += ms
    })
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, selfMs]) => ({ name, selfMs, share: totalMs ? selfMs / totalMs : 0 }))
  return { files: files.length, totalMs, functions: rank(byFunction), sources: rank(bySource) }
}

function shortSource(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '')
  if (path.includes('/node_modules/')) return `node_modules/${path.split('/node_modules/').pop()}`
  return path.startsWith('/') ? relative(root, path) : path
}

export function renderProfile(title: string, summary: ProfileSummary): string {
  const rows = (spots: Hotspot[]) => spots.map((s) => `| ${s.name.replace(/\|/g, '\\|')} | ${s.selfMs.toFixed(0)} | ${(s.share * 100).toFixed(1)}% |`)
  return [
    `#### ${title}: ${(summary.totalMs / 1000).toFixed(1)} s sampled over ${summary.files} thread(s)`,
    '',
    '| function (self time) | ms | share |',
    '|---|---:|---:|',
    ...rows(summary.functions),
    '',
    '| source file (self time) | ms | share |',
    '|---|---:|---:|',
    ...rows(summary.sources.slice(0, 10)),
    '',
  ].join('\n')
}
