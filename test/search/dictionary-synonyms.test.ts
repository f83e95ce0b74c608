import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'
import { checkSynonyms, parseSynonyms } from '../../src/search/synonyms.js'

let work: string

const post = (name: string, title: string, body: string) =>
  writeFileSync(join(work, 'posts', `${name}.md`), `---\ntitle: "${title}"\ndate: 2024-05-01 09:00:00 +0800\ncategories: test\ntags: 测试\n---\n<p>${body}</p>\n`)

before(() => {
  work = mkdtempSync(join(tmpdir(), 'jiansuo-dict-'))
  mkdirSync(join(work, 'posts'))
  post('2024-05-01-1', '牧野湖新区规划公布', '牧野湖新区将建设三条新的道路。')
  post('2024-05-01-2', '新能源汽车销量增长', '今年新能源汽车销量继续增长，充电桩数量翻番。')
  post('2024-05-01-3', '电动车管理新规', '城区对电动车停放作出新规定。')
  post('2024-05-01-4', '公园改造', '湖边新区的公园完成改造。')
})

after(() => rmSync(work, { recursive: true, force: true }))

test('a user dictionary word is indexed as a word, and the index remembers the dictionary', async () => {
  const plain = join(work, 'plain')
  const custom = join(work, 'custom')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: plain })
  await buildIndex({ postsDir: join(work, 'posts'), outDir: custom, userDictionary: '牧野湖新区\n' })
  assert.equal(SearchEngine.open(plain).index.words.lookup('牧野湖新区'), -1)
  const engine = SearchEngine.open(custom) // no dictionary passed: it comes from the index
  assert.ok(engine.index.words.lookup('牧野湖新区') >= 0)
  assert.equal(engine.search({ q: '牧野湖新区', page: 1, size: 10 }).hits[0]?.id, '2024-05-01-1')
  // Written in traditional characters, as a Hong Kong or Taiwan archive is, the word is folded as the text is.
  const traditional = join(work, 'traditional')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: traditional, userDictionary: '牧野湖新區 5000 ns\n' })
  assert.ok(SearchEngine.open(traditional).index.words.lookup('牧野湖新区') >= 0)
  // Opening with a different dictionary than the index was cut with is refused.
  assert.throws(() => SearchEngine.open(custom, { userDictionary: '别的词\n' }), /built with another user dictionary than the one given: leave it out .* or rebuild/)
})

test('engines over indexes cut with one dictionary share one analyzer; another dictionary gets its own', async () => {
  const plain = join(work, 'shared-plain')
  const custom = join(work, 'shared-custom')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: plain })
  await buildIndex({ postsDir: join(work, 'posts'), outDir: custom, userDictionary: '牧野湖新区\n' })
  const first = SearchEngine.open(plain)
  const second = SearchEngine.open(plain)
  assert.equal(first.analyzer, second.analyzer, 'jieba is loaded once for both')
  const withWord = SearchEngine.open(custom)
  assert.notEqual(withWord.analyzer, first.analyzer)
  assert.deepEqual(withWord.analyzer.segmenter.cut('牧野湖新区'), ['牧野湖新区'])
  // The first engines keep cutting without the user's word, and still find the post by its characters.
  assert.notDeepEqual(first.analyzer.segmenter.cut('牧野湖新区'), ['牧野湖新区'])
  assert.equal(first.search({ q: '牧野湖新区', page: 1, size: 10 }).hits[0]?.id, '2024-05-01-1')
})

