// The search queue on its own: order, refusals and skipped searches, without timing assumptions.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HttpError } from '../../src/server/errors.js'
import { SearchQueue } from '../../src/server/search-queue.js'

const busyFor = (ms: number) => {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // a search's CPU time
  }
}

test('searches run one per turn, in the order they came', async () => {
  const queue = new SearchQueue({ maxQueuedSearches: 10, searchTimeoutMs: 10_000 })
  const ran: number[] = []
  const results = await Promise.all([1, 2, 3, 4].map((n) => queue.run(() => (ran.push(n), n * 10))))
  assert.deepEqual(ran, [1, 2, 3, 4])
  assert.deepEqual(results, [10, 20, 30, 40])
  assert.equal(queue.length, 0)
})

test('a full queue refuses at once with 503 busy and a Retry-After in whole seconds', async () => {
  const queue = new SearchQueue({ maxQueuedSearches: 2, searchTimeoutMs: 10_000 })
  const accepted = [queue.run(() => 'a'), queue.run(() => 'b')]
  await assert.rejects(queue.run(() => 'c'), (err: unknown) => {
    assert.ok(err instanceof HttpError)
    assert.equal(err.status, 503)
    assert.equal(err.code, 'busy')
    assert.match(err.headers['Retry-After'] ?? '', /^[1-9]\d*$/)
    return true
  })
  assert.deepEqual(await Promise.all(accepted), ['a', 'b'])
})

test('a search whose client has gone is skipped, not run, and resolves to undefined', async () => {
  const queue = new SearchQueue({ maxQueuedSearches: 10, searchTimeoutMs: 10_000 })
  let ran = 0
  const gone = new Set([1, 3])
  const results = await Promise.all([0, 1, 2, 3].map((n) => queue.run(() => (ran++, n), () => gone.has(n))))
  assert.deepEqual(results, [0, undefined, 2, undefined])
  assert.equal(ran, 2)
})

test('a search that waited past searchTimeoutMs is refused with 503 instead of run', async () => {
  const queue = new SearchQueue({ maxQueuedSearches: 10, searchTimeoutMs: 30 })
  let ran = 0
  const outcomes = await Promise.allSettled([0, 1, 2].map(() => queue.run(() => (ran++, busyFor(50)))))
  // The first ran at once and took 50 ms; the others had waited longer than 30 ms by their turn.
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'rejected'])
  assert.equal(ran, 1)
  const reason = (outcomes[1] as PromiseRejectedResult).reason as HttpError
  assert.equal(reason.status, 503)
  assert.match(reason.message, /waited \d+ ms/)
})

test('an error thrown by a search rejects only that search', async () => {
  const queue = new SearchQueue({ maxQueuedSearches: 10, searchTimeoutMs: 10_000 })
  const outcomes = await Promise.allSettled([queue.run(() => 1), queue.run(() => { throw new Error('boom') }), queue.run(() => 3)])
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled'])
})
