import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { machineSpeedMs } from '../../bench/lib/machine.js'
import { renderReport, type BenchRun } from '../../bench/scale/report.js'

const run = (speedMs?: BenchRun['speedMs']): BenchRun => ({
  date: '2026-11-29 12:00 UTC',
  machine: '2 × test CPU',
  source: 'commit 0000000',
  loadBefore: 'load average 0.10, 0.10, 0.10',
  loadAfter: 'load average 0.20, 0.20, 0.20',
  ...(speedMs && { speedMs }),
  command: 'npm run bench',
  elapsedSeconds: 60,
  queries: { count: 0, seed: 1, byKind: {}, common: [] },
  corpora: [],
  runs: [],
  profiles: [],
})

describe('machine speed', () => {
  it('times the fixed workload in milliseconds, to a tenth', () => {
    const ms = machineSpeedMs(1)
    assert.ok(Number.isFinite(ms) && ms > 0, `got ${ms}`)
    assert.equal(ms, Math.round(ms * 10) / 10)
  })

  it('is stated in a results file that measured it, and left out of one that did not', () => {
    const measured = renderReport(run({ before: 71.3, after: 88 }), '100k')
    assert.match(measured, /Machine speed: .* took 71\.3 ms before the run and 88 ms after/)
    assert.doesNotMatch(renderReport(run(), '100k'), /Machine speed/)
  })
})
