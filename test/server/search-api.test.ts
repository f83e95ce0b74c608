// GET /search and GET /healthz against a real server on 127.0.0.1, per CONTRACT.md.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { connect } from 'node:net'
import { gunzipSync } from 'node:zlib'
import type { Hit, SearchResponse } from '../../src/search/types.js'
import {
  EXAMPLE_FIRST_ID,
  EXAMPLE_QUERY,
  FIXTURE_PHRASE,
  NO_LINK_POST_ID,
  rawRequest,
  SCRIPT_POST_ID,
  sharedTestServer,
  startTestServer,
} from './fixture.js'

const shared = sharedTestServer({ rateLimit: false })

async function search(query: Record<string, string>): Promise<SearchResponse> {
  const response = await fetch(`${shared.server.url}/search?${new URLSearchParams(query).toString()}`)
  assert.equal(response.status, 200, `GET /search?${new URLSearchParams(query).toString()} answered ${response.status}`)
  assert.match(response.headers.get('content-type') ?? '', /^application\/json; charset=utf-8/)
  return (await response.json()) as SearchResponse
}

const HIT_KEYS = ['categories', 'date', 'id', 'path', 'score', 'snippet_html', 'tags', 'title', 'title_html', 'url']

function assertHitShape(hit: Hit): void {
  for (const key of HIT_KEYS) assert.ok(key in hit, `hit ${hit.id} lacks ${key}`)
  assert.equal(typeof hit.id, 'string')
  assert.match(hit.path, /\.md$/)
  assert.equal(typeof hit.title, 'string')
  assert.equal(typeof hit.title_html, 'string')
  assert.equal(typeof hit.snippet_html, 'string')
  assert.ok(hit.url === null || /^https?:\/\//.test(hit.url), `url ${String(hit.url)}`)
  assert.ok(hit.date === null || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(hit.date), `date ${String(hit.date)}`)
  assert.ok(Array.isArray(hit.categories) && hit.categories.every((c) => typeof c === 'string'))
  assert.ok(Array.isArray(hit.tags) && hit.tags.every((t) => typeof t === 'string'))
  assert.ok(Number.isFinite(hit.score))
  // Only <mark> is markup in the HTML fields.
  for (const html of [hit.title_html, hit.snippet_html]) {
    assert.equal(html.replaceAll('<mark>', '').replaceAll('</mark>', '').includes('<'), false, html)
  }
}

describe('GET /search', () => {
  test('answers the example query with the contract shape, the seed article first and marked terms', async () => {
    const body = await search({ q: EXAMPLE_QUERY })
    assert.equal(body.query, EXAMPLE_QUERY)
    assert.ok(Array.isArray(body.terms) && body.terms.length > 0 && body.terms.every((t) => typeof t === 'string'))
    assert.equal(body.page, 1)
    assert.equal(body.size, 10)
    assert.ok(Number.isFinite(body.took_ms) && body.took_ms >= 0)
    assert.ok(body.total >= 1)
    assert.ok(body.hits.length >= 1 && body.hits.length <= 10)
    for (const hit of body.hits) assertHitShape(hit)
    const first = body.hits[0]!
    assert.equal(first.id, EXAMPLE_FIRST_ID)
    assert.equal(first.path, `${EXAMPLE_FIRST_ID}.md`)
    assert.match(first.title, /红旗区/)
    assert.match(first.snippet_html, /<mark>[^<]*(红旗区|断头路)[^<]*<\/mark>/)
    assert.equal(first.date, '2023-03-28T08:30:12+08:00')
    assert.deepEqual(first.categories, ['xinxiangribao'])
  })

  test('total counts every match, not just the page, and pages do not overlap', async () => {
    const all = await search({ q: '断头路', size: '100' })
    assert.ok(all.total >= 2, 'the demo has several posts about roads')
    const first = await search({ q: '断头路', size: '1' })
    const second = await search({ q: '断头路', size: '1', page: '2' })
    assert.equal(first.total, all.total)
    assert.equal(second.total, all.total)
    assert.equal(first.size, 1)
    assert.equal(second.page, 2)
    assert.equal(first.hits.length, 1)
    assert.equal(second.hits.length, 1)
    assert.equal(first.hits[0]!.id, all.hits[0]!.id)
    assert.equal(second.hits[0]!.id, all.hits[1]!.id)
    const beyond = await search({ q: '断头路', page: '999' })
    assert.equal(beyond.total, all.total)
    assert.deepEqual(beyond.hits, [])
  })

  test('page and size written with leading zeros are the same numbers, however many zeros', async () => {
    const plain = await search({ q: '断头路', size: '1', page: '2' })
    const padded = await search({ q: '断头路', size: '0000000001', page: '00000000000002' })
    assert.deepEqual({ ...padded, took_ms: 0 }, { ...plain, took_ms: 0 })
  })

  test('category, tag and date filters keep only matching posts', async () => {
    const unfiltered = await search({ q: '断头路', size: '100' })
    const byCategory = await search({ q: '断头路', category: 'xinxiangribao', size: '100' })
    assert.ok(byCategory.total >= 1)
    assert.ok(byCategory.hits.every((hit) => hit.categories.includes('xinxiangribao')))
    assert.equal(byCategory.total, unfiltered.hits.filter((hit) => hit.categories.includes('xinxiangribao')).length)

    const byTag = await search({ q: FIXTURE_PHRASE, tag: '网页安全' })
    assert.deepEqual(
      byTag.hits.map((hit) => hit.id),
      [SCRIPT_POST_ID],
    )

    const byDate = await search({ q: '断头路', from: '2023-01-01', to: '2023-12-31', size: '100' })
    assert.ok(byDate.total >= 1)
    for (const hit of byDate.hits) assert.ok(hit.date !== null && hit.date >= '2023-01-01' && hit.date < '2024-01-01', hit.date ?? 'null')
    assert.equal(byDate.total, unfiltered.hits.filter((hit) => hit.date !== null && hit.date.startsWith('2023')).length)

    // Years before 100 are days too (Date.UTC would have read 0099 as 1999).
    const ancient = await search({ q: '断头路', from: '0001-01-01', to: '0099-12-31' })
    assert.equal(ancient.total, 0)
    assert.equal((await search({ q: '断头路', from: '0099-12-31', size: '100' })).total, unfiltered.total)
  })

  test('parameters it does not know are ignored, bracketed ones too (a shared link may carry them)', async () => {
    const plain = await search({ q: '断头路' })
    const tagged = await search({ q: '断头路', utm_source: 'weibo', 'filter[]': 'x', _: '1700000000' })
    assert.deepEqual(tagged.hits, plain.hits)
  })

  test('a term typed twice is listed once in terms', async () => {
    assert.deepEqual((await search({ q: '断头路 红旗区 断头路' })).terms, ['断头路', '红旗区'])
  })

  test('sort=date orders newest first', async () => {
    const body = await search({ q: '断头路', sort: 'date', size: '100' })
    const dates = body.hits.map((hit) => hit.date ?? '')
    assert.deepEqual(dates, [...dates].sort().reverse())
  })

  test('a title with a zero-width space is found by its words; a decomposed accent in the text by the composed one', async () => {
    const title = await rawRequest(shared.server.url, `/search?q=${encodeURIComponent('紫色海马')}`)
    assert.equal(title.status, 200)
    assert.deepEqual((title.json() as { hits: { title: string }[] }).hits.map((h) => h.title), ['看不见的字符：标题里的紫色海马藏着零宽空格和软连字符'])
    const accent = await rawRequest(shared.server.url, `/search?q=${encodeURIComponent('café')}`)
    assert.equal((accent.json() as { total: number }).total, 1)
  })

  test('text that looks like markup comes back escaped; a post without a source link has url null', async () => {
    const body = await search({ q: FIXTURE_PHRASE, size: '100' })
    const scripted = body.hits.find((hit) => hit.id === SCRIPT_POST_ID)
    assert.ok(scripted, 'the fixture post with <script> in it is found')
    assertHitShape(scripted)
    assert.match(scripted.title, /<script>/, 'title is the plain text, markup and all')
    assert.match(scripted.title_html, /&lt;script&gt;/)
    const noLink = body.hits.find((hit) => hit.id === NO_LINK_POST_ID)
    assert.ok(noLink)
    assert.equal(noLink.url, null)
    assert.equal(noLink.path, `fixtures/${NO_LINK_POST_ID}.md`)
  })

  test('HEAD answers like GET without a body', async () => {
    const response = await rawRequest(shared.server.url, `/search?q=${encodeURIComponent(EXAMPLE_QUERY)}`, { method: 'HEAD' })
    assert.equal(response.status, 200)
    assert.equal(response.body.length, 0)
  })
})

/** %-encodes what an HTTP path may not hold raw, leaving the test's own %-escapes alone. */
function encodeNonAscii(text: string): string {
  return text.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char))
}

