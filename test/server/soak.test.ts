// The soak of bench/soak.ts in a short form: a few seconds of concurrent searches against a server
// in a child process, answered without a single error, and with no runaway memory.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { runSoak, SOAK_QUERIES } from '../../bench/soak.js'
import { buildTestIndex, searchShapeProblems, type TestIndex } from './fixture.js'

let index: TestIndex

before(async () => {
  index = await buildTestIndex()
})

after(() => index?.remove())

test('5 s of concurrent searches: no errors, no wrong shapes, memory settles', async (t) => {
  const report = await runSoak({ indexDir: index.indexDir, seconds: 5, clients: 4, queries: SOAK_QUERIES, sampleMs: 250, check: searchShapeProblems })
  t.diagnostic(
    `${report.requests} searches, p99 ${report.p99Ms.toFixed(1)} ms; RSS ${report.rssStartMB.toFixed(0)} → ${report.rssEndMB.toFixed(0)} MB, heap trend ${report.heapTrendMBPerMin.toFixed(2)} MB/min`,
  )
  assert.deepEqual(report.errors, [])
  assert.ok(report.requests >= 100, `only ${report.requests} searches in 5 s`)
  assert.ok(report.samples.length >= 10, 'memory was sampled throughout')
  // Generous bounds: they catch a leak of every response or index (tens of MB a second), not noise.
  assert.ok(report.rssEndMB - report.rssStartMB < 150, `RSS grew from ${report.rssStartMB.toFixed(0)} to ${report.rssEndMB.toFixed(0)} MB`)
  assert.ok(report.heapTrendMBPerMin < 60, `live heap grows ${report.heapTrendMBPerMin.toFixed(1)} MB/min after GC`)
})
