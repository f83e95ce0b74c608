// Queries a stranger might send: each is answered 200 or 4xx with a JSON body, never 500 and never
// hung, and the server keeps answering other requests while costly searches wait their turn.
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { SearchEngine } from '../../src/search/engine.js'
import type { SearchParams, SearchResponse } from '../../src/search/types.js'
import type { EngineHandle } from '../../src/server/engine-handle.js'
import { encodeSearch } from '../../src/server/encoded-search.js'
import type { SearchPool } from '../../src/server/search-pool.js'
import type { RunningServer } from '../../src/server/serve.js'
import { buildTestIndex, burst, engineWithSearchHook, rawRequest, searchShapeProblems, startTestServer, type TestIndex } from './fixture.js'

let index: TestIndex
let engine: SearchEngine
let server: RunningServer

before(async () => {
  index = await buildTestIndex()
  engine = SearchEngine.open(index.indexDir)
  server = await startTestServer(index.indexDir, { engine: { current: () => engine }, rateLimit: false })
})

after(async () => {
  await server?.close()
  index?.remove()
})

/** No request may take longer than this: a guard against hangs and catastrophic backtracking, not a speed test. */
const DEADLINE_MS = 5_000

const words = ['红旗区', '断头路', '农田', '长江', '橙色鲸鱼', '新乡', 'rust', '2024', '的', '了']
const repeat = (n: number, make: (i: number) => string, sep = ' ') => Array.from({ length: n }, (_, i) => make(i)).join(sep)

/** Hostile `q` values that fit in a URL; each must be answered 200 (or 400 when too long). */
const HOSTILE_QUERIES: [string, string][] = [
  ['only ASCII punctuation', `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`],
  ['only CJK punctuation', '！？。，、；：“”‘’（）【】《》…—·〈〉「」『』〔〕'],
  ['a number ending in a full stop', '版本 2.'],
  ['emoji and a family ZWJ sequence', '😀🎉👨‍👩‍👧‍👦🇨🇳 红旗区'],
  ['astral-plane Han (surrogate pairs)', '𠀀𠮷𪚥 𡃁'],
  ['control characters', '\u0001\u0007\u001b[31m红旗区\u007f\u0085'],
  ['NUL in the middle', '红旗\u0000区'],
  ['zero-width and bidi overrides', '\u200b\u200d\u202e红旗区\u2066\ufeff'],
  ['a script tag', '<script>alert(document.cookie)</script>'],
  ['an attribute breakout', '"><img src=x onerror=alert(1)>'],
  ['a closing mark tag', '</mark><mark>红旗区</mark>'],
  ['HTML entities', '&lt;script&gt; &amp; &#x3C; &#60;'],
  ['an unbalanced quote', '"红旗区 断头路'],
  ['quotes only', '""""""'],
  ['many unbalanced quotes', '"'.repeat(99) + '农田'],
  ['regex metacharacters', '.*+?^${}()|[]\\ (a+)+$ (.*a){20}'],
  ['backtracking bait', 'a'.repeat(60) + '!' + '(a|aa)+'],
  ['dangling operators', 'OR OR - -- | || title: category: tag: "'],
  ['an empty phrase and empty exclusion', '"" -"" - -'],
  ['field syntax with markup', 'title:<b> category:"><x> tag:&amp;'],
  ['200 characters, one Han character repeated', '红'.repeat(200)],
  ['a 198-character phrase', `"${'农'.repeat(198)}"`],
  ['66 terms', repeat(66, (i) => words[i % words.length]!).slice(0, 200)],
  ['100 exclusions', repeat(100, (i) => `-${'断农长新'[i % 4]}`).slice(0, 200)],
  ['66 alternatives', repeat(66, (i) => words[i % words.length]!, ' OR ').slice(0, 200)],
  ['100 single characters', repeat(100, (i) => '的了是在和红旗区路田'[i % 10]!)],
  ['a Latin word of 200 letters', 'x'.repeat(200)],
  ['digits only', '1234567890'.repeat(20)],
  ['whitespace of every kind around a term', '\t\n\r\u00a0\u3000红旗区\u2028\u2029'],
  ['traditional and full-width', '紅旗區 ＲＵＳＴ ５Ｇ'],
  ['a Unicode noncharacter', '\ufffe\uffff红旗区'],
]