test('synonym groups: any member finds the others, whole or inside a longer query', async () => {
  const dir = join(work, 'synonyms')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: dir, synonyms: '# vehicles\n电动车, 新能源汽车，电动汽车\n' })
  const engine = SearchEngine.open(dir)
  const ids = (q: string) => engine.search({ q, page: 1, size: 10 }).hits.map((h) => h.id).sort()
  assert.deepEqual(ids('电动车'), ['2024-05-01-2', '2024-05-01-3'])
  assert.deepEqual(ids('新能源汽车'), ['2024-05-01-2', '2024-05-01-3'])
  assert.deepEqual(ids('電動車'), ['2024-05-01-2', '2024-05-01-3'])
  // `terms` names the word typed first, then what it brought in.
  assert.deepEqual(engine.search({ q: '电动汽车', page: 1, size: 10 }).terms, ['电动汽车', '电动车', '新能源汽车'])
  assert.deepEqual(engine.search({ q: '新能源汽车 | 牧野湖', page: 1, size: 10 }).terms, ['新能源汽车', '电动车', '电动汽车', '牧野湖'])
  const both = engine.search({ q: '电动车 销量', page: 1, size: 10 })
  assert.equal(both.hits[0]?.id, '2024-05-01-2') // the only post with both; partial matches follow it
  // Typed inside a run that jieba cuts across it (新能源 + 汽车销量), the member still brings its group.
  assert.deepEqual(engine.search({ q: '新能源汽车销量', page: 1, size: 10 }).terms, ['新能源汽车', '电动车', '电动汽车', '销量'])
  assert.equal(engine.search({ q: '电动汽车销量', page: 1, size: 10 }).hits[0]?.id, '2024-05-01-2')
  // A quoted phrase means exactly that text.
  assert.deepEqual(ids('"电动车"'), ['2024-05-01-3'])
  // A side of OR finds what it finds alone: an alternative added never loses a post.
  assert.deepEqual(ids('电动车 | 牧野湖'), ['2024-05-01-1', '2024-05-01-2', '2024-05-01-3'])
  assert.deepEqual(ids('牧野湖 OR 新能源汽车'), ['2024-05-01-1', '2024-05-01-2', '2024-05-01-3'])
  assert.deepEqual(ids('"电动车" | 牧野湖'), ['2024-05-01-1', '2024-05-01-3'])
  // Leaving a member out leaves out the group, as asking for it asks for the group; quoted, only that text.
  assert.deepEqual(ids('新规 -电动汽车'), [])
  assert.deepEqual(ids('增长 -电动车'), [])
  assert.deepEqual(ids('新规 -"电动汽车"'), ['2024-05-01-3'])
})

test('parseSynonyms folds members and ignores comments and single words', () => {
  const s = parseSynonyms('# c\nＡＩ, 人工智能\n孤单\n\n電動車 电动汽车\n')
  assert.deepEqual(s.get('ai'), ['ai', '人工智能'])
  assert.deepEqual(s.get('电动车'), ['电动车', '电动汽车'])
  assert.equal(s.get('孤单'), undefined)
  // The # of a name is no comment; one after a space is.
  const named = parseSynonyms('C#, 西沙普 # Microsoft\nF#,F 语言\n')
  assert.deepEqual(named.get('c#'), ['c#', '西沙普'])
  assert.deepEqual(named.get('f#'), ['f#', 'f 语言'])
})

test('a => line maps one way, as in Elasticsearch and Solr synonym files', async () => {
  const s = parseSynonyms('电驴, 电瓶车 => 电动车\n')
  assert.deepEqual(s.get('电驴'), ['电驴', '电瓶车', '电动车'])
  assert.deepEqual(s.get('电瓶车'), ['电驴', '电瓶车', '电动车'])
  assert.equal(s.get('电动车'), undefined, 'the right side finds only itself')
  const dir = join(work, 'one-way')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: dir, synonyms: '新能源车 => 新能源汽车, 电动车\n' })
  const engine = SearchEngine.open(dir)
  const ids = (q: string) => engine.search({ q, page: 1, size: 10 }).hits.map((h) => h.id).sort()
  assert.deepEqual(ids('新能源车'), ['2024-05-01-2', '2024-05-01-3'])
  assert.deepEqual(ids('电动车'), ['2024-05-01-3'])
})

test('checkSynonyms names a line that is no group', () => {
  assert.doesNotThrow(() => checkSynonyms('# comment\n\nAI, 人工智能\nC# => 西沙普\n'))
  assert.throws(() => checkSynonyms('AI, 人工智能\n电动车\n'), /^Error: synonyms line 2: "电动车" names one word/)
  assert.throws(() => checkSynonyms('电动车, 电动车\n'), /line 1: .* names one word/)
  assert.throws(() => checkSynonyms('=> 电动车\n'), /line 1: .* needs words on each side of one =>/)
  assert.throws(() => checkSynonyms('a => b => c\n'), /line 1: .* needs words on each side of one =>/)
})

