// GET /suggest against a real server on 127.0.0.1 over the demo and fixture posts.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { MANIFEST, readManifest } from '../../src/index/manifest.js'
import type { SuggestResponse } from '../../src/server/suggest-route.js'
import { SUGGEST_FILE } from '../../src/suggest/file.js'
import { rawRequest, repoRoot, sharedTestServer, startTestServer } from '../server/fixture.js'

const shared = sharedTestServer({ rateLimit: false })

async function suggest(q: string): Promise<SuggestResponse> {
  const response = await fetch(`${shared.server.url}/suggest?${new URLSearchParams({ q }).toString()}`)
  assert.equal(response.status, 200, `GET /suggest?q=${q} answered ${response.status}`)
  assert.match(response.headers.get('content-type') ?? '', /^application\/json; charset=utf-8/)
  return (await response.json()) as SuggestResponse
}

async function expectError(pathAndQuery: string, status: number, code: string): Promise<{ message: string; param?: string }> {
  const response = await rawRequest(shared.server.url, pathAndQuery)
  assert.equal(response.status, status, `${pathAndQuery}: ${response.text}`)
  const body = response.json() as { error: { code: string; message: string; param?: string } }
  assert.equal(body.error.code, code)
  assert.equal(typeof body.error.message, 'string')
  return body.error
}

describe('GET /suggest', () => {
  test('红旗 → the word 红旗区 and titles with their ids, at most 8, in the documented shape', async () => {
    const body = await suggest('红旗')
    assert.deepEqual(Object.keys(body).sort(), ['query', 'suggestions'])
    assert.equal(body.query, '红旗')
    assert.ok(body.suggestions.length >= 2 && body.suggestions.length <= 8)
    assert.deepEqual(body.suggestions.find((s) => s.text === '红旗区'), { text: '红旗区', kind: 'word' })
    const titles = body.suggestions.filter((s) => s.kind === 'title')
    assert.ok(titles.length > 0)
    for (const s of body.suggestions) {
      assert.ok(s.kind === 'word' || s.kind === 'title')
      assert.deepEqual(Object.keys(s).sort(), s.kind === 'title' ? ['id', 'kind', 'text'] : ['kind', 'text'])
    }
    // A title suggestion's id is the article's id: searching the title finds it.
    const title = titles[0]!
    const search = (await (await fetch(`${shared.server.url}/search?${new URLSearchParams({ q: title.text })}`)).json()) as {
      hits: { id: string; title: string }[]
    }
    assert.equal(search.hits.find((h) => h.id === title.id)?.title, title.text)
  })

  test('Latin prefixes in any case; the query is echoed as sent', async () => {
    const body = await suggest('RU')
    assert.equal(body.query, 'RU')
    assert.ok(body.suggestions.some((s) => s.kind === 'word' && s.text === 'Rust'), JSON.stringify(body))
  })

  test('what matches nothing has no suggestions', async () => {
    assert.deepEqual((await suggest('火星基地殖民')).suggestions, [])
    assert.deepEqual((await suggest('。。。')).suggestions, [])
  })

  test('q is validated like /search: required, once, not blank, at most 200 characters', async () => {
    assert.equal((await expectError('/suggest', 400, 'bad_request')).param, 'q')
    assert.match((await expectError('/suggest?q=', 400, 'bad_request')).message, /blank/)
    assert.match((await expectError('/suggest?q=%20%20', 400, 'bad_request')).message, /blank/)
    assert.match((await expectError('/suggest?q=a&q=b', 400, 'bad_request')).message, /once/)
    assert.match((await expectError(`/suggest?q=${encodeURIComponent('字'.repeat(201))}`, 400, 'bad_request')).message, /200/)
    await suggest('字'.repeat(200))
    await expectError('/suggest?q=%E7%BA', 400, 'bad_request')
  })

  test('`jiansuo suggest --json` prints exactly the body GET /suggest returns', async () => {
    const printed = execFileSync(process.execPath, [join(repoRoot, 'bin/jiansuo.js'), 'suggest', '红旗', '--json', '--index', shared.index.indexDir], {
      encoding: 'utf8',
    })
    assert.deepEqual(JSON.parse(printed), await suggest('红旗'))
    // A query the API refuses: the same error body, and exit 1.
    const refused = spawnSync(process.execPath, [join(repoRoot, 'bin/jiansuo.js'), 'suggest', '  ', '--json', '--index', shared.index.indexDir], { encoding: 'utf8' })
    assert.equal(refused.status, 1)
    assert.deepEqual(JSON.parse(refused.stdout), { error: await expectError('/suggest?q=%20%20', 400, 'bad_request') })
  })

  test('it is read-only', async () => {
    const response = await rawRequest(shared.server.url, `/suggest?q=${encodeURIComponent('红旗')}`, { method: 'POST' })
    assert.equal(response.status, 405)
    assert.equal(response.headers.allow, 'GET, HEAD')
  })
})

describe('GET /suggest on an index built before suggestions', () => {
  test('answers 503 saying to rebuild, while /search keeps working', async () => {
    const dir = `${shared.index.indexDir}-older`
    cpSync(shared.index.indexDir, dir, { recursive: true })
    const manifest = readManifest(dir)
    delete manifest.files[SUGGEST_FILE]
    writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest))
    const older = await startTestServer(dir, { rateLimit: false })
    try {
      const response = await rawRequest(older.url, `/suggest?q=${encodeURIComponent('红旗')}`)
      assert.equal(response.status, 503)
      const body = response.json() as { error: { code: string; message: string } }
      assert.equal(body.error.code, 'suggestions_unavailable')
      assert.match(body.error.message, /rebuild/)
      assert.equal((await rawRequest(older.url, `/search?q=${encodeURIComponent('红旗区')}`)).status, 200)
      // The CLI prints the same body, and exits 1.
      const printed = spawnSync(process.execPath, [join(repoRoot, 'bin/jiansuo.js'), 'suggest', '红旗', '--json', '--index', dir], { encoding: 'utf8' })
      assert.equal(printed.status, 1)
      assert.deepEqual(JSON.parse(printed.stdout), body)
    } finally {
      await older.close()
    }
  })
})
