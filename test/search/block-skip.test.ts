import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { END, PostingCursor } from '../../src/index/posting-cursor.js'
import { RANGE_SHIFT } from '../../src/index/range-max.js'
import { planBlockSkip, rangeOrder, rarestGramOf, type BlockSkip, type SkipBonus } from '../../src/search/block-skip.js'
import { TermPlan } from '../../src/search/match.js'
import { termsOf } from '../../src/search/query-terms.js'
import { rankIndex, type RankedIndex } from '../../src/search/ranked-index.js'
import { bm25f, bm25fCeiling } from '../../src/search/rank.js'
import { postsIndex } from '../helpers/posts-index.js'

let ranked: RankedIndex
let remove = () => {}
const analyzer = new Analyzer()

before(async () => {
  // 湖水 in every post (a list of many blocks); 质量 in every seventh, now and then many times; 琥珀 in three; 码头 in the first 80; 芦苇 in 40.
  const posts: Record<string, string> = {}
  for (let i = 0; i < 400; i++) {
    const quality = i % 7 === 0 ? '水的质量很好。'.repeat(1 + (i % 5)) : ''
    const amber = i % 150 === 0 ? '展出琥珀。' : ''
    // 码头 in the first fifth only (names padded, so numbered in order): common, but in no document of most ranges.
    const pier = i < 80 ? '码头停着船。' : ''
    // 芦苇 in every tenth: a list of two blocks, but too few posts to be dense (an eighth of them).
    const reeds = i % 10 === 5 ? '芦苇摇动。' : ''
    posts[`p${String(i).padStart(3, '0')}`] = `${'湖水清澈水。'.repeat(1 + (i % 3))}${quality}${amber}${pier}${reeds}岸边有树${i}棵。`
  }
  const built = await postsIndex(posts)
  remove = built.remove
  ranked = rankIndex(built.engine.index, undefined, false)
})
after(() => remove())

function planOf(text: string): TermPlan {
  return new TermPlan(ranked.index, termsOf(text, analyzer, 'any')[0]!)
}

/** The skip plan of 湖水 alone with `subwords`, which are all the bonus it has. */
function skipWith(subwords: SkipBonus[]): BlockSkip {
  const ceiling = bm25fCeiling(ranked.ranking, 1)
  const skip = planBlockSkip(ranked.index.grams, ranked.blockMaxima!, ranked.rangeMaxima, ceiling, ranked.termSets, { plan: planOf('湖水'), reach: 1 }, [], [], () => subwords, 10)
  assert.ok(skip, 'a lone common word steps over blocks')
  assert.deepEqual([...skip.subwords], [...skip.followers], 'the sub-words are the bounds beside the lead\'s')
  return skip
}

test('a word\'s rarest gram is the least frequent pair of its characters; a word with a pair in no post has none', () => {
  const grams = ranked.index.grams
  const pairs = ['清澈', '澈水', '水的', '的质', '质量'].map((pair) => grams.lookup(pair))
  const rarest = rarestGramOf(grams, '清澈水的质量')
  assert.ok(pairs.includes(rarest))
  assert.equal(grams.df(rarest), Math.min(...pairs.map((gram) => grams.df(gram))))
  assert.ok(grams.df(rarest) < grams.df(grams.lookup('清澈')))
  assert.equal(rarestGramOf(grams, '湖水'), grams.lookup('湖水'))
  assert.equal(rarestGramOf(grams, '湖面'), -1)
})

test('a bonus is bounded block by block by its gram\'s maxima, and by its ceiling where a block has none', () => {
  const grams = ranked.index.grams
  const ceiling = bm25fCeiling(ranked.ranking, 1)
  const atCeiling = skipWith([{ gram: -1, reach: 2 }])
  const byGram = skipWith([{ gram: grams.lookup('质量'), reach: 2 }])
  assert.ok(atCeiling.bounds.length > 4, 'the lead has several blocks')
  for (let b = 0; b < atCeiling.bounds.length; b++) {
    assert.ok(Number.isFinite(byGram.bounds[b]!), `block ${b} is bounded`)
    assert.ok(byGram.bounds[b]! <= atCeiling.bounds[b]!, `block ${b}: no higher than at the ceiling`)
    assert.ok(Math.abs(atCeiling.followers[b]! - 2 * ceiling) < 1e-12, `block ${b}: the ceiling is the reach times the most a saturation reaches`)
  }
  assert.ok(byGram.bounds.some((bound, b) => bound < atCeiling.bounds[b]!), 'some block is bounded below the ceiling')
  // 琥珀's list is one block, which has no maximum: bounded by its ceiling, not unbounded.
  const rare = skipWith([{ gram: grams.lookup('琥珀'), reach: 2 }])
  assert.deepEqual([...rare.bounds], [...atCeiling.bounds])
})

