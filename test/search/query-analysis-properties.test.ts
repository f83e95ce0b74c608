// Properties of query analysis over text nobody wrote by hand: any string a user may type, with or
// without a synonyms file, is cut into bounded clauses or refused as too costly, never an exception.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { analyzeQuery, QueryTooCostlyError, type AnalyzedQuery } from '../../src/search/query-analysis.js'
import { parseSynonyms } from '../../src/search/synonyms.js'

const analyzer = new Analyzer()

/** Pieces queries are made of: words, lone characters, the syntax, and what users paste around them. */
const PIECES = [
  '新能源', '汽车', '销量', '电动车', '新能源汽车', '长江', '禁渔', '中国', '人民银行', '断头路', '的', '路',
  'AI', 'gpt-4', 'C++', '5G', '35岁', '電動車', ' ', ' ', '  ', '"', '“', '”', '《', '》', '-', '|', ' OR ',
  'title:', 'category:', 'tag:', '，', '、', '=>', '#', '\u200b', '\ud800', '😀',
]
const query = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((parts) => parts.join(''))
const synonymsFile = fc
  .array(fc.array(fc.constantFrom('新能源汽车', '电动车', '中国', '中华', 'AI', '人工智能', '长江', '禁渔', 'gpt-4', '汽车销量'), { minLength: 2, maxLength: 4 }), { maxLength: 4 })
  .map((groups) => groups.map((g) => g.join(', ')).join('\n'))

function analyzed(q: string, synonyms: string): AnalyzedQuery | null {
  try {
    return analyzeQuery(q, analyzer, parseSynonyms(synonyms))
  } catch (error) {
    if (error instanceof QueryTooCostlyError) return null
    throw error
  }
}

test('any query, with any synonyms, is cut into at most 32 clauses of non-empty terms, or refused as too costly', () => {
  fc.assert(
    fc.property(query, synonymsFile, (q, synonyms) => {
      const a = analyzed(q, synonyms)
      if (a === null) return
      assert.ok(a.clauses.length <= 32)
      for (const clause of a.clauses) {
        assert.ok(clause.length > 0)
        for (const term of clause) assert.ok(term.text.length > 0 && term.units.length > 0, JSON.stringify(term.text))
        // A synonym brought in twice (typed, and inside a run) is one alternative.
        const keys = clause.map((t) => `${t.field}\u0001${t.units.join('\u0002')}\u0001${t.joined.join('')}`)
        assert.equal(new Set(keys).size, keys.length, JSON.stringify(clause.map((t) => t.text)))
      }
    }),
    { numRuns: 1000 },
  )
})
