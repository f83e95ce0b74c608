import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { normalize } from '../../src/analysis/normalize.js'
import { splitUnits } from '../../src/analysis/units.js'
import { findMatches, markRanges, termMatches } from '../../src/search/highlight.js'
import { phraseOf, termsOf, type QueryTerm } from '../../src/search/query-terms.js'
import { highlightTitle, makeSnippet } from '../../src/search/snippet.js'

const analyzer = new Analyzer()
const terms = (q: string) => termsOf(q, analyzer, 'any')

test('highlights follow the index rule: units, not raw substrings', () => {
  assert.equal(highlightTitle('Go 与 Google', terms('go')), '<mark>Go</mark> 与 Google')
  assert.equal(highlightTitle('紅旗區的斷頭路', terms('红旗区 断头路')), '<mark>紅旗區</mark>的<mark>斷頭路</mark>')
  assert.equal(highlightTitle('５Ｇ基站', terms('5G')), '<mark>５Ｇ</mark>基站')
})

test('everything but the marks is escaped', () => {
  const html = highlightTitle('<script>alert("红旗区")</script> & more', terms('红旗区'))
  assert.equal(html, '&lt;script&gt;alert(&quot;<mark>红旗区</mark>&quot;)&lt;/script&gt; &amp; more')
})

test('overlapping matches merge into one mark', () => {
  const text = '红旗区委'
  const ranges = findMatches(text, [...terms('红旗区'), ...terms('区委')])
  assert.equal(markRanges(text, ranges), '<mark>红旗区委</mark>')
})

test('the snippet shows the passage with the most distinct terms, cut at sentence ends', () => {
  const filler = '这是一段与查询无关的文字，用来把正文撑长。'.repeat(12)
  const text = `${filler}红旗区今年要打通6条断头路，其中两条已经开工。${filler}`
  const snippet = makeSnippet(text, terms('红旗区 断头路'))
  assert.match(snippet, /^…/)
  assert.match(snippet, /<mark>红旗区<\/mark>今年要打通6条<mark>断头路<\/mark>/)
  const plain = snippet.replace(/<\/?mark>/g, '').replace(/…/g, '')
  assert.ok(plain.length <= 160, `snippet length ${plain.length}`)
  assert.ok(text.includes(plain), 'the snippet is a slice of the text')
})

test('terms that touch in the text count as two for the snippet, though they share one mark', () => {
  const filler = '这是一段与查询无关的文字，用来把正文撑长。'.repeat(12)
  const text = `${filler}今年新能源汽车出口大幅增长。${filler}港口的出口业务繁忙，出口订单增加，出口企业扩产。${filler}`
  // One mark for both; before, it counted as one term, and three of 出口 alone won.
  assert.match(makeSnippet(text, terms('新能源汽车 出口')), /今年<mark>新能源汽车出口<\/mark>大幅增长/)
})

test('between passages with the same terms, the snippet shows the one holding the typed run as written', () => {
  const filler = '这是一段与查询无关的文字，用来把正文撑长。'.repeat(12)
  const apart = '部队试射远程火箭，远程打击能力提升，远程雷达也已部署；新区办公楼落成，办公条件改善。'
  const text = `${apart}${filler}我们团队改为远程办公已经一年。${filler}`
  const words = terms('远程办公')
  assert.doesNotMatch(makeSnippet(text, words), /<mark>远程办公<\/mark>/, 'by matches alone, the passage of most matches')
  assert.deepEqual(words.map((t) => t.text), ['远程', '办公'])
  assert.match(makeSnippet(text, words, [phraseOf('远程办公', analyzer, 'any')!]), /团队改为<mark>远程办公<\/mark>已经一年/)
})

test('a short text is shown whole; no match shows the beginning', () => {
  assert.equal(makeSnippet('短文。', terms('红旗区')), '短文。')
  const long = '开头的一句话。' + '后面还有很多内容。'.repeat(40)
  assert.ok(makeSnippet(long, terms('红旗区')).startsWith('开头的一句话。'))
})

test('a cut never splits a surrogate pair', () => {
  const text = 'a' + '𠀀'.repeat(100) + 'b红旗区' + '𠀀'.repeat(100) // a naive cut 20 back from the match lands mid-pair
  const snippet = makeSnippet(text, terms('红旗区'))
  const plain = snippet.replace(/<\/?mark>/g, '').replace(/…/g, '')
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(plain), 'no lone surrogate')
  assert.match(snippet, /<mark>红旗区<\/mark>/)
})