describe('bad requests get a 400 that names the parameter', () => {
  const cases: { query: string; param: string; message: RegExp }[] = [
    { query: '', param: 'q', message: /q is required/ },
    { query: 'size=5', param: 'q', message: /q is required/ },
    { query: 'q=', param: 'q', message: /q must not be blank/ },
    { query: 'q=%20%E3%80%80%09', param: 'q', message: /q must not be blank/ },
    { query: 'q=%E2%80%8B%E2%80%8B', param: 'q', message: /q must not be blank/ }, // zero-width spaces only
    { query: 'q=%00%01%7F', param: 'q', message: /q must not be blank/ }, // control characters only
    { query: `q=${'路'.repeat(201)}`, param: 'q', message: /q is longer than 200 characters/ },
    { query: 'q=a&q=b', param: 'q', message: /q must be given once/ },
    { query: 'q=路&size=0', param: 'size', message: /size must be a whole number from 1 to 100/ },
    { query: 'q=路&size=101', param: 'size', message: /size must be a whole number from 1 to 100/ },
    { query: 'q=路&size=abc', param: 'size', message: /size .*"abc"/ },
    { query: 'q=路&size=2.5', param: 'size', message: /size must be a whole number/ },
    { query: 'q=路&page=0', param: 'page', message: /page must be a whole number from 1/ },
    { query: 'q=路&page=-1', param: 'page', message: /page must be a whole number/ },
    { query: 'q=路&page=1e3', param: 'page', message: /page must be a whole number/ },
    { query: 'q=路&page=99999999999999999999', param: 'page', message: /page must be a whole number/ },
    { query: 'q=路&from=2024-13-45', param: 'from', message: /from must be a date written YYYY-MM-DD/ },
    { query: 'q=路&from=2023-02-29', param: 'from', message: /from must be a date/ },
    { query: 'q=路&to=2024-1-5', param: 'to', message: /to must be a date written YYYY-MM-DD/ },
    { query: 'q=路&to=yesterday', param: 'to', message: /to must be a date/ },
    { query: 'q=路&from=2024-05-01&to=2024-03-01', param: 'from', message: /from \(2024-05-01\) is after to \(2024-03-01\)/ },
    { query: 'q=路&sort=foo', param: 'sort', message: /sort must be relevance or date/ },
    { query: `q=路&category=${'类'.repeat(201)}`, param: 'category', message: /category is longer than 200/ },
    // Arrays as form libraries write them: dropped as unknown names, the filter was silently not applied.
    { query: 'q=路&category[]=xinxiangribao', param: 'category', message: /category is given as category\[\]: give it once, as category=/ },
    { query: 'q=路&tag%5B0%5D=新乡日报新闻', param: 'tag', message: /tag is given as tag\[0\]/ },
    { query: 'q[]=路', param: 'q', message: /q is given as q\[\]/ },
  ]

  for (const { query, param, message } of cases) {
    test(`/search?${query.length > 60 ? `${query.slice(0, 60)}…` : query}`, async () => {
      const response = await rawRequest(shared.server.url, `/search?${encodeNonAscii(query)}`)
      assert.equal(response.status, 400)
      assert.match(String(response.headers['content-type']), /^application\/json/)
      const body = response.json() as { error: { code: string; message: string; param?: string } }
      assert.deepEqual(Object.keys(body), ['error'])
      assert.equal(body.error.code, 'bad_request')
      assert.equal(body.error.param, param)
      assert.match(body.error.message, message)
      assert.doesNotMatch(response.text, /\bat .*\.js:\d+/, 'no stack trace')
    })
  }

  for (const [label, path, param] of [
    ['a truncated %-escape in q', '/search?q=%E7%BA', 'q'],
    ['a %-escape that is not hex', '/search?q=%ZZ', 'q'],
    ['a lone surrogate encoded as UTF-8', '/search?q=%ED%A0%80', 'q'],
    ['an overlong encoding in tag', '/search?q=ok&tag=%C0%AF', 'tag'],
    ['a cut-short sequence in /doc\'s id', '/doc?id=%F0%9F', 'id'],
  ] as const) {
    test(`malformed URL: ${label} → 400 naming ${param}`, async () => {
      const response = await rawRequest(shared.server.url, path)
      assert.equal(response.status, 400)
      const body = response.json() as { error: { code: string; message: string; param?: string } }
      assert.equal(body.error.code, 'bad_request')
      assert.match(body.error.message, /URL is not valid/)
      assert.equal(body.error.param, param)
      assert.match(body.error.message, new RegExp(`value of ${param}\\b`))
    })
  }

  test('a query sent as raw UTF-8 bytes, as a shell client may, is a 400 that says to percent-encode it', async () => {
    const { hostname, port } = new URL(shared.server.url)
    const reply = await new Promise<string>((resolve, reject) => {
      let data = ''
      const socket = connect(Number(port), hostname, () => socket.write(Buffer.from(`GET /search?q=断头路 HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`, 'utf8')))
      socket.on('data', (chunk) => (data += chunk.toString('utf8')))
      socket.on('end', () => resolve(data))
      socket.on('error', reject)
    })
    assert.match(reply, /^HTTP\/1\.1 400 /)
    const body = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } }
    assert.equal(body.error.code, 'bad_request')
    assert.match(body.error.message, /must be percent-encoded/)
  })

  test('malformed %-escape in the path → 400 JSON, not 500', async () => {
    for (const path of ['/%E0%A4%A', '/search%ZZ', '/web/%C0%AF']) {
      const response = await rawRequest(shared.server.url, path)
      assert.ok(response.status === 400 || response.status === 404, `${path}: ${response.status}`)
      assert.equal((response.json() as { error: { code: string } }).error.code, response.status === 400 ? 'bad_request' : 'not_found')
    }
  })

  test('the query length limit is configurable', async () => {
    const strict = await startTestServer(shared.index.indexDir, { rateLimit: false, maxQueryLength: 10 })
    try {
      const ok = await rawRequest(strict.url, `/search?q=${encodeURIComponent('断'.repeat(10))}`)
      assert.equal(ok.status, 200)
      // An emoji is one character, though two UTF-16 units.
      const emoji = await rawRequest(strict.url, `/search?q=${encodeURIComponent('😀'.repeat(10))}`)
      assert.equal(emoji.status, 200)
      const long = await rawRequest(strict.url, `/search?q=${encodeURIComponent('断'.repeat(11))}`)
      assert.equal(long.status, 400)
      assert.match((long.json() as { error: { message: string } }).error.message, /longer than 10 characters/)
      // A category or tag filter takes any value a post can hold (up to 200 characters), whatever the query's limit.
      const tag = await rawRequest(strict.url, `/search?q=${encodeURIComponent('断')}&tag=${encodeURIComponent('标'.repeat(200))}`)
      assert.equal(tag.status, 200)
      const tooLong = await rawRequest(strict.url, `/search?q=${encodeURIComponent('断')}&tag=${encodeURIComponent('标'.repeat(201))}`)
      assert.equal(tooLong.status, 400)
    } finally {
      await strict.close()
    }
  })

  test('other methods on /search get 405 with Allow', async () => {
    const response = await rawRequest(shared.server.url, '/search?q=a', { method: 'POST' })
    assert.equal(response.status, 405)
    assert.equal(response.headers.allow, 'GET, HEAD')
    assert.equal((response.json() as { error: { code: string } }).error.code, 'method_not_allowed')
  })

  test('other methods on the pages get 405 with Allow too; a path that is nothing stays 404', async () => {
    // POST / answered 404 "Nothing here: POST /", though the search page is there.
    for (const path of ['/', '/index.html', '/read.html', '/app.js', '/style.css']) {
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const response = await rawRequest(shared.server.url, path, { method })
        assert.equal(response.status, 405, `${method} ${path}`)
        assert.equal(response.headers.allow, 'GET, HEAD', `${method} ${path}`)
        assert.equal((response.json() as { error: { code: string } }).error.code, 'method_not_allowed')
      }
    }
    for (const path of ['/nothing.html', '/../package.json', '/.env']) {
      assert.equal((await rawRequest(shared.server.url, path, { method: 'POST' })).status, 404, path)
    }
  })
})

