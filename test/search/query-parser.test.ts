import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseQuery } from '../../src/search/query-parser.js'

const show = (q: string) => {
  const p = parseQuery(q)
  return {
    clauses: p.clauses.map((alts) => alts.map((a) => `${a.field === 'title' ? 'title:' : ''}${a.phrase ? `"${a.text}"` : a.text}`).join(' | ')),
    excluded: p.excluded.map((a) => a.text),
    categories: p.categories,
    tags: p.tags,
    // Only shown when the query leaves some out, so most cases need not spell them.
    ...(p.excludedCategories.length + p.excludedTags.length > 0 && { excludedCategories: p.excludedCategories, excludedTags: p.excludedTags }),
  }
}

const cases: [string, Partial<ReturnType<typeof show>>][] = [
  ['红旗区 断头路', { clauses: ['红旗区', '断头路'], excluded: [], categories: [], tags: [] }],
  ['"十年禁渔" 长江', { clauses: ['"十年禁渔"', '长江'], excluded: [], categories: [], tags: [] }],
  ['“十年 禁渔”', { clauses: ['"十年 禁渔"'], excluded: [], categories: [], tags: [] }],
  ['《长安三万里》 票房', { clauses: ['"长安三万里"', '票房'], excluded: [], categories: [], tags: [] }],
  ['title:〈求是〉 -《繁花》', { clauses: ['title:"求是"'], excluded: ['繁花'], categories: [], tags: [] }],
  ['长江 -足球', { clauses: ['长江'], excluded: ['足球'], categories: [], tags: [] }],
  ['长江 -足球|篮球', { clauses: ['长江'], excluded: ['足球', '篮球'], categories: [], tags: [] }],
  ['长江 -足球|category:xwlb 比赛', { clauses: ['长江', '比赛'], excluded: ['足球'], categories: ['xwlb'], tags: [] }],
  ['长江 -足球 OR "男子 篮球" 比赛', { clauses: ['长江', '比赛'], excluded: ['足球', '男子 篮球'], categories: [], tags: [] }],
  ['新能源 OR 电动车 出口', { clauses: ['"新能源" | "电动车"', '出口'], excluded: [], categories: [], tags: [] }],
  ['新能源汽车|电动车 出口', { clauses: ['"新能源汽车" | "电动车"', '出口'], excluded: [], categories: [], tags: [] }],
  ['新能源｜电动车', { clauses: ['"新能源" | "电动车"'], excluded: [], categories: [], tags: [] }],
  ['|开头', { clauses: ['|', '开头'], excluded: [], categories: [], tags: [] }],
  ['title:禁渔 category:xwlb tag:科技', { clauses: ['title:禁渔'], excluded: [], categories: ['xwlb'], tags: ['科技'] }],
  ['中国 -category:xwlb -tag:科技', { clauses: ['中国'], excluded: [], categories: [], tags: [], excludedCategories: ['xwlb'], excludedTags: ['科技'] }],
  // Full-width syntax, as an input method in full-width mode types it.
  ['＂十年禁渔＂ ＯＲ 长江 －足球 ｔｉｔｌｅ：禁渔 ｃａｔｅｇｏｒｙ：ｘｗｌｂ', { clauses: ['"十年禁渔" | "长江"', 'title:禁渔'], excluded: ['足球'], categories: ['xwlb'], tags: [] }],
  // A lone Han character belongs to the letters or digits a typographic space sets it apart from; longer words keep their space.
  ['程序员 35 岁', { clauses: ['程序员', '35岁'], excluded: [], categories: [], tags: [] }],
  ['第 160 期', { clauses: ['第160期'], excluded: [], categories: [], tags: [] }],
  ['第\u3000160\u3000期', { clauses: ['第160期'], excluded: [], categories: [], tags: [] }],
  ['5月份 CPI', { clauses: ['5月份', 'CPI'], excluded: [], categories: [], tags: [] }],
  ['长 江', { clauses: ['长', '江'], excluded: [], categories: [], tags: [] }],
  ['title:第 160 期', { clauses: ['title:第', '160期'], excluded: [], categories: [], tags: [] }],
  ['期 -35 岁', { clauses: ['期', '岁'], excluded: ['35'], categories: [], tags: [] }],
  // Bad syntax degrades to text, never to an error.
  ['"unbalanced 引号', { clauses: ['unbalanced', '引号'], excluded: [], categories: [], tags: [] }],
  ['OR 开头', { clauses: ['OR', '开头'], excluded: [], categories: [], tags: [] }],
  ['结尾 OR', { clauses: ['结尾', 'OR'], excluded: [], categories: [], tags: [] }],
  ['- 单独的减号', { clauses: ['-', '单独的减号'], excluded: [], categories: [], tags: [] }],
  ['http://example.org', { clauses: ['http://example.org'], excluded: [], categories: [], tags: [] }],
  ['title:', { clauses: ['title:'], excluded: [], categories: [], tags: [] }],
  ['title: 禁渔 category: xwlb', { clauses: ['title:禁渔'], excluded: [], categories: ['xwlb'], tags: [] }],
  ['title: ', { clauses: ['title:'], excluded: [], categories: [], tags: [] }],
  ['', { clauses: [], excluded: [], categories: [], tags: [] }],
]

test('parseQuery reads the syntax forgivingly', async (t) => {
  for (const [q, expected] of cases) await t.test(q || '(empty)', () => assert.deepEqual(show(q), expected))
})
