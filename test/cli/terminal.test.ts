import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BuildReport } from '../../src/index/build.js'
import { formatReport } from '../../src/cli/terminal.js'

const report = (notes: number, skipped: number): BuildReport => ({
  documents: 100,
  skipped: Array.from({ length: skipped }, (_, i) => ({ path: `bad-${i}.md`, code: 'no_front_matter', reason: 'no front matter' })),
  notes: Array.from({ length: notes }, (_, i) => ({ path: `post-${i}.md`, code: 'title_from_body', message: 'the title was taken from the body' })),
  terms: 1000,
  bytes: 2e6,
  seconds: 1.5,
  indexDir: 'index-data',
  generation: 'gen-x',
  mode: 'full',
  reprocessed: 100,
  reused: 0,
  removed: 0,
  written: true,
  leftOver: [],
})

test('the build summary lists the first notes and skipped files, and says how many more the report holds', () => {
  const text = formatReport(report(14, 53))
  assert.match(text, /notes: title_from_body ×14/)
  assert.match(text, /post-9\.md/)
  assert.doesNotMatch(text, /post-10\.md/)
  assert.match(text, /… and 4 more \(see build-report\.json\)/)
  assert.match(text, /… and 3 more \(see build-report\.json\)/)
  assert.doesNotMatch(formatReport(report(10, 50)), /more \(see/, 'nothing more to see')
})
