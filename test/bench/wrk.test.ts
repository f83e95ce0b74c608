import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { findWrk, luaString, parseWrkOutput, runWrk, wrkScript } from '../../bench/scale/wrk.js'

/** wrk's own report as it prints it, followed by the script's result line. */
const WRK_STDOUT = [
  'Running 5s test @ http://127.0.0.1:4000',
  '  1 threads and 10 connections',
  '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
  '    Latency     2.51ms    1.02ms  30.11ms   91.20%',
  '  20000 requests in 5.00s, 80.00MB read',
  '  Non-2xx or 3xx responses: 3',
  'Requests/sec:   4000.00',
  'Transfer/sec:     16.00MB',
  '{"jiansuoWrk":1,"requests":20000,"durationUs":5001234,"connect":0,"read":1,"write":0,"status":3,"timeout":2,"p50Us":2405,"p99Us":7810}',
  '',
].join('\n')

describe('the wrk script', () => {
  it('writes paths as Lua string literals, escaping quotes, backslashes, control and non-ASCII bytes', () => {
    const cases: [text: string, literal: string][] = [
      ['/search?q=%E4%B8%AD%E5%9B%BD&size=10', '"/search?q=%E4%B8%AD%E5%9B%BD&size=10"'],
      ['a"b', '"a\\034b"'],
      ['a\\b', '"a\\092b"'],
      // A digit after an escape stays a digit: escapes are always three digits.
      ['\n1', '"\\0101"'],
      ['中', '"\\228\\184\\173"'],
      ["it's ]] --", '"it\'s ]] --"'],
    ]
    for (const [text, literal] of cases) assert.equal(luaString(text), literal, JSON.stringify(text))
  })

  it('lists the paths in the order given and prints one result line with wrk\'s counts', () => {
    const script = wrkScript(['/search?q=a&size=10', '/search?q=b&size=10'])
    assert.ok(script.indexOf('"/search?q=a&size=10"') < script.indexOf('"/search?q=b&size=10"'))
    for (const field of ['summary.requests', 'summary.duration', 'e.connect', 'e.read', 'e.write', 'e.status', 'e.timeout', 'latency:percentile(50)', 'latency:percentile(99)']) {
      assert.ok(script.includes(field), field)
    }
  })

  it('refuses an empty list of paths', () => {
    assert.throws(() => wrkScript([]), /no paths/)
  })
})

describe("wrk's result line", () => {
  it('is found among wrk\'s own report and read into counts', () => {
    assert.deepEqual(parseWrkOutput(WRK_STDOUT), {
      requests: 20000,
      durationUs: 5001234,
      errors: { connect: 0, read: 1, write: 0, status: 3, timeout: 2 },
      latencyP50Us: 2405,
      latencyP99Us: 7810,
    })
  })

  it('is an error when missing or when a count is absent', () => {
    assert.throws(() => parseWrkOutput('Running 5s test @ http://127.0.0.1:4000\n'), /no result line/)
    assert.throws(() => parseWrkOutput('{"jiansuoWrk":1,"requests":5,"durationUs":1}\n'), /connect is not a count/)
  })
})

describe('wrk against a local server', () => {
  const wrk = findWrk()
  it('asks the paths in order, from the first again after the last, and counts status errors', { skip: wrk ? false : 'wrk is not on PATH (apt-get install wrk)' }, async () => {
    const asked: string[] = []
    const server = createServer((request, response) => {
      asked.push(request.url ?? '')
      response.statusCode = request.url === '/missing' ? 404 : 200
      response.end('ok')
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const { port } = server.address() as AddressInfo
      const paths = ['/one?q=%E4%B8%AD', '/two', '/missing']
      const summary = await runWrk({ wrk: wrk!, url: `http://127.0.0.1:${port}`, paths, connections: 1, seconds: 1 })
      assert.ok(asked.length >= 6, `only ${asked.length} requests`)
      asked.forEach((url, i) => assert.equal(url, paths[i % paths.length], `request ${i}`))
      // One connection: at most the request in flight when the run stopped is unanswered.
      assert.ok(summary.requests === asked.length || summary.requests === asked.length - 1, `${summary.requests} of ${asked.length}`)
      assert.equal(summary.errors.status, asked.slice(0, summary.requests).filter((url) => url === '/missing').length)
      assert.ok(summary.latencyP50Us > 0 && summary.latencyP99Us >= summary.latencyP50Us)
    } finally {
      server.close()
    }
  })
})
