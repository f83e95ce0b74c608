import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bodyText, ContainmentOracle, sampleSubstrings, type SampleSource } from '../../bench/lib/substrings.js'

// Hand-written posts. p1 and p2 share a clause; p3 has no Chinese; p4 uses characters outside the BMP.
const docs: SampleSource[] = [
  { id: 'p1', title: '春天的农场', paragraphs: ['春风吹过田野，农民开始播种。', 'Spring 2024 plan'] },
  { id: 'p2', title: '城市公园', paragraphs: ['公园里的樱花开了，游客很多。', '春风吹过田野的时候，公园也热闹。'] },
  { id: 'p3', title: 'English only', paragraphs: ['No Chinese here at all.'] },
  { id: 'p4', title: '古字', paragraphs: ['𠀀𠀁𠀂字典收录'] },
]
const byId = new Map(docs.map((d) => [d.id, d]))
const han = /^\p{Script=Han}+$/u

describe('sampleSubstrings', () => {
  it('copies runs of 2–8 consecutive Chinese characters from the body of the post it names', () => {
    const { samples } = sampleSubstrings(docs, { count: 300, seed: 11 })
    assert.equal(samples.length, 300)
    for (const { docId, query } of samples) {
      const length = [...query].length
      assert.ok(length >= 2 && length <= 8, `${query} has ${length} characters`)
      assert.match(query, han)
      assert.ok(bodyText(byId.get(docId)!).includes(query), `${query} is not in ${docId}'s body`)
    }
    assert.ok(!samples.some((s) => s.docId === 'p3'))
    assert.ok(samples.some((s) => s.docId === 'p4' && /𠀀|𠀁|𠀂/u.test(s.query)))
  })

  it('depends only on the seed, not on the order the posts come in', () => {
    const once = sampleSubstrings(docs, { count: 50, seed: 3 })
    assert.deepEqual(sampleSubstrings([...docs].reverse(), { count: 50, seed: 3 }), once)
    assert.notDeepEqual(sampleSubstrings(docs, { count: 50, seed: 4 }).samples, once.samples)
  })

  it('honours the run lengths asked for', () => {
    const { samples } = sampleSubstrings(docs, { count: 40, seed: 9, minLength: 3, maxLength: 3 })
    assert.ok(samples.every((s) => [...s.query].length === 3))
  })

  it('redraws runs found in more posts than maxContaining, and counts them', () => {
    const sampling = sampleSubstrings(docs, { count: 200, seed: 5, maxContaining: 1 })
    assert.ok(sampling.tooCommon > 0, 'the shared clause 春风吹过田野 should have been drawn and redrawn')
    assert.equal(sampling.draws, sampling.samples.length + sampling.tooCommon)
    for (const { query } of sampling.samples) {
      const containing = docs.filter((d) => `${d.title}\n${bodyText(d)}`.includes(query))
      assert.equal(containing.length, 1, `${query} is in ${containing.length} posts`)
    }
  })

  it('refuses posts with nothing to sample', () => {
    assert.throws(() => sampleSubstrings([docs[2]!], { count: 1, seed: 1 }), /too few Chinese runs/)
    assert.throws(() => sampleSubstrings([], { count: 1, seed: 1 }), /no documents/)
  })
})

describe('ContainmentOracle', () => {
  const oracle = new ContainmentOracle(docs)

  it('counts posts whose title or body contains a string exactly', () => {
    assert.equal(oracle.countContaining('春风吹过田野'), 2)
    assert.equal(oracle.countContaining('樱花开了'), 1)
    assert.equal(oracle.countContaining('春天的农场'), 1)
    assert.equal(oracle.countContaining('田野农民'), 0)
    assert.equal(oracle.countContaining('Spring'), 1)
    assert.equal(oracle.countContaining('𠀁𠀂字'), 1)
  })

  it('stops counting just past the cap', () => {
    assert.equal(oracle.countContaining('春风', 0), 1)
    assert.equal(oracle.countContaining('春风', 5), 2)
  })
})
