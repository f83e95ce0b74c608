import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readFrontMatter, writtenScalar } from '../../src/ingest/front-matter.js'

describe('readFrontMatter', () => {
  const cases: { name: string; text: string; data: Record<string, unknown>; body: string; problem: string | null }[] = [
    {
      name: 'well-formed',
      text: '---\nlayout: post\ntitle: "标题"\ntags: [甲, 乙]\n---\n<p>正文</p>\n',
      data: { layout: 'post', title: '标题', tags: ['甲', '乙'] },
      body: '<p>正文</p>\n',
      problem: null,
    },
    { name: 'closed by ...', text: '---\ntitle: 标题\n...\n正文', data: { title: '标题' }, body: '正文', problem: null },
    { name: 'empty front matter', text: '---\n---\n正文', data: {}, body: '正文', problem: null },
    { name: 'only comments', text: '---\n# nothing here\n---\n正文', data: {}, body: '正文', problem: null },
    { name: 'no front matter', text: '正文第一段。\n\n第二段。', data: {}, body: '正文第一段。\n\n第二段。', problem: 'no_front_matter' },
    { name: 'a `----` line is not an opening', text: '----\ntitle: x\n---\n正文', data: {}, body: '----\ntitle: x\n---\n正文', problem: 'no_front_matter' },
    {
      name: 'malformed YAML keeps the keys that read; a list left open is read as the list meant',
      text: '---\ntitle: "好标题"\ntags: [甲, 乙\ndate: 2021-12-08 10:00:00 +0800\n---\n正文。',
      data: { title: '好标题', tags: ['甲', '乙'], date: '2021-12-08 10:00:00 +0800' },
      body: '正文。',
      problem: 'front_matter_malformed',
    },
    {
      name: 'a list left open over two lines, or holding a broken item, is still read',
      text: '---\ntags: [甲,\n  乙\ncategories: [news, "未闭合\n---\n正文。',
      data: { tags: ['甲', '乙'], categories: '[news, "未闭合' },
      body: '正文。',
      problem: 'front_matter_malformed',
    },
    {
      name: 'an unterminated quote',
      text: '---\ntitle: "没有结束的引号\ncategories: news\n---\n正文。',
      data: { title: '没有结束的引号', categories: 'news' },
      body: '正文。',
      problem: 'front_matter_malformed',
    },
    {
      name: 'duplicate keys',
      text: '---\ntitle: 一\ntitle: 二\n---\n正文。',
      data: { title: '二' },
      body: '正文。',
      problem: 'front_matter_malformed',
    },
    {
      name: 'a list as the whole front matter',
      text: '---\n- a\n- b\n---\n正文。',
      data: {},
      body: '- a\n- b\n\n正文。',
      problem: 'front_matter_malformed',
    },
    {
      name: 'a date as the whole front matter is not a mapping either (YAML reads it as an object, a Date)',
      text: '---\n2024-01-04\n---\n正文。',
      data: {},
      body: '2024-01-04\n\n正文。',
      problem: 'front_matter_malformed',
    },
    {
      name: 'nor are bytes (`!!binary`)',
      text: '---\n!!binary 5q2j5paH\n---\n正文。',
      data: {},
      body: '!!binary 5q2j5paH\n\n正文。',
      problem: 'front_matter_malformed',
    },
    {
      name: 'prose between a Markdown rule and a later rule goes back to the body',
      text: '---\ntitle: 一\n这是正文的第一段：没有结束。\n---\n第二段。',
      data: { title: '一' },
      body: '这是正文的第一段：没有结束。\n\n第二段。',
      problem: 'front_matter_malformed',
    },
    {
      name: 'never closed: leading keys are read, the rest is body',
      text: '---\ntitle: 未闭合\ntags:\n  - 甲\n  - 乙\n\n正文第一段。\n\n第二段。',
      data: { title: '未闭合', tags: ['甲', '乙'] },
      body: '\n正文第一段。\n\n第二段。',
      problem: 'front_matter_unclosed',
    },
    {
      name: 'never closed and no keys: a Markdown rule at the top',
      text: '---\n正文第一段。',
      data: {},
      body: '正文第一段。',
      problem: 'front_matter_unclosed',
    },
    {
      name: 'a language after the opening is not a front matter opening (gray-matter would eval `---js`)',
      text: '---js\n{ title: (() => { throw new Error("ran") })() }\n---\n正文',
      data: {},
      body: '---js\n{ title: (() => { throw new Error("ran") })() }\n---\n正文',
      problem: 'no_front_matter',
    },
    {
      name: 'JavaScript-typed YAML is refused, not run: the value stays as written',
      text: '---\ntitle: !!js/function "function () { return 1 }"\n---\n正文',
      data: { title: '!!js/function "function () { return 1 }"' },
      body: '正文',
      problem: 'front_matter_malformed',
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const fm = readFrontMatter(c.text)
      assert.deepEqual(fm.data, c.data)
      assert.equal(fm.body, c.body)
      assert.equal(fm.problem?.code ?? null, c.problem)
    })
  }

  it('a `__proto__` key stays an ordinary key, in well-formed and salvaged front matter', () => {
    for (const text of ['---\n__proto__: x\ntitle: 一\n---\n', '---\n__proto__: x\ntitle: [\n---\n']) {
      const fm = readFrontMatter(text)
      assert.equal(Object.getPrototypeOf(fm.data), Object.prototype)
      assert.equal(({} as Record<string, unknown>)['x'], undefined)
    }
  })

  it('does not answer the same content from a cache (gray-matter caches when given no options)', () => {
    const text = '---\ntitle: 一\n---\n正文'
    const first = readFrontMatter(text)
    first.data['title'] = '改过'
    assert.equal(readFrontMatter(text).data['title'], '一')
  })
})

describe('writtenScalar', () => {
  const block = 'title: "引号 # 不是注释"\ndate: 2021-12-08 # 注释\nplain: 值\nempty:\n  nested: 1\nbroken: \'没有结束'
  const cases: [key: string, written: string | null][] = [
    ['title', '引号 # 不是注释'],
    ['date', '2021-12-08'],
    ['plain', '值'],
    ['empty', ''],
    ['nested', null],
    ['broken', '没有结束'],
    ['missing', null],
  ]
  for (const [key, written] of cases) it(`${key} → ${JSON.stringify(written)}`, () => assert.equal(writtenScalar(block, key), written))
})

describe('readFrontMatter: nesting past the parser\'s stack', () => {
  it('a value nested thousands deep is not parsed, the same on every thread, and the other keys are kept', () => {
    const fm = readFrontMatter(`---\ntitle: 深处\ntags: ${'['.repeat(5000)}abc${']'.repeat(5000)}\n---\n<p>正文</p>\n`)
    assert.equal(fm.problem?.code, 'front_matter_malformed')
    assert.match(fm.problem!.message, /nests deeper than 64 levels/)
    assert.equal(fm.data.title, '深处')
  })

  it('ordinary lists and maps are parsed as before', () => {
    const fm = readFrontMatter('---\ntitle: "a [b] {c}"\ntags: [一, [二, 三]]\nx: {y: {z: 1}}\n---\n')
    assert.equal(fm.problem, null)
    assert.deepEqual(fm.data.tags, ['一', ['二', '三']])
  })
})