/** Marks where the terms occur by the index's rule, spelled out over the whole text's units: what findMatches must agree with. */
function unitReference(text: string, ts: QueryTerm[]): string {
  const { keys, starts, ends, joined } = splitUnits(normalize(text))
  const raw: { start: number; end: number }[] = []
  for (const term of ts) {
    for (let j = 0; j + term.units.length <= keys.length; j++) {
      let ok = true
      for (let k = 0; k < term.units.length && ok; k++) ok = keys[j + k] === term.units[k] && (k === 0 || term.joined[k] === 0 || joined[j + k] === 1)
      if (ok) raw.push({ start: starts[j]!, end: ends[j + term.units.length - 1]! })
    }
  }
  raw.sort((a, b) => a.start - b.start || b.end - a.end)
  const merged: { start: number; end: number; term: number }[] = []
  for (const r of raw) {
    const last = merged[merged.length - 1]
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end)
    else merged.push({ ...r, term: 0 })
  }
  return markRanges(text, merged)
}

/** Texts of 20 to 200 pieces drawn from `pieces`, seeded, so a failure repeats. */
function* seededTexts(pieces: string[], count: number, seed: number): Generator<{ n: number; parts: string[] }> {
  const pick = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return pieces[seed % pieces.length]!
  }
  for (let n = 0; n < count; n++) yield { n, parts: Array.from({ length: 20 + (n % 7) * 30 }, pick) }
}

test('terms of letters and digits are found exactly where splitting the whole text into units finds them', () => {
  const pieces = ['rust', 'Rust', 'trust', 'rusty', ' ', '  ', '语言', '的', '35', '35岁', '３５', '岁', '1.1', '亿', '.', '5G', '5g', 'go', 'Go ', '，', '、', 'iPhone', '15', 'é', 'e\u0301', '中', '-', 'a', 'b', '\n', '𠀀', '𝐀', 'x𝐀y', '(', '3.5', '..', 'abcdefghij'.repeat(3)]
  const queries = ['rust 语言', '35岁', '5G', '1.1亿', 'go', 'iPhone 15', 'a b', 'rust', '35 岁', 'é', '5', '1', 'y', 'b 岁']
  for (const { n, parts } of seededTexts(pieces, 300, 7)) {
    // Some texts have long runs without an ideograph, so both the anchored search and the whole split run.
    if (n % 5 === 0) parts.splice(10, 0, 'plain latin words '.repeat(8))
    const text = parts.join('')
    for (const q of queries) {
      const ts = terms(q)
      assert.equal(markRanges(text, findMatches(text, ts)), unitReference(text, ts), `${q} in ${JSON.stringify(text)}`)
    }
  }
})

test('phrases of Han characters with gaps (中国 的) are found exactly where splitting the whole text into units finds them', () => {
  const pieces = ['中', '国', '的', '中国', '中国的', '國', '发展', '發展', '，', '。', ' ', '、', '\n', '的，', '(', 'e\u0301', '\u0301', '𠀀', '中𠀀', 'rust', '35', '3.5', 'a', '-', '国的', '的的']
  const phrases = ['中国 的', '的，发展', '中 国', '的 的', '国 的 发', '中国，的 发展', '𠀀 国', '的 中国']
  for (const { parts } of seededTexts(pieces, 300, 11)) {
    const text = parts.join('')
    for (const q of phrases) {
      const term = phraseOf(q, analyzer, 'any')!
      assert.equal(markRanges(text, findMatches(text, [term])), unitReference(text, [term]), `${q} in ${JSON.stringify(text)}`)
    }
  }
})

test('a letter or digit found inside a run of millions is passed over within a deadline', () => {
  // A post of 8 MB of `aaa…` (pasted base64, a log): each `a` in the run read the run again from its start,
  // 64 times before splitting the whole text, 2 s for GET /doc?q=a on the server's main thread.
  for (const [run, q] of [['a', 'a'], ['1', '1']] as const) {
    const text = `${run.repeat(8_000_000)} ${q}`
    const started = performance.now()
    assert.deepEqual(findMatches(text, terms(q)), [{ start: 8_000_001, end: 8_000_002, term: 0 }])
    assert.ok(performance.now() - started < 1_000, `${q}: ${Math.round(performance.now() - started)} ms`)
  }
})

