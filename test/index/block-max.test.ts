import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { blockMaximaFor, rangeMaximaOf } from '../../src/index/block-max.js'
import { buildIndex } from '../../src/index/build.js'
import { END, PostingCursor } from '../../src/index/posting-cursor.js'
import { openIndex } from '../../src/index/reader.js'
import { CHECKPOINT_EVERY } from '../../src/index/checkpoints.js'
import { denseThreshold } from '../../src/index/dense-sets.js'
import { RANGE_SHIFT } from '../../src/index/range-max.js'
import { DEFAULT_RANKING, fieldWeights } from '../../src/search/rank.js'

let work = ''
after(() => work && rmSync(work, { recursive: true, force: true }))

test('each block maximum bounds the saturation of its postings, within float32 rounding (weights and maximum rounded up)', async () => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-block-max-'))
  mkdirSync(join(work, 'posts'))
  // Common grams in every post, in counts and field lengths that vary from post to post.
  const clauses = ['渡口的船工早起摆渡', '江面上雾气未散', '对岸集市人声渐起', '船工说今年水位偏高']
  for (let i = 0; i < 700; i++) {
    const body = Array.from({ length: 1 + ((i * 13) % 6) }, (_, k) => clauses[(i + k * 3) % clauses.length]!).join('，')
    const title = i % 6 === 0 ? '渡口船工' : `江边见闻第${i}则`
    writeFileSync(join(work, 'posts', `2024-03-01-d${i}.md`), `---\ntitle: "${title}"\ndate: 2024-03-01 08:00:00 +0800\n---\n<p>${body}。</p>\n`)
  }
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index') })
  const index = openIndex(join(work, 'index'))
  const { meta } = index.docs
  const stored = index.grams.blockMaxima
  assert.ok(stored, 'the grams space has block maxima')
  assert.deepEqual([...stored.shape], [DEFAULT_RANKING.k1, DEFAULT_RANKING.titleWeight, DEFAULT_RANKING.titleB, DEFAULT_RANKING.bodyB, meta.avgTitleUnits, meta.avgBodyUnits])
  const maxima = blockMaximaFor(stored, DEFAULT_RANKING, meta.avgTitleUnits, meta.avgBodyUnits)!
  assert.equal(maxima.length, index.grams.checkpointTable.length / 3, 'one maximum per checkpoint')
  assert.equal(blockMaximaFor(stored, { ...DEFAULT_RANKING, k1: 2 }, meta.avgTitleUnits, meta.avgBodyUnits), null, 'none for another ranking')
  const weights = fieldWeights(DEFAULT_RANKING, { titleUnits: index.docs.titleUnits, bodyUnits: index.docs.bodyUnits, avgTitle: meta.avgTitleUnits, avgBody: meta.avgBodyUnits })
  const k1 = DEFAULT_RANKING.k1
  const below = new Float32Array(1)
  const belowBits = new Uint32Array(below.buffer)
  let blocks = 0
  for (let term = 0; term < index.grams.terms; term++) {
    const first = index.grams.checkpointRange(term)
    const count = index.grams.checkpointRange(term + 1) - first
    if (count === 0) continue
    const highest = new Float64Array(count)
    const cursor = new PostingCursor(index.grams, term)
    for (let i = 0, doc = cursor.next(); doc !== END; i++, doc = cursor.next()) {
      if (i < CHECKPOINT_EVERY) continue
      const tf = cursor.tfTitle * weights.title[doc]! + cursor.tfBody * weights.body[doc]!
      const block = Math.floor(i / CHECKPOINT_EVERY) - 1
      highest[block] = Math.max(highest[block]!, (tf * (k1 + 1)) / (k1 + tf))
    }
    for (let b = 0; b < count; b++) {
      const value = maxima[first + b]!
      assert.ok(value >= highest[b]!, `${index.grams.key(term)} block ${b + 1}: ${value} bounds ${highest[b]}`)
      // The weights are rounded up to float32 before the maximum is: a few float32 steps above at most.
      below[0] = value
      belowBits[0]! -= 4
      assert.ok(below[0]! < highest[b]!, `${index.grams.key(term)} block ${b + 1}: ${value} is within four float32 steps of ${highest[b]}`)
      blocks++
    }
  }
  assert.ok(blocks > 100, `many blocks checked (${blocks})`)
  // Range maxima: a row for each dense gram with positions, each range's level the least that bounds
  // the saturation of the gram's postings in its documents (0 where it has none).
  const ranges = rangeMaximaOf(stored, index.docs.count, DEFAULT_RANKING, meta.avgTitleUnits, meta.avgBodyUnits)!
  assert.ok(ranges, 'the grams space has range maxima')
  assert.equal(rangeMaximaOf(stored, index.docs.count, { ...DEFAULT_RANKING, titleB: 0.5 }, meta.avgTitleUnits, meta.avgBodyUnits), null, 'none for another ranking')
  assert.equal(rangeMaximaOf(stored, index.docs.count + 40, DEFAULT_RANKING, meta.avgTitleUnits, meta.avgBodyUnits), null, 'none for another number of documents')
  const levels = ranges.levels
  let rows = 0
  let lone = 0
  for (let term = 0; term < index.grams.terms; term++) {
    const row = ranges.row(term)
    const dense = index.grams.df(term) >= denseThreshold(index.docs.count)
    if (dense && !index.grams.positional(term)) lone++
    if (!dense || !index.grams.positional(term)) {
      assert.equal(row, null, `${index.grams.key(term)} has no range maxima`)
      continue
    }
    if (row === null) assert.fail(`${index.grams.key(term)} has range maxima`)
    const highest = new Float64Array(row.length).fill(-1)
    const cursor = new PostingCursor(index.grams, term)
    for (let doc = cursor.next(); doc !== END; doc = cursor.next()) {
      const tf = cursor.tfTitle * weights.title[doc]! + cursor.tfBody * weights.body[doc]!
      const range = doc >>> RANGE_SHIFT
      highest[range] = Math.max(highest[range]!, (tf * (k1 + 1)) / (k1 + tf))
    }
    for (let r = 0; r < row.length; r++) {
      const level: number = row[r]!
      if (highest[r]! < 0) {
        assert.equal(level, 0, `${index.grams.key(term)} range ${r} holds none`)
        continue
      }
      assert.ok(level > 0 && levels[level]! >= highest[r]!, `${index.grams.key(term)} range ${r}: ${levels[level]} bounds ${highest[r]}`)
      // Rounded up to the level above at most (the weights' rounding may add one more).
      assert.ok(level <= 2 || levels[level - 2]! < highest[r]!, `${index.grams.key(term)} range ${r}: level ${level} is the least that bounds ${highest[r]}`)
    }
    rows++
  }
  assert.ok(rows >= 10 && lone >= 5, `rows for dense grams (${rows}), none for dense lone characters (${lone})`)
})
