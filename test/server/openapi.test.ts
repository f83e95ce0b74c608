// GET /openapi.json: an OpenAPI 3.1 document that real responses conform to.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { RunningServer } from '../../src/server/serve.js'
import { buildTestIndex, EXAMPLE_FIRST_ID, EXAMPLE_QUERY, FIXTURE_PHRASE, NO_LINK_POST_ID, rawRequest, startTestServer, type TestIndex } from './fixture.js'
import { responseSchema, schemaProblems } from './json-schema.js'

type Document = Record<string, unknown> & { openapi: string; paths: Record<string, { get: { parameters?: { name: string }[]; responses?: Record<string, unknown> } }> }

let index: TestIndex
let server: RunningServer
let document: Document

before(async () => {
  index = await buildTestIndex()
  server = await startTestServer(index.indexDir, { rateLimit: { windowMs: 60_000, limit: 1_000 } })
  const response = await rawRequest(server.url, '/openapi.json')
  assert.equal(response.status, 200)
  assert.match(String(response.headers['content-type']), /^application\/json/)
  document = response.json() as Document
})

after(async () => {
  await server?.close()
  index?.remove()
})

/** Fetches `path` and checks the body against the document's schema for that path and status. */
async function conforms(path: string, expectedStatus: number): Promise<unknown> {
  const response = await rawRequest(server.url, path)
  assert.equal(response.status, expectedStatus, `${path}: ${response.text.slice(0, 200)}`)
  const route = new URL(path, 'http://x').pathname
  const body = response.json()
  assert.deepEqual(schemaProblems(body, responseSchema(document, route, expectedStatus), document), [], path)
  return body
}

const q = (text: string) => encodeURIComponent(text)

describe('/openapi.json', () => {
  test('is OpenAPI 3.1 and describes /search, /suggest, /doc and /healthz with every /search parameter', () => {
    assert.equal(document.openapi, '3.1.0')
    assert.deepEqual(Object.keys(document.paths).sort(), ['/doc', '/healthz', '/openapi.json', '/search', '/suggest'])
    const names = document.paths['/search']!.get.parameters!.map((p) => p.name)
    assert.deepEqual(names.sort(), ['category', 'facets', 'from', 'page', 'q', 'size', 'sort', 'tag', 'to'])
  })

  test('200 responses of /search conform, with and without facets, hits, filters', async () => {
    for (const path of [
      `/search?q=${q(EXAMPLE_QUERY)}`,
      `/search?q=${q(EXAMPLE_QUERY)}&facets=category,tag,year&size=100`,
      `/search?q=${q(FIXTURE_PHRASE)}&sort=date`,
      `/search?q=${q('断头路')}&category=xinxiangribao&from=2022-01-01&to=2024-12-31&facets=year`,
      `/search?q=${q('没有这个词语组合')}&facets=tag`,
      `/search?q=${q('断头路')}&page=999`,
      // A word no post holds, sounding as one they do: the response offers did_you_mean.
      `/search?q=${q('鸿旗区 今年')}`,
    ]) {
      await conforms(path, 200)
    }
  })

  test('error responses conform', async () => {
    await conforms('/search?size=5', 400)
    await conforms(`/search?q=${q('路')}&size=0`, 400)
    await conforms(`/search?q=${q('路')}&facets=score`, 400)
    await conforms('/suggest', 400)
    await conforms('/doc', 400)
    await conforms('/doc?id=no-such-post', 404)
    // A method the API does not take: documented, with the same error body.
    for (const path of [`/search?q=${q('路')}`, `/suggest?q=${q('红')}`, `/doc?id=x`, '/healthz', '/openapi.json']) {
      const post = await rawRequest(server.url, path, { method: 'POST' })
      assert.equal(post.status, 405, path)
      assert.deepEqual(schemaProblems(post.json(), responseSchema(document, path.split('?')[0]!, 405), document), [], path)
    }
    for (const route of ['/search', '/suggest', '/doc', '/healthz', '/openapi.json']) {
      assert.deepEqual(Object.keys(document.paths[route]!.get.responses!).filter((s) => ['405', '408', '417', '431'].includes(s)), ['405', '408', '417', '431'], route)
    }
  })

  test('a client over its rate limit gets a documented 429 from /search, /suggest and /doc', async () => {
    const limited = await startTestServer(index.indexDir, { rateLimit: { windowMs: 60_000, limit: 1 } })
    try {
      for (const route of ['/search', '/suggest', '/doc']) {
        const path = `${route}?q=${q('红旗')}&id=${EXAMPLE_FIRST_ID}`
        let response = await rawRequest(limited.url, path)
        // /suggest allows several times the search limit: ask until it is used up.
        for (let tries = 0; response.status === 200 && tries < 20; tries++) response = await rawRequest(limited.url, path)
        assert.equal(response.status, 429, route)
        assert.deepEqual(schemaProblems(response.json(), responseSchema(document, route, 429), document), [], route)
      }
    } finally {
      await limited.close()
    }
  })

  test('/suggest, /doc and /healthz conform', async () => {
    const suggest = (await conforms(`/suggest?q=${q('红旗')}`, 200)) as { suggestions: unknown[] }
    assert.ok(suggest.suggestions.length > 0, 'the demo has titles with 红旗')
    await conforms(`/doc?id=${EXAMPLE_FIRST_ID}&q=${q(EXAMPLE_QUERY)}`, 200)
    await conforms(`/doc?id=${NO_LINK_POST_ID}`, 200)
    await conforms('/healthz', 200)
  })

  test('the schema check fails on responses that break the contract', async () => {
    const body = (await rawRequest(server.url, `/search?q=${q(EXAMPLE_QUERY)}`)).json() as { hits: Record<string, unknown>[]; total: unknown }
    const schema = responseSchema(document, '/search', 200)
    const broken = [
      { ...body, total: '3' },
      { ...body, hits: [{ ...body.hits[0], url: 42 }] },
      { ...body, hits: [{ ...body.hits[0], extra: true }] },
      { ...body, hits: [{ ...body.hits[0], date: '2024-03-01' }] },
      { ...body, facets: { score: [] } },
    ]
    for (const wrong of broken) assert.notDeepEqual(schemaProblems(wrong, schema, document), [], JSON.stringify(wrong).slice(0, 120))
    const { hits: _hits, ...withoutHits } = body
    assert.notDeepEqual(schemaProblems(withoutHits, schema, document), [])
  })
})