/** A snippet's text without marks and ellipses, and where it lies in `text` (which it must be a slice of). */
function placed(snippet: string, text: string): { plain: string; from: number; to: number } {
  const plain = snippet.replace(/<\/?mark>/g, '').replace(/…/g, '')
  const from = text.indexOf(plain)
  assert.ok(from >= 0, `the snippet is a slice of the text: ${snippet}`)
  return { plain, from, to: from + plain.length }
}

// Filler with no sentence or clause mark, so that only the rules under test place the cuts.
const plainFiller = (n: number) => '无关的文字用来把正文撑长'.repeat(Math.ceil(n / 12)).slice(0, n)

test('every match that won the passage is shown, though a sentence ends between them', () => {
  // A 20-character lead-in and a 140-character window would end at the 。, just before 断头路.
  const middle = `${plainFiller(90)}。${plainFiller(9)}`
  const text = `${plainFiller(200)}红旗区${middle}断头路${plainFiller(200)}`
  const snippet = makeSnippet(text, terms('红旗区 断头路'))
  assert.match(snippet, /<mark>红旗区<\/mark>/)
  assert.match(snippet, /<mark>断头路<\/mark>/)
})

test('a snippet opens at the start of the clause before the match, never on its comma', () => {
  const text = `${plainFiller(200)}，今年红旗区要打通六条断头路${plainFiller(200)}`
  const snippet = makeSnippet(text, terms('红旗区 断头路'))
  assert.ok(snippet.startsWith('…今年<mark>红旗区</mark>'), snippet)
})

test('a snippet never opens inside an earlier match, marking half of it', () => {
  // The window around the second 高质量发展 (with 新阶段) is best; a lead-in of 20 would start inside the first.
  const text = `${plainFiller(200)}高质量发展${plainFiller(16)}高质量发展${plainFiller(105)}新阶段${plainFiller(200)}`
  const snippet = makeSnippet(text, terms('高质量发展 新阶段'))
  assert.match(snippet, /<mark>新阶段<\/mark>/)
  assert.doesNotMatch(snippet, /^…<mark>(?!高质量发展<\/mark>)/, 'no partial mark at the start')
  for (const mark of snippet.match(/<mark>[^<]*<\/mark>/g)!) assert.ok(['<mark>高质量发展</mark>', '<mark>新阶段</mark>'].includes(mark), mark)
})

test('a snippet of letters is cut between words, at both ends', () => {
  const words = 'memory safety without garbage collection makes systems programming approachable for many teams '
  const text = `${words.repeat(4)}rust ${words.repeat(4)}`
  const { from, to } = placed(makeSnippet(text, terms('rust')), text)
  assert.ok(from === 0 || text[from - 1] === ' ', `opens at a word: …${text.slice(from, from + 12)}`)
  assert.ok(to === text.length || text[to] === ' ' || text[to - 1] === ' ', `ends at a word: ${text.slice(to - 12, to)}…`)
})

test('a match near the end of a long text still gets a snippet of the usual length', () => {
  const text = `${plainFiller(100)}。${plainFiller(100)}。${plainFiller(100)}。红旗区的断头路打通了。`
  const { plain } = placed(makeSnippet(text, terms('红旗区 断头路')), text)
  assert.ok(plain.length >= 100, `${plain.length} characters: ${plain}`)
  assert.ok(plain.endsWith('红旗区的断头路打通了。'))
})

test('weighted by rarity, one rare word outweighs a common word found three times', () => {
  const text = `这里记录每周的见闻，这里也有读者来信，这里欢迎投稿。${plainFiller(300)}。餐厅的洗手间是庭院式的。${plainFiller(300)}`
  const ts = terms('这里 洗手间')
  assert.deepEqual(ts.map((t) => t.text), ['这里', '洗手间'])
  assert.match(makeSnippet(text, ts), /<mark>这里<\/mark>记录/, 'unweighted, the passage of most matches')
  const weighted = makeSnippet(text, ts, [], [1.2, 7.5])
  assert.match(weighted, /餐厅的<mark>洗手间<\/mark>/)
})

