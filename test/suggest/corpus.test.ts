// Suggestions over the shared corpus (20,007 posts), checked against the index they were built from.
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { normalize } from '../../src/analysis/normalize.js'
import { SearchEngine } from '../../src/search/engine.js'
import { suggestionsFor } from '../../src/suggest/engine-suggestions.js'
import type { SuggestIndex, Suggestion } from '../../src/suggest/suggest-index.js'
import { DEFAULT_VOCABULARY_LIMITS } from '../../src/suggest/vocabulary.js'
import { corpusIndex, SKIP_NO_SHARED } from '../helpers/shared.js'

let engine: SearchEngine | null = null
let suggestions: SuggestIndex | null = null
/** Each distinct title's newest document, from the document store. */
const newestByTitle = new Map<string, { id: string; dateMs: number }>()

before(async () => {
  const dir = await corpusIndex()
  if (!dir) {
    console.log(`# ${SKIP_NO_SHARED}`)
    return
  }
  engine = SearchEngine.open(dir)
  suggestions = suggestionsFor(engine)
  const docs = engine.index.docs
  for (let doc = 0; doc < docs.count; doc++) {
    const { id, title } = docs.display(doc)
    const dateMs = docs.dateMs[doc]!
    const seen = newestByTitle.get(title.trim())
    if (!seen || (Number.isNaN(seen.dateMs) && !Number.isNaN(dateMs)) || dateMs > seen.dateMs) newestByTitle.set(title.trim(), { id, dateMs })
  }
})

const words = (list: Suggestion[]) => list.filter((s) => s.kind === 'word').map((s) => s.text)
const titles = (list: Suggestion[]) => list.filter((s) => s.kind === 'title')

/** Documents containing a suggested word, read from the term space it came from (a Han word's: where it stands on its own). */
function dfOf(text: string): number {
  const key = normalize(text)
  const han = /\p{Script=Han}/u.test(key)
  const space = han ? engine!.index.words : engine!.index.grams
  const term = space.lookup(key)
  return term < 0 ? 0 : han ? space.standaloneDf![term]! : space.df(term)
}

/** What the words space says the Han word suggestions for `prefix` must be: frequent enough on their own, by that count, then key. */
function expectedWords(prefix: string): string[] {
  const space = engine!.index.words
  const counts = space.standaloneDf!
  const minDf = DEFAULT_VOCABULARY_LIMITS.minDf(engine!.documentCount)
  const found: { key: string; df: number }[] = []
  for (let t = space.lowerBound(prefix); t < space.terms && space.key(t).startsWith(prefix); t++) {
    if (counts[t]! >= minDf && space.key(t) !== prefix) found.push({ key: space.key(t), df: counts[t]! })
  }
  return found.sort((a, b) => b.df - a.df || (a.key < b.key ? -1 : 1)).map((w) => w.key)
}

test('红旗 → 红旗渠 and the other frequent 红旗 words, exactly as the words space ranks them', (t) => {
  if (!suggestions) return t.skip(SKIP_NO_SHARED)
  const list = suggestions.suggest('红旗')
  const shown = words(list)
  assert.ok(shown.includes('红旗渠'), JSON.stringify(list))
  assert.ok(!shown.includes('红旗'), 'the typed word itself is not suggested')
  assert.deepEqual(shown, expectedWords('红旗').slice(0, shown.length))
  assert.ok(list.length <= 8)
})

test('Latin prefixes complete to the spelling the archive uses: rus → Rust, git → GitHub first', (t) => {
  if (!suggestions) return t.skip(SKIP_NO_SHARED)
  assert.equal(words(suggestions.suggest('rus'))[0], 'Rust')
  assert.equal(words(suggestions.suggest('Git'))[0], 'GitHub')
  assert.ok(words(suggestions.suggest('javas')).includes('JavaScript'))
})

test('2024 suggests titles about 2024, never titles with 202 and 4 apart', (t) => {
  if (!suggestions) return t.skip(SKIP_NO_SHARED)
  const list = titles(suggestions.suggest('2024'))
  assert.ok(list.length > 0)
  for (const s of list) assert.match(s.text, /2024/)
})

test('for many typed prefixes: words start with them by falling df, titles hold them and name their newest article', (t) => {
  if (!suggestions) return t.skip(SKIP_NO_SHARED)
  // 党中, 新能, 重要讲 and 习近 are cut into pieces (党 + 中) that a title may hold apart, as in 创新能力.
  const prefixes = ['中', '经', '高质量', '乡村', '人工', '一带', '长江经', '习近平', '科技爱好者', 'ja', 'py', '红旗', '北京', '国内联播', '新闻', '数字', '碳', '粮食安全', '党中', '新能', '重要讲', '习近']
  let titleCount = 0
  for (const prefix of prefixes) {
    const list = suggestions.suggest(prefix)
    assert.ok(list.length > 0 && list.length <= 8, `${prefix}: ${list.length}`)
    const folded = normalize(prefix)
    const shownWords = words(list)
    for (const word of shownWords) {
      assert.ok(normalize(word).startsWith(folded) && normalize(word) !== folded, `${prefix} → ${word}`)
    }
    const dfs = shownWords.map(dfOf)
    for (let i = 1; i < dfs.length; i++) assert.ok(dfs[i - 1]! >= dfs[i]!, `${prefix}: ${shownWords.join(',')} by df ${dfs.join(',')}`)
    if (/^\p{Script=Han}+$/u.test(prefix)) assert.deepEqual(shownWords, expectedWords(folded).slice(0, shownWords.length), prefix)
    for (const title of titles(list)) {
      titleCount++
      // The title holds what was typed as typed, not its pieces apart (长江 … 经).
      assert.ok(normalize(title.text).includes(folded), `${prefix} → ${title.text}`)
      assert.equal(title.id, newestByTitle.get(title.text)?.id, `${title.text} names its newest article`)
    }
  }
  assert.ok(titleCount > 30, `titles suggested: ${titleCount}`)
})

test('words met only inside longer words are not offered: 视 → 视频 first, never 视网 (of 央视网); 克 → never 克兰 (of 乌克兰)', (t) => {
  if (!suggestions) return t.skip(SKIP_NO_SHARED)
  assert.equal(words(suggestions.suggest('视'))[0], '视频')
  assert.ok(!words(suggestions.suggest('视')).includes('视网'))
  assert.ok(!words(suggestions.suggest('克')).includes('克兰'))
})

test('a repeated title (the daily 国内联播快讯) is suggested once', (t) => {
  if (!suggestions) return t.skip(SKIP_NO_SHARED)
  const list = titles(suggestions.suggest('国内联播快讯'))
  assert.equal(list.filter((s) => s.text === '国内联播快讯').length, 1)
})