test('a range of documents is bounded by its words\' and bonuses\' range maxima, and read best bound first', () => {
  const grams = ranked.index.grams
  const quality = grams.lookup('质量')
  const ceiling = bm25fCeiling(ranked.ranking, 1)
  const bonuses = [{ gram: quality, reach: 2 }, { gram: grams.lookup('琥珀'), reach: 0.5 }]
  const plan = (followers: string[]) => planBlockSkip(grams, ranked.blockMaxima!, ranked.rangeMaxima, ceiling, ranked.termSets, { plan: planOf('湖水'), reach: 1 }, followers.map((f) => ({ plan: planOf(f), reach: 1.5 })), [], () => bonuses, 10)!
  assert.equal(plan([]).byRange, null, 'a lone word is bounded by its blocks')
  const byRange = plan(['清澈']).byRange
  assert.ok(byRange, 'common words with range maxima are bounded range by range')
  const ranges = byRange.all
  assert.equal(ranges.length, Math.ceil(ranked.documentCount / (1 << RANGE_SHIFT)))
  // Each word's and bonus's part: its reach times the most its postings reach in the range, rounded up
  // (by a byte's step, 1/255 of the ceiling, at most, and float32 weights); 琥珀 (no range maxima) at its ceiling.
  const mostOf = (gram: string, reach: number): Float64Array => {
    const most = new Float64Array(ranges.length)
    const cursor = new PostingCursor(grams, grams.lookup(gram))
    for (let doc = cursor.next(); doc !== END; doc = cursor.next()) {
      const r = doc >>> RANGE_SHIFT
      most[r] = Math.max(most[r]!, bm25f(ranked.ranking, ranked.weights, doc, cursor.tfTitle, cursor.tfBody, reach))
    }
    return most
  }
  const within = (bounds: Float64Array, parts: [string, number][], what: string) => {
    const mosts = parts.map(([gram, reach]) => mostOf(gram, reach))
    for (let r = 0; r < ranges.length; r++) {
      const exact = 0.5 * ceiling + mosts.reduce((sum, most) => sum + most[r]!, 0)
      const step = parts.reduce((sum, [, reach]) => sum + (reach * ceiling) / 255, 0)
      assert.ok(bounds[r]! >= exact * (1 - 1e-12), `${what}, range ${r}: ${bounds[r]} bounds ${exact}`)
      assert.ok(bounds[r]! <= exact + step * 1.01, `${what}, range ${r}: ${bounds[r]} is within a step of ${exact}`)
    }
  }
  // The bonuses are the sub-words; the followers' part is all but the lead's.
  within(byRange.subwords, [['质量', 2]], 'the sub-words')
  within(byRange.followers, [['质量', 2], ['清澈', 1.5]], 'the followers')
  within(ranges, [['质量', 2], ['清澈', 1.5], ['湖水', 1]], 'all')
  // A range where a word required is in no document cannot hold a match.
  const withPier = plan(['码头']).byRange!.all
  const holds = new Uint8Array(ranges.length)
  const cursor = new PostingCursor(grams, grams.lookup('码头'))
  for (let doc = cursor.next(); doc !== END; doc = cursor.next()) holds[doc >>> RANGE_SHIFT] = 1
  assert.ok(holds.includes(0) && holds.includes(1), '码头 is in some ranges, not all')
  holds.forEach((held, r) => assert.equal(withPier[r] === -Infinity, held === 0, `range ${r}`))
  // Every range once, about best first, with the most any range from there on can reach.
  const { order, rest } = rangeOrder(ranges)
  assert.deepEqual([...order].sort((a, b) => a - b), [...ranges.keys()].filter((r) => ranges[r] !== -Infinity))
  for (let i = 0; i < order.length; i++) {
    assert.equal(rest[i], Math.max(...[...order.subarray(i)].map((r) => ranges[r]!)), `the most from ${i} on`)
  }
  assert.ok(rest[0]! > rest[order.length - 1]!, 'the best come first')
  // Ranges that cannot hold a match are left out.
  const apart = rangeOrder(Float64Array.from([1, -Infinity, 3, 2, -Infinity]))
  assert.deepEqual([...apart.order], [2, 3, 0])
  assert.deepEqual([...apart.rest], [3, 2, 1])
})

test('a lead that is not dense steps over its blocks beside followers with sets, counting its matches itself', () => {
  const grams = ranked.index.grams
  const ceiling = bm25fCeiling(ranked.ranking, 1)
  const plan = (lead: string, followers: string[]) =>
    planBlockSkip(grams, ranked.blockMaxima!, ranked.rangeMaxima, ceiling, ranked.termSets, { plan: planOf(lead), reach: 1 }, followers.map((f) => ({ plan: planOf(f), reach: 1 })), [], () => [], 10)
  assert.equal(ranked.termSets!.of(planOf('芦苇')), null, '芦苇 has no set: it is not dense')
  const skip = plan('芦苇', ['湖水'])
  assert.ok(skip, 'led by 芦苇, beside 湖水 (dense)')
  assert.equal(skip.total, null, 'the walk counts the matches: the lead has no set to AND')
  assert.equal(skip.leadInSets, false)
  assert.deepEqual(skip.sets, [ranked.termSets!.of(planOf('湖水'))], 'the follower\'s set tells which of the lead\'s documents may match')
  assert.equal(skip.bounds.length, grams.checkpointRange(grams.lookup('芦苇') + 1) - grams.checkpointRange(grams.lookup('芦苇')))
  assert.ok(skip.bounds.length > 0, 'the lead has blocks to step over')
  // A list of one block has none: its walk reads it all.
  assert.equal(plan('琥珀', ['湖水']), null)
})