test('a term found only far from the best passage gets a passage of its own, in the text\'s order', () => {
  const text = `${plainFiller(200)}。南京长江路上有十多家文博场馆，长江沿岸客流攀升。${plainFiller(300)}。城市足球联赛火爆，带动了消费。${plainFiller(200)}`
  const snippet = makeSnippet(text, terms('足球 长江'))
  assert.match(snippet, /^…[^…]*<mark>长江<\/mark>[^…]*…[^…]*<mark>足球<\/mark>[^…]*…$/, snippet)
  const plain = snippet.replace(/<\/?mark>/g, '').replace(/…/g, '')
  assert.ok(plain.length <= 160, `snippet length ${plain.length}`)
  // Together in one passage, the terms are shown as one passage of the whole length.
  const near = makeSnippet(`${plainFiller(200)}。南京长江路旁的足球场开放了。${plainFiller(200)}`, terms('足球 长江'))
  assert.equal(near.match(/…/g)!.length, 2, near)
})

test('newlines inside a passage are one space; passages are trimmed beside the … between them', () => {
  const text = `${plainFiller(200)}。南京长江路\n\n上有十多家文博场馆。${plainFiller(300)}。城市足球联赛火爆，\n带动了消费。 \n${plainFiller(200)}`
  const snippet = makeSnippet(text, terms('足球 长江'))
  assert.match(snippet, /南京<mark>长江<\/mark>路 上有/, snippet)
  assert.match(snippet, /联赛火爆， 带动/, snippet)
  assert.doesNotMatch(snippet, /\n|\s…|…\s/, snippet)
  // A passage cut after a newline ends in a space, which the … beside it does without.
  const cutAfterNewline = makeSnippet(`${plainFiller(200)}。南京长江路${plainFiller(50)}\n${plainFiller(300)}。城市足球联赛${plainFiller(40)}\n${plainFiller(200)}`, terms('足球 长江'))
  assert.match(cutAfterNewline, /^…南京<mark>长江<\/mark>路[^…\s]+…城市<mark>足球<\/mark>联赛[^…\s]+…$/, cutAfterNewline)
  const one = makeSnippet(`开头。红旗区\n\n\n今年打通了断头路。\n`, terms('红旗区 断头路'))
  assert.equal(one, '开头。<mark>红旗区</mark> 今年打通了<mark>断头路</mark>。 ')
})

test('matches at the very start and end of the text, escaped text between them', () => {
  const text = `红旗区<b>&"'${plainFiller(20)}断头路`
  assert.equal(makeSnippet(text, terms('红旗区 断头路')), `<mark>红旗区</mark>&lt;b&gt;&amp;&quot;&#39;${plainFiller(20)}<mark>断头路</mark>`)
  const long = `红旗区${plainFiller(400)}断头路`
  const snippet = makeSnippet(long, terms('红旗区 断头路'))
  assert.ok(snippet.startsWith('<mark>红旗区</mark>'), snippet)
  assert.ok(snippet.endsWith('<mark>断头路</mark>'), snippet)
})

test('traditional text is marked as written, beside astral characters, in a passage cut between them', () => {
  const text = `${'𠮷'.repeat(150)}紅旗區的斷頭路${'𠮷'.repeat(150)}`
  const snippet = makeSnippet(text, terms('红旗区 断头路'))
  assert.match(snippet, /^…(𠮷)+<mark>紅旗區<\/mark>的<mark>斷頭路<\/mark>(𠮷)+…$/u, snippet)
})

test('overlapping and touching matches of several terms are one mark; a term found twice at one place counts once', () => {
  assert.equal(makeSnippet('今天红旗区委开会。', [...terms('红旗区'), ...terms('区委'), ...terms('今天'), ...terms('开会')]), '<mark>今天红旗区委开会</mark>。')
  // Matches of the same place by two terms (the same term twice, a synonym and its word) keep the order a stable sort gave.
  const ts = [...terms('区委'), ...terms('红旗'), ...terms('红旗区'), ...terms('区委')]
  const text = `红旗区委，${plainFiller(60)}区委红旗`
  const reference = ts
    .flatMap((term, t) => findMatches(text, [term]).map((r) => ({ ...r, term: t })))
    .sort((a, b) => a.start - b.start || b.end - a.end)
  assert.deepEqual(termMatches(text, ts), reference)
  // More lists than are merged one by one are sorted: the same order.
  const many = Array.from({ length: 12 }, (_, k) => terms(['红旗', '区委', '红旗区', '旗区'][k % 4]!)[0]!)
  const manyReference = many.flatMap((term, t) => findMatches(text, [term]).map((r) => ({ ...r, term: t }))).sort((a, b) => a.start - b.start || b.end - a.end)
  assert.deepEqual(termMatches(text, many), manyReference)
})
