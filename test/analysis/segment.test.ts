import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'

test('jieba without a user dictionary folds nothing, so a build thread can adopt the build\'s fold table', () => {
  // A process of its own: making a fold table loads OpenCC's dictionaries, which its module cache then shows.
  const script = `
    import { createRequire } from 'node:module'
    const { createSegmenter } = await import(${JSON.stringify(new URL('../../src/analysis/segment.js', import.meta.url).href)})
    createSegmenter('')
    const loaded = Object.keys(createRequire(import.meta.url).cache)
    console.log(JSON.stringify(loaded.filter((path) => path.includes('/node_modules/opencc-js/')).length))
  `
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  assert.equal(JSON.parse(run.stdout), 0)
})
