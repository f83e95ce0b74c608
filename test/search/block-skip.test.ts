import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { planBlockSkip, rarestGramOf, type BlockSkip, type SkipBonus } from '../../src/search/block-skip.js'
import { TermPlan } from '../../src/search/match.js'
import { termsOf } from '../../src/search/query-terms.js'
import { rankIndex, type RankedIndex } from '../../src/search/ranked-index.js'
import { bm25fCeiling } from '../../src/search/rank.js'
import { postsIndex } from '../helpers/posts-index.js'

let ranked: RankedIndex
let remove = () => {}
const analyzer = new Analyzer()

before(async () => {
  // 湖水 in every post (a list of many blocks); 质量 in every seventh, now and then many times; 琥珀 in three.
  const posts: Record<string, string> = {}
  for (let i = 0; i < 400; i++) {
    const quality = i % 7 === 0 ? '水的质量很好。'.repeat(1 + (i % 5)) : ''
    const amber = i % 150 === 0 ? '展出琥珀。' : ''
    posts[`p${i}`] = `${'湖水清澈水。'.repeat(1 + (i % 3))}${quality}${amber}岸边有树${i}棵。`
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
  const skip = planBlockSkip(ranked.index.grams, ranked.blockMaxima!, ceiling, ranked.termSets, { plan: planOf('湖水'), reach: 1 }, [], [], () => subwords, 10)
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