async function get(pathAndQuery: string) {
  const response = await Promise.race([
    rawRequest(server.url, pathAndQuery),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${DEADLINE_MS} ms: ${pathAndQuery.slice(0, 80)}`)), DEADLINE_MS).unref()),
  ])
  assert.notEqual(response.status, 500, `${pathAndQuery.slice(0, 80)}: 500 ${response.text.slice(0, 200)}`)
  assert.match(String(response.headers['content-type']), /^application\/json/, pathAndQuery.slice(0, 80))
  return response
}

describe('hostile queries over HTTP', () => {
  for (const [label, q] of HOSTILE_QUERIES) {
    test(`${label} → 200 with the contract shape`, async () => {
      for (const extra of ['', '&sort=date&facets=category,tag,year', '&size=100&page=3']) {
        const response = await get(`/search?q=${encodeURIComponent(q)}${extra}`)
        assert.equal(response.status, 200, `${label}${extra}: ${response.text.slice(0, 200)}`)
        const body = response.json() as SearchResponse
        assert.deepEqual(searchShapeProblems(body), [], label)
        assert.equal(body.query, q, 'the query comes back exactly as sent')
        for (const hit of body.hits) {
          for (const html of [hit.title_html, hit.snippet_html]) {
            assert.doesNotMatch(html.replace(/<\/?mark>/g, ''), /[<>]/, `${label}: markup besides <mark> in ${html}`)
          }
        }
      }
    })
  }

  test('a query of 100,000 characters is refused with a JSON 4xx before any search', async () => {
    // Over 16 KB of URL, Node's parser refuses the request line itself (431); the app never sees it.
    for (const q of ['a'.repeat(100_000), '红'.repeat(100_000)]) {
      const response = await get(`/search?q=${encodeURIComponent(q)}`)
      assert.equal(response.status, 431)
      assert.equal((response.json() as { error: { code: string } }).error.code, 'headers_too_large')
    }
    // Within a URL's size, the length limit answers 400 naming q.
    for (const q of ['a'.repeat(10_000), '红'.repeat(1_000), '😀'.repeat(201)]) {
      const response = await get(`/search?q=${encodeURIComponent(q)}`)
      assert.equal(response.status, 400)
      const body = response.json() as { error: { code: string; param: string; message: string } }
      assert.equal(body.error.param, 'q')
      assert.match(body.error.message, /longer than 200 characters/)
      assert.ok(response.text.length < 500, 'the error does not echo the query back')
    }
  })

  test('more than four phrases that only the posts\' text can settle are refused with 400, before any search', async () => {
    const phrases = ['"的，中国"', '"的，红旗"', '"是，我们"', '"了，农田"', '"在，长江"']
    const four = await get(`/search?q=${encodeURIComponent(phrases.slice(0, 4).join(' | '))}`)
    assert.equal(four.status, 200, four.text.slice(0, 200))
    for (const q of [phrases.join(' | '), `的 ${phrases.map((p) => `-${p}`).join(' ')}`, '的，中国 | 的，红旗 | 是，我们 | 了，农田 | 在，长江']) {
      const response = await get(`/search?q=${encodeURIComponent(q)}`)
      assert.equal(response.status, 400, `${q}: ${response.text.slice(0, 200)}`)
      const { error } = response.json() as { error: { message: string; param?: string } }
      assert.match(error.message, /at most 4 phrases with a single character beside punctuation/)
      assert.equal(error.param, 'q', 'names the parameter, as the other 400s do')
    }
  })

  test('lone surrogates and invalid UTF-8 cannot arrive over HTTP: 400', async () => {
    for (const escaped of ['%ED%A0%80', '%ED%BF%BF%E7%BA%A2', '%C0%AF', '%FF%FE', '%E7%BA']) {
      const response = await get(`/search?q=${escaped}`)
      assert.equal(response.status, 400, escaped)
    }
  })

  test('a parameter no route reads is ignored even when its value does not decode; one it reads is refused by name', async () => {
    // A name that does not decode names nothing a route reads either.
    for (const junk of ['utm_source=%E4%B8', 'fbclid=%', 'x=%ED%A0%80', '%E7=1']) {
      assert.equal((await get(`/search?q=${encodeURIComponent('断头路')}&${junk}`)).status, 200, junk)
      assert.equal((await get(`/suggest?q=${encodeURIComponent('断头')}&${junk}`)).status, 200, junk)
    }
    const refused = await get(`/search?q=${encodeURIComponent('断头路')}&category=%E4%B8`)
    assert.equal(refused.status, 400)
    assert.equal((refused.json() as { error: { param?: string } }).error.param, 'category')
  })

  test('every page and size edge is 200 or 400, as documented', async () => {
    const q = encodeURIComponent('断头路')
    const edges: [string, number][] = [
      ['page=1&size=1', 200],
      ['page=10000&size=100', 200],
      ['page=10001', 400],
      ['page=0', 400],
      ['page=-1', 400],
      ['page=1.0', 400],
      ['page=%201', 400],
      ['page=+1', 400],
      ['page=0x10', 400],
      ['page=1e2', 400],
      ['page=%D9%A1', 400], // an Arabic-Indic digit one
      ['page=99999999999999999999999', 400],
      ['page=NaN', 400],
      ['page=Infinity', 400],
      ['page=', 200], // an empty field means "not given"
      ['size=100', 200],
      ['size=101', 400],
      ['size=0', 400],
      ['size=-0', 400],
      ['size=1&size=2', 400],
      ['page=1&page=1', 400],
      ['size=', 200],
    ]
    for (const [params, status] of edges) {
      const response = await get(`/search?q=${q}&${params}`)
      assert.equal(response.status, status, `${params}: ${response.text.slice(0, 200)}`)
      if (status === 200) assert.deepEqual(searchShapeProblems(response.json()), [], params)
    }
    const deep = (await get(`/search?q=${q}&page=10000&size=100`)).json() as SearchResponse
    assert.deepEqual(deep.hits, [])
    assert.ok(deep.total > 0)
  })

  test('other parameters: unknown ones are ignored, repeated or malformed ones are 400', async () => {
    const q = encodeURIComponent('断头路')
    assert.equal((await get(`/search?q=${q}&utm_source=x&__proto__=1&constructor=2`)).status, 200)
    assert.equal((await get(`/search?q=${q}&${'x=1&'.repeat(70)}`)).status, 400)
    assert.equal((await get(`/search?q=${q}&facets=category,category,year`)).status, 200)
    for (const bad of ['facets=', 'facets=,', 'facets=score', 'facets=category;year', 'sort=DATE', 'category=a&category=b', 'from=2024-02-30']) {
      const response = await get(`/search?q=${q}&${bad}`)
      assert.ok(bad === 'facets=' ? response.status === 200 : response.status === 400, `${bad}: ${response.status}`)
    }
  })
})

describe('requests Node itself would refuse get the JSON error body too', () => {
  /** Writes `request` on a fresh socket and returns all that comes back before the server closes it. */
  const raw = (request: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const { port } = new URL(server.url)
      let text = ''
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(request))
      socket.on('data', (chunk) => (text += chunk.toString()))
      socket.on('close', () => resolve(text))
      socket.on('error', reject)
    })
  const cases: [name: string, request: string, status: number, code: string][] = [
    ['HTTP/1.1 without a Host header', 'GET /search?q=x HTTP/1.1\r\n\r\n', 400, 'bad_request'],
    ['an Expect other than 100-continue', 'GET /search?q=x HTTP/1.1\r\nHost: a\r\nExpect: foo\r\n\r\n', 417, 'expectation_failed'],
    ['CONNECT', 'CONNECT example.org:443 HTTP/1.1\r\nHost: example.org\r\n\r\n', 405, 'method_not_allowed'],
  ]
  for (const [name, request, status, code] of cases) {
    test(`${name} → ${status} JSON`, async () => {
      const answer = await raw(request)
      assert.match(answer, new RegExp(`^HTTP/1\\.1 ${status} `))
      assert.match(answer, /content-type: application\/json/i)
      assert.equal((JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string } }).error.code, code)
    })
  }

  test('HTTP/1.0 needs no Host header', async () => {
    assert.match(await raw('GET /healthz HTTP/1.0\r\n\r\n'), /^HTTP\/1\.1 200 /)
  })
})

describe('hostile queries to the engine directly (no length limit in front)', () => {
  const huge: [string, string][] = [
    ['100,000 × one Han character', '红'.repeat(100_000)],
    ['100,000 mixed characters', repeat(100_000, (i) => '红旗区 rust 2024 "-|'[i % 19]!, '')],
    ['20,000 words', repeat(20_000, (i) => words[i % words.length]!)],
    ['1,000 terms', repeat(1_000, (i) => `${words[i % words.length]}${i}`)],
    ['1,000 alternatives', repeat(1_000, (i) => words[i % words.length]!, ' OR ')],
    ['1,000 exclusions', repeat(1_000, (i) => `-${words[i % words.length]}`)],
    ['1,000 quotes', '"'.repeat(1_000)],
    ['lone surrogates', '\ud800红旗区\udc00\udbff'],
    ['a lone high surrogate at the end', '红旗区\ud83d'],
  ]
  for (const [label, q] of huge) {
    test(`${label}: answers without throwing, within the deadline`, () => {
      const started = performance.now()
      const response = engine.search({ q, page: 1, size: 10, facets: ['category', 'tag', 'year'] })
      const ms = performance.now() - started
      assert.ok(ms < DEADLINE_MS, `${label} took ${Math.round(ms)} ms`)
      assert.deepEqual(searchShapeProblems(response), [], label)
      assert.ok(response.terms.length <= 1_000)
    })
  }
})

describe('under costly searches the server stays responsive', () => {
  // The searches repeat a few queries; with the response cache on, most would never reach the queue.
  /** An engine whose every search costs `ms` of CPU, as a long query on a large archive might. */
  function slowEngine(ms: number, onSearch: () => void) {
    return engineWithSearchHook(engine, () => {
      onSearch()
      const until = performance.now() + ms
      while (performance.now() < until) {
        // burn CPU: the event loop is blocked, as during a real search
      }
    })
  }

  const searchPath = (q: string) => `/search?q=${encodeURIComponent(q)}`

  test('/healthz is answered between queued searches, not after all of them', async () => {
    let searched = 0
    const busy = await startTestServer(index.indexDir, { engine: slowEngine(40, () => searched++), rateLimit: false, cacheBytes: 0 })
    try {
      // One search before the burst: a server's first request is slow to handle (code still cold), and
      // requests that arrive meanwhile are then parsed one per search, which says nothing of the queue.
      assert.equal((await fetch(busy.url + searchPath(words[0]!))).status, 200)
      searched = 0
      const { responses, probe } = await burst(busy.url, {
        searches: Array.from({ length: 20 }, (_, i) => searchPath(words[i % 5]!)),
        probe: { path: '/healthz', afterMs: 100 },
      })
      assert.deepEqual(responses.map((r) => r.status), Array(20).fill(200))
      assert.equal(probe?.status, 200)
      const before = responses.filter((r) => r.atMs < probe!.atMs).length
      // Not after all of them; the margin absorbs a busy machine delaying the probe itself.
      assert.ok(before <= 15, `/healthz was answered after ${before} of 20 queued searches (at ${Math.round(probe!.atMs)} ms)`)
      assert.equal(searched, 20)
    } finally {
      await busy.close()
    }
  })

  /**
   * Search threads that take `ms` for each search, one at a time. While they search, the event loop is
   * free, so every request of a burst reaches the queue at once. (A synchronous search blocks the loop,
   * and Node may then accept the waiting connections one per search: they wait in the kernel instead.)
   */
  function slowThreads(ms: number, onSearch: () => void): EngineHandle {
    const threads = {
      concurrency: 1,
      alive: 1,
      ready: async () => {},
      search: (params: SearchParams) => {
        onSearch()
        const encoded = encodeSearch(engine.search(params), engine.index.manifest.generation)
        return new Promise((resolve) => setTimeout(() => resolve(encoded), ms))
      },
    }
    return { current: () => engine, pool: threads as unknown as SearchPool }
  }

  test('past maxQueuedSearches, searches are refused at once with 503 and Retry-After', async () => {
    // Search threads, not searches that block the event loop: see slowThreads.
    const busy = await startTestServer(index.indexDir, { engine: slowThreads(30, () => {}), rateLimit: false, maxQueuedSearches: 4, cacheBytes: 0 })
    try {
      const { responses } = await burst(busy.url, { searches: Array(16).fill(searchPath('农田')) })
      const refused = responses.filter((r) => r.status === 503)
      const answered = responses.filter((r) => r.status === 200)
      assert.equal(refused.length + answered.length, 16, responses.map((r) => `${r.status} ${r.body.slice(0, 60)}`).join('\n'))
      assert.ok(refused.length >= 1 && answered.length >= 4, `${answered.length} answered, ${refused.length} refused`)
      for (const r of refused) {
        assert.match(String(r.retryAfter), /^\d+$/)
        assert.equal((JSON.parse(r.body) as { error: { code: string } }).error.code, 'busy')
      }
    } finally {
      await busy.close()
    }
  })

  test('a search that waited longer than searchTimeoutMs is refused with 503 instead of run', async () => {
    let searched = 0
    const busy = await startTestServer(index.indexDir, { engine: slowThreads(40, () => searched++), rateLimit: false, searchTimeoutMs: 100, cacheBytes: 0 })
    try {
      const { responses } = await burst(busy.url, { searches: Array(12).fill(searchPath('农田')) })
      const timedOut = responses.filter((r) => r.status === 503)
      assert.ok(timedOut.length >= 4, `${timedOut.length} of 12 timed out`)
      assert.equal(searched, 12 - timedOut.length, 'refused searches were never run')
      assert.match((JSON.parse(timedOut[0]!.body) as { error: { message: string } }).error.message, /waited \d+ ms/)
    } finally {
      await busy.close()
    }
  })

  test('a request that dribbles in is cut off with 408 after requestTimeoutMs', async () => {
    const strict = await startTestServer(index.indexDir, { requestTimeoutMs: 300, rateLimit: false })
    try {
      const port = Number(new URL(strict.url).port)
      const started = performance.now()
      const answer = await new Promise<string>((resolve, reject) => {
        let text = ''
        const socket = connect(port, '127.0.0.1', () => socket.write('GET /search?q=x HTTP/1.1\r\nHost: x\r\n'))
        socket.on('data', (chunk) => (text += chunk.toString()))
        socket.on('close', () => resolve(text))
        socket.on('error', reject)
      })
      assert.match(answer, /^HTTP\/1\.1 408 /)
      assert.match(answer, /"request_timeout"/)
      assert.ok(performance.now() - started < DEADLINE_MS)
    } finally {
      await strict.close()
    }
  })
})
