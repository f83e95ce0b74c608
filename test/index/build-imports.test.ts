import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'

test("a build's main thread does not load the post parser's modules: only its workers parse posts", () => {
  // A process of its own, whose module cache holds only what importing the build pulled in.
  const script = `
    import { createRequire } from 'node:module'
    await import(${JSON.stringify(new URL('../../src/index/build.js', import.meta.url).href)})
    const loaded = Object.keys(createRequire(import.meta.url).cache)
    console.log(JSON.stringify(['gray-matter', 'iconv-lite', 'chardet'].filter((name) => loaded.some((path) => path.includes('/node_modules/' + name + '/')))))
  `
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  assert.deepEqual(JSON.parse(run.stdout), [])
})

test("a build worker's HTML reader loads cheerio's htmlparser2 build, not parse5 and undici", () => {
  const script = `
    import { createRequire } from 'node:module'
    await import(${JSON.stringify(new URL('../../src/ingest/html-text.js', import.meta.url).href)})
    const loaded = Object.keys(createRequire(import.meta.url).cache)
    console.log(JSON.stringify(['undici', 'whatwg-encoding'].filter((name) => loaded.some((path) => path.includes('/node_modules/' + name + '/')))))
  `
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  assert.deepEqual(JSON.parse(run.stdout), [])
})