test('a member may hold spaces on a line with commas: its words are not synonyms on their own', async () => {
  const s = parseSynonyms('New York, 纽约\n')
  assert.deepEqual(s.get('纽约'), ['new york', '纽约'])
  assert.equal(s.get('new'), undefined)
  const dir = join(work, 'spaced-member')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: dir, synonyms: 'New York, 纽约\n新规, new rules\n' })
  const engine = SearchEngine.open(dir)
  // `new` alone is no member: a query for 新规 finds its post, not every post holding `new` or `rules`.
  assert.deepEqual(engine.search({ q: '新规', page: 1, size: 10 }).terms, ['新规', 'new rules'])
  // Typed from its Latin side, the member is one term with its group, though the parser splits at spaces.
  assert.deepEqual(engine.search({ q: 'New York', page: 1, size: 10 }).terms, ['new york', '纽约'])
  assert.deepEqual(engine.search({ q: 'new  rules 出台', page: 1, size: 10 }).terms, ['new rules', '新规', '出台'])
  // Quoted, or a word alone, it is as typed.
  assert.deepEqual(engine.search({ q: '"new" york', page: 1, size: 10 }).terms, ['new', 'york'])
  assert.deepEqual(engine.search({ q: 'york', page: 1, size: 10 }).terms, ['york'])
})

test('a member jieba never cuts as a word ranks by its score among members that are words', async () => {
  const posts = join(work, 'ai-posts')
  mkdirSync(posts)
  const write = (name: string, title: string, body: string) =>
    writeFileSync(join(posts, `${name}.md`), `---\ntitle: "${title}"\ndate: 2024-06-01 09:00:00 +0800\n---\n<p>${body}</p>\n`)
  write('2024-06-01-ai', 'AI 写作工具走红', '不少编辑开始用AI整理会议记录，AI生成的初稿还要人工修改，AI工具效率明显提升。')
  write('2024-06-01-passing', '县里召开秋季农业生产会议', '会议安排了秋收秋种、农田水利和防汛工作，提到今后要在农技推广中尝试人工智能，并要求各乡镇做好粮食收购准备。')
  write('2024-06-01-other', '图书馆延长开放时间', '市图书馆从下周起延长晚间开放时间。')
  const dir = join(work, 'ai-index')
  await buildIndex({ postsDir: posts, outDir: dir, synonyms: 'AI, 人工智能\n' })
  const engine = SearchEngine.open(dir)
  for (const q of ['AI', '人工智能', 'AI | 图书馆']) {
    const ids = engine.search({ q, page: 1, size: 10 }).hits.map((h) => h.id)
    // The post about AI, AI in its title and three times in its text, before one naming 人工智能 once in passing.
    assert.ok(ids.indexOf('2024-06-01-ai') < ids.indexOf('2024-06-01-passing'), `${q}: ${ids.join(' ')}`)
  }
})

test('a synonym group of 20,000 members is opened and searched within a deadline', async () => {
  // Each member once held its own copy of the group: 20,000² entries, a minute and 3.6 GB to open the index.
  const members = Array.from({ length: 20_000 }, (_, i) => `别名${i}`)
  const dir = join(work, 'huge-group')
  await buildIndex({ postsDir: join(work, 'posts'), outDir: dir, synonyms: `电动车, ${members.join(', ')}\n` })
  const DEADLINE_MS = 5_000
  let started = performance.now()
  const engine = SearchEngine.open(dir)
  assert.ok(performance.now() - started < DEADLINE_MS, `opened in ${Math.round(performance.now() - started)} ms`)
  // A query for a member asks for all 20,001, once each.
  started = performance.now()
  const found = engine.search({ q: '别名7', page: 1, size: 10 })
  assert.ok(performance.now() - started < DEADLINE_MS, `searched in ${Math.round(performance.now() - started)} ms`)
  assert.deepEqual(found.hits.map((h) => h.id), ['2024-05-01-3'])
  assert.equal(found.terms.length, 20_001)
  // Two lines sharing the group are merged once, not once for each member.
  const twice = parseSynonyms(`${members.join(', ')}\n${members.join(', ')}, 电动车\n`)
  assert.equal(twice.get('别名0'), twice.get('别名19999'))
  assert.equal(twice.get('别名0')?.length, 20_001)
})