describe('GET /healthz', () => {
  test('reports ok and the number of indexed documents', async () => {
    const response = await fetch(`${shared.server.url}/healthz`)
    assert.equal(response.status, 200)
    const body = (await response.json()) as Record<string, unknown>
    assert.equal(body.status, 'ok')
    assert.equal(body.documents, shared.index.report.documents)
    assert.equal(body.generation, shared.index.report.generation, 'names the build being served')
    assert.equal(body.queued_searches, 0)
    assert.ok(shared.index.report.documents >= 30, 'demo posts and fixtures are indexed')
  })
})

describe('unknown routes', () => {
  test('answer 404 JSON to programs', async () => {
    for (const path of ['/api/search', '/nope', '/search/extra']) {
      const response = await rawRequest(shared.server.url, path, { headers: { Accept: 'application/json' } })
      assert.equal(response.status, 404, path)
      assert.match(String(response.headers['content-type']), /^application\/json/)
      assert.equal((response.json() as { error: { code: string } }).error.code, 'not_found')
    }
    const curlLike = await rawRequest(shared.server.url, '/nope', { headers: { Accept: '*/*' } })
    assert.equal(curlLike.status, 404)
    assert.match(String(curlLike.headers['content-type']), /^application\/json/)
  })

  test('answer a small 404 page to browsers', async () => {
    const response = await rawRequest(shared.server.url, '/no-such-page', { headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
    assert.equal(response.status, 404)
    assert.match(String(response.headers['content-type']), /^text\/html/)
    assert.match(response.text, /页面不存在/)
  })

  test('stay 404 for a client asking for a range', async () => {
    for (const range of ['bytes=0-10', 'bytes=99999-']) {
      const response = await rawRequest(shared.server.url, '/no-such-page', { headers: { Accept: 'text/html', Range: range } })
      assert.equal(response.status, 404, range)
      assert.equal(response.headers['content-range'], undefined)
      assert.match(response.text, /页面不存在/)
    }
  })
})

describe('response headers', () => {
  test('security headers, with a CSP that allows only the page’s own files', async () => {
    for (const path of ['/', `/search?q=${encodeURIComponent(EXAMPLE_QUERY)}`, '/search', '/nope']) {
      const response = await rawRequest(shared.server.url, path)
      const csp = String(response.headers['content-security-policy'])
      assert.match(csp, /default-src 'none'/, path)
      assert.match(csp, /script-src 'self'(;|$)/, path)
      assert.match(csp, /style-src 'self'(;|$)/, path)
      assert.match(csp, /connect-src 'self'/, path)
      assert.match(csp, /frame-ancestors 'none'/, path)
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path)
      assert.equal(response.headers['x-content-type-options'], 'nosniff', path)
      assert.equal(response.headers['referrer-policy'], 'no-referrer', path)
      assert.ok(response.headers['x-frame-options'], path)
      assert.equal(response.headers['x-powered-by'], undefined, path)
      assert.equal(response.headers['strict-transport-security'], undefined, path)
    }
  })

  test('responses are gzipped when the client accepts gzip', async () => {
    const path = `/search?q=${encodeURIComponent('断头路')}&size=100`
    const gzipped = await rawRequest(shared.server.url, path, { headers: { 'Accept-Encoding': 'gzip' } })
    assert.equal(gzipped.status, 200)
    assert.equal(gzipped.headers['content-encoding'], 'gzip')
    const plain = await rawRequest(shared.server.url, path, { headers: { 'Accept-Encoding': 'identity' } })
    assert.equal(plain.headers['content-encoding'], undefined)
    const unzipped = JSON.parse(gunzipSync(gzipped.body).toString('utf8')) as SearchResponse
    const direct = plain.json() as SearchResponse
    assert.deepEqual(
      unzipped.hits.map((hit) => hit.id),
      direct.hits.map((hit) => hit.id),
    )
    assert.ok(gzipped.body.length < plain.body.length)
  })

  test('searches are not cached stale and carry their engine time', async () => {
    const response = await rawRequest(shared.server.url, `/search?q=${encodeURIComponent(EXAMPLE_QUERY)}`)
    assert.equal(response.headers['cache-control'], 'no-cache')
    assert.match(String(response.headers['server-timing']), /^search;dur=[\d.]+$/)
  })
})

describe('the page', () => {
  test('is served at / with its script and style from this server, and no inline script', async () => {
    const page = await rawRequest(shared.server.url, '/')
    assert.equal(page.status, 200)
    assert.match(String(page.headers['content-type']), /^text\/html/)
    assert.match(page.text, /<html lang="zh-CN">/)
    const scripts = [...page.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    assert.ok(scripts.length >= 1)
    for (const tag of scripts) assert.match(tag, /src="\/[^"]+"/, `inline script: ${tag}`)
    assert.doesNotMatch(page.text, /\sstyle=|\son[a-z]+=/i, 'no inline style or event handler attributes')
    assert.doesNotMatch(page.text, /(src|href)="(https?:)?\/\//, 'no external resources')

    const script = await rawRequest(shared.server.url, '/app.js')
    assert.equal(script.status, 200)
    assert.match(String(script.headers['content-type']), /^(text|application)\/javascript/)
    const style = await rawRequest(shared.server.url, '/style.css')
    assert.equal(style.status, 200)
    assert.match(String(style.headers['content-type']), /^text\/css/)
    assert.doesNotMatch(style.text, /@import|url\((["']?)(https?:)?\/\//, 'the style fetches nothing from elsewhere')
  })

  test('a range past the end of one of its files is a 416 JSON error, labelled JSON and without the file\'s validators', async () => {
    for (const path of ['/app.js', '/style.css', '/']) {
      const response = await rawRequest(shared.server.url, path, { headers: { Range: 'bytes=99999999-' } })
      assert.equal(response.status, 416, path)
      assert.match(String(response.headers['content-type']), /^application\/json/, path)
      assert.equal((response.json() as { error: { code: string } }).error.code, 'range_not_satisfiable', path)
      assert.notEqual(response.headers.etag, (await rawRequest(shared.server.url, path)).headers.etag, `${path}: the file's ETag`)
      assert.equal(response.headers['last-modified'], undefined, path)
    }
  })
})
