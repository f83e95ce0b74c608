import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  evaluateRun,
  meanScores,
  ndcgAt,
  parseQrels,
  parseTopics,
  precisionAt,
  recallAt,
  reciprocalRankAt,
  scoreTopic,
  unjudgedAt,
} from '../../bench/lib/trec.js'

// One topic judged by hand: a mainly about it (3), b substantial (2), c in passing (1), d not relevant (0).
const judged = new Map([
  ['a', 3],
  ['b', 2],
  ['c', 1],
  ['d', 0],
])
// x is unjudged.
const ranking = ['d', 'a', 'x', 'c', 'b']

const close = (actual: number | null, expected: number) => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`)
}

describe('nDCG@10', () => {
  it('uses gain 2^g − 1, a log2(rank + 1) discount and the ideal order of every judged document', () => {
    // DCG: a at rank 2 (7 / log2 3), c at rank 4 (1 / log2 5), b at rank 5 (3 / log2 6) = 6.00774…
    // Ideal: a, b, c, d = 7 / 1 + 3 / log2 3 + 1 / 2 + 0 = 9.39279…
    close(ndcgAt(ranking, judged, 10), 0.6396122693718669)
  })

  it('is 1 for the ideal ranking and ignores documents below the cut-off', () => {
    close(ndcgAt(['a', 'b', 'c'], judged, 10), 1)
    close(ndcgAt(['x', 'y', 'a'], judged, 2), 0)
  })

  it('builds the ideal from all judged documents, not only the retrieved ones', () => {
    // Only b retrieved, at rank 1: 3 / 9.39279…
    close(ndcgAt(['b'], judged, 10), 3 / (7 + 3 / Math.log2(3) + 1 / 2))
  })

  it('is undefined when nothing judged is relevant', () => {
    assert.equal(ndcgAt(['d'], new Map([['d', 0]]), 10), null)
  })
})

describe('MRR@10, P@5, Recall@100, unjudged@10', () => {
  it('MRR counts grade ≥ 2 only: c (grade 1) earlier does not count', () => {
    assert.equal(reciprocalRankAt(['c', 'x', 'b'], judged, 10), 1 / 3)
    assert.equal(reciprocalRankAt(ranking, judged, 10), 1 / 2)
  })

  it('MRR is 0 when the first relevant document is below rank 10', () => {
    const late = [...Array.from({ length: 10 }, (_, i) => `x${i}`), 'a']
    assert.equal(reciprocalRankAt(late, judged, 10), 0)
  })

  it('MRR and P@5 are undefined when no judged document reaches grade 2', () => {
    const passing = new Map([['c', 1]])
    assert.equal(reciprocalRankAt(['c'], passing, 10), null)
    assert.equal(precisionAt(['c'], passing, 5), null)
  })

  it('P@5 divides by 5 even when fewer results came back', () => {
    assert.equal(precisionAt(ranking, judged, 5), 2 / 5)
    assert.equal(precisionAt(['a'], judged, 5), 1 / 5)
  })

  it('Recall counts grade ≥ 1 against every such judged document', () => {
    assert.equal(recallAt(ranking, judged, 100), 1)
    assert.equal(recallAt(['d', 'a'], judged, 100), 1 / 3)
    assert.equal(recallAt(['d', 'a', 'x', 'c'], judged, 2), 1 / 3)
    assert.equal(recallAt(['a'], new Map([['a', 0]]), 100), null)
  })

  it('unjudged counts documents without any judgment, not the ones judged 0', () => {
    assert.equal(unjudgedAt(ranking, judged, 10), 1)
    assert.equal(unjudgedAt(['x', 'y', 'd'], judged, 2), 2)
  })
})

describe('scoring a run', () => {
  it('scores a repeated id on its first occurrence', () => {
    assert.deepEqual(scoreTopic('t', ['a', 'a', 'b'], judged), scoreTopic('t', ['a', 'b'], judged))
  })

  it('scores a topic the system did not answer as an empty ranking', () => {
    const topics = parseTopics('t1\tquery one\tneed\nt2\tquery two\tneed\n')
    const qrels = parseQrels('t1 0 a 3\nt2 0 b 2\n')
    const run = evaluateRun(topics, qrels, new Map([['t1', ['a']]]))
    assert.deepEqual(
      run.perTopic.map((t) => [t.qid, t.ndcg10, t.mrr10]),
      [
        ['t1', 1, 1],
        ['t2', 0, 0],
      ],
    )
    assert.equal(run.mean.ndcg10, 0.5)
  })

  it('leaves a topic out of the means it cannot define', () => {
    const withRelevant = scoreTopic('t1', ['a'], judged)
    const withoutRelevant = scoreTopic('t2', ['d'], new Map([['d', 0]]))
    const mean = meanScores([withRelevant, withoutRelevant])
    assert.equal(mean.topics, 2)
    close(mean.ndcg10, withRelevant.ndcg10!)
    close(mean.recall100, 1 / 3)
    assert.equal(mean.mrr10, 1)
    assert.equal(mean.p5, 1 / 5)
  })
})

describe('parsing', () => {
  it('reads topics as qid, query, need', () => {
    assert.deepEqual(parseTopics('q1\t長江 禁漁\t關於禁漁\n\n'), [{ qid: 'q1', query: '長江 禁漁', need: '關於禁漁' }])
  })

  it('rejects a topic without a query and a repeated qid', () => {
    assert.throws(() => parseTopics('q1\t \tneed'), /line 1/)
    assert.throws(() => parseTopics('q1\ta\tn\nq1\tb\tn'), /duplicate qid q1/)
  })

  it('reads graded judgments per topic', () => {
    const qrels = parseQrels('q1 0 doc-a 3\nq1 0 doc-b 0\r\nq2\t0\tdoc-a\t1\n')
    assert.deepEqual([...qrels.get('q1')!], [
      ['doc-a', 3],
      ['doc-b', 0],
    ])
    assert.deepEqual([...qrels.get('q2')!], [['doc-a', 1]])
  })

  it('rejects malformed lines and contradictory judgments, naming the line', () => {
    assert.throws(() => parseQrels('q1 0 doc-a'), /line 1/)
    assert.throws(() => parseQrels('q1 0 doc-a high'), /line 1/)
    assert.throws(() => parseQrels('q1 0 doc-a 2\nq1 0 doc-a 1'), /line 2: q1 doc-a judged both 2 and 1/)
  })
})
