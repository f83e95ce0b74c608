import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { withSubwordCache, type Segmenter } from '../../src/analysis/segment.js'

/** A segmenter that cuts every character apart and counts its calls. */
function counting(): Segmenter & { cuts: number; subwordCuts: number } {
  return {
    version: 'counting',
    cuts: 0,
    subwordCuts: 0,
    cut(text) {
      this.cuts++
      return [...text]
    },
    subwords(word) {
      this.subwordCuts++
      return word.length < 3 ? [] : [word.slice(0, 2)]
    },
  }
}

test('the cached segmenter cuts a text given twice in a row once, and any other text anew', () => {
  const inner = counting()
  const cached = withSubwordCache(inner)
  assert.deepEqual(cached.cut('长江'), ['长', '江'])
  assert.deepEqual(cached.cut('长江'), ['长', '江'])
  assert.equal(inner.cuts, 1)
  assert.deepEqual(cached.cut('黄河'), ['黄', '河'])
  assert.deepEqual(cached.cut('长江'), ['长', '江'])
  assert.equal(inner.cuts, 3)
})

test('the cached segmenter remembers the sub-words of long words', () => {
  const inner = counting()
  const cached = withSubwordCache(inner)
  assert.deepEqual(cached.subwords('长江经济带'), ['长江'])
  assert.deepEqual(cached.subwords('长江经济带'), ['长江'])
  assert.equal(inner.subwordCuts, 1)
  assert.deepEqual(cached.subwords('长江'), [])
})

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
