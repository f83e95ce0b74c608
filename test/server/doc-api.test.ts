// GET /doc: one post in full, as indexed, with a query's terms marked; against a real server.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { DocumentView } from '../../src/search/reading.js'
import type { SearchResponse } from '../../src/search/types.js'
import { EXAMPLE_FIRST_ID, EXAMPLE_QUERY, NO_LINK_POST_ID, rawRequest, SCRIPT_POST_ID, sharedTestServer } from './fixture.js'

const shared = sharedTestServer({ rateLimit: false })

async function read(query: Record<string, string>): Promise<DocumentView> {
  const response = await rawRequest(shared.server.url, `/doc?${new URLSearchParams(query).toString()}`)
  assert.equal(response.status, 200, response.text.slice(0, 200))
  assert.match(String(response.headers['content-type']), /^application\/json; charset=utf-8/)
  return response.json() as DocumentView
}

const markup = (html: string) => html.replaceAll('<mark>', '').replaceAll('</mark>', '')
const marked = (html: string) => [...html.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]!)

describe('GET /doc', () => {
  test('gives the post the example query finds first, every paragraph, its terms marked as in its hit', async () => {
    const doc = await read({ id: EXAMPLE_FIRST_ID, q: EXAMPLE_QUERY })
    const hit = ((await rawRequest(shared.server.url, `/search?q=${encodeURIComponent(EXAMPLE_QUERY)}`)).json() as SearchResponse).hits[0]!
    assert.equal(hit.id, EXAMPLE_FIRST_ID)
    for (const key of ['id', 'path', 'title', 'title_html', 'url', 'date', 'categories', 'tags'] as const) assert.deepEqual(doc[key], hit[key], key)
    assert.deepEqual(doc.terms, ['红旗区', '断头路'])
    // The demo post's six <p> paragraphs.
    assert.equal(doc.paragraphs_html.length, 6, doc.paragraphs_html.join('\n'))
    assert.ok(doc.paragraphs_html.every((p) => p.trim() !== ''))
    assert.match(doc.paragraphs_html[1]!, /^3月27日，记者在<mark>红旗区<\/mark>青槐路施工现场看到/)
    const marks = doc.paragraphs_html.flatMap(marked)
    assert.ok(marks.length >= 8, `${marks.length} marks`)
    assert.deepEqual([...new Set(marks)].sort(), ['断头路', '红旗区'])
    // The hit's snippet is a passage of this text, marked the same way.
    const passage = hit.snippet_html.replace(/^…/, '').split(/…| /)[0]!
    assert.ok(passage.length > 20 && doc.paragraphs_html.some((p) => p.includes(passage)), passage)
  })

  test('without q, or with a blank one, nothing is marked', async () => {
    const queries: Record<string, string>[] = [{ id: EXAMPLE_FIRST_ID }, { id: EXAMPLE_FIRST_ID, q: ' \u3000' }, { id: EXAMPLE_FIRST_ID, q: '' }]
    for (const query of queries) {
      const doc = await read(query)
      assert.deepEqual(doc.terms, [])
      assert.equal(doc.paragraphs_html.some((p) => p.includes('<mark>')) || doc.title_html.includes('<mark>'), false)
    }
  })

  test('a post without a source link is there to read, url null; text that looks like markup stays text', async () => {
    const noLink = await read({ id: NO_LINK_POST_ID, q: '橙色鲸鱼' })
    assert.equal(noLink.url, null)
    assert.equal(noLink.path, `fixtures/${NO_LINK_POST_ID}.md`)
    assert.match(noLink.title_html, /<mark>橙色鲸鱼<\/mark>/)
    const scripted = await read({ id: SCRIPT_POST_ID, q: 'script' })
    for (const html of [scripted.title_html, ...scripted.paragraphs_html]) assert.equal(markup(html).includes('<'), false, html)
    assert.match(scripted.title_html, /&lt;<mark>script<\/mark>&gt;/)
    assert.ok(scripted.paragraphs_html.some((p) => p.includes('&lt;img src=x onerror=&quot;window.__pwned_img=1&quot;&gt;')))
  })

  test('an unknown id is a 404 naming it; a missing, empty, repeated, bracketed or too long id is a 400', async () => {
    const unknown = await rawRequest(shared.server.url, '/doc?id=2099-01-01-nothing')
    assert.equal(unknown.status, 404)
    assert.deepEqual(unknown.json(), { error: { code: 'not_found', message: 'No document has the id "2099-01-01-nothing".', param: 'id' } })
    for (const [path, message] of [
      ['/doc', 'id is required.'],
      ['/doc?id=', 'id must not be empty.'],
      [`/doc?id=${EXAMPLE_FIRST_ID}&id=${NO_LINK_POST_ID}`, 'id must be given once.'],
      [`/doc?id=${'x'.repeat(1001)}`, 'id is longer than 1000 characters.'],
      [`/doc?id=${EXAMPLE_FIRST_ID}&q=a&q=b`, 'q must be given once.'],
      [`/doc?id=${EXAMPLE_FIRST_ID}&q=${encodeURIComponent('路'.repeat(201))}`, 'q is longer than 200 characters.'],
      [`/doc?id[]=${EXAMPLE_FIRST_ID}`, 'id is given as id[]: give it once, as id=… (a parameter takes one value).'],
    ] as const) {
      const response = await rawRequest(shared.server.url, path)
      assert.equal(response.status, 400, path)
      assert.equal((response.json() as { error: { message: string } }).error.message, message, path)
    }
  })

  test('every id the index holds is found, whatever order the ids sort in', async () => {
    const all = (await rawRequest(shared.server.url, `/search?q=${encodeURIComponent('category:jiance')}&size=100`)).json() as SearchResponse
    assert.ok(all.hits.length >= 3)
    for (const hit of all.hits) assert.equal((await read({ id: hit.id })).title, hit.title)
  })

  test('a hostile query is marked, not obeyed', async () => {
    const doc = await read({ id: SCRIPT_POST_ID, q: '"<mark>" OR -演练 title:( )' })
    for (const html of [doc.title_html, ...doc.paragraphs_html]) assert.equal(markup(html).includes('<'), false, html)
  })
})
