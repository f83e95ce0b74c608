import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import iconv from 'iconv-lite'
import { decodePost } from '../../src/ingest/decode.js'
import { MAX_POST_BYTES } from '../../src/ingest/post-file.js'
import { utf8 } from './helpers.js'

const concat = (...parts: (Uint8Array | number[])[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]))

describe('decodePost: text it reads', () => {
  const cases: { name: string; bytes: Uint8Array; text: string; note: string | null }[] = [
    { name: 'plain UTF-8', bytes: utf8('标题\n正文'), text: '标题\n正文', note: null },
    { name: 'UTF-8 with a BOM', bytes: concat([0xef, 0xbb, 0xbf], utf8('---\ntitle: 甲\n---')), text: '---\ntitle: 甲\n---', note: null },
    { name: 'CRLF and lone CR line ends', bytes: utf8('一\r\n二\r三\n'), text: '一\n二\n三\n', note: null },
    { name: 'stray control characters are dropped', bytes: utf8('甲\u0007乙\u001b丙\t丁'), text: '甲乙丙\t丁', note: null },
    { name: 'GBK', bytes: iconv.encode('---\ntitle: 红旗区新闻\n---\n<p>今年要打通六条道路。</p>', 'gbk'), text: '---\ntitle: 红旗区新闻\n---\n<p>今年要打通六条道路。</p>', note: 'decoded_legacy_encoding' },
    { name: 'a short GBK line chardet cannot place', bytes: iconv.encode('短讯', 'gbk'), text: '短讯', note: 'decoded_legacy_encoding' },
    { name: 'GB18030 four-byte characters', bytes: iconv.encode('𠀀字与€', 'gb18030'), text: '𠀀字与€', note: 'decoded_legacy_encoding' },
    { name: 'Big5', bytes: iconv.encode('這是繁體中文的文章，臺灣與香港的新聞報導。', 'big5'), text: '這是繁體中文的文章，臺灣與香港的新聞報導。', note: 'decoded_legacy_encoding' },
    { name: 'UTF-16LE with a BOM', bytes: concat([0xff, 0xfe], iconv.encode('中文\r\n', 'utf-16le')), text: '中文\n', note: 'decoded_utf16' },
    { name: 'UTF-16BE with a BOM', bytes: concat([0xfe, 0xff], iconv.encode('中文', 'utf-16be')), text: '中文', note: 'decoded_utf16' },
    // Skipped as binary before: the zero bytes of its ASCII characters were taken for binary data. 一 (U+4E00) has one on the other side.
    { name: 'UTF-16LE without a BOM', bytes: iconv.encode('---\r\ntitle: 第一条\r\n---\r\n一一中文正文\r\n', 'utf-16le'), text: '---\ntitle: 第一条\n---\n一一中文正文\n', note: 'decoded_utf16' },
    { name: 'UTF-16BE without a BOM', bytes: iconv.encode('---\ntitle: 第一条\n---\n一一中文正文', 'utf-16be'), text: '---\ntitle: 第一条\n---\n一一中文正文', note: 'decoded_utf16' },
    { name: 'UTF-16LE without a BOM, Chinese only', bytes: iconv.encode(`${'一个统一的中文段落。'.repeat(20)}\n`, 'utf-16le'), text: `${'一个统一的中文段落。'.repeat(20)}\n`, note: 'decoded_utf16' },
    {
      name: 'UTF-8 with one damaged byte keeps its text',
      bytes: concat(utf8('一二三四五六七八九十'.repeat(5)), [0xe4, 0xb8], utf8('。')),
      text: `${'一二三四五六七八九十'.repeat(5)}\uFFFD。`,
      note: 'invalid_utf8_replaced',
    },
    {
      // 5 broken bytes in a short post: 91% valid, too broken for the first check, and no legacy
      // encoding reads it either; it was skipped as bad_encoding, losing the post.
      name: 'a short UTF-8 post with a few damaged bytes keeps its text',
      bytes: concat(utf8('短讯：今天天气很好，'), [0xe4, 0xb8], utf8('适合出行。'), [0xe5], utf8('市民'), [0xe6, 0x97], utf8('纷纷外出。')),
      text: '短讯：今天天气很好，\uFFFD适合出行。\uFFFD市民\uFFFD纷纷外出。',
      note: 'invalid_utf8_replaced',
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const outcome = decodePost(c.bytes)
      assert.equal(outcome.kind, 'text')
      if (outcome.kind !== 'text') return
      assert.equal(outcome.text, c.text)
      assert.equal(outcome.note?.code ?? null, c.note)
    })
  }
})

describe('decodePost: bytes it skips', () => {
  const cases: { name: string; bytes: Uint8Array; code: string }[] = [
    { name: '0 bytes', bytes: new Uint8Array(0), code: 'empty_file' },
    { name: 'a NUL byte (a PNG header)', bytes: concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], utf8('IHDR')), code: 'binary' },
    // NUL bytes on one side only, but too few for the zero bytes of UTF-16's ASCII characters, or decoding to control characters.
    { name: 'UTF-8 with a few NUL bytes on odd offsets', bytes: concat(utf8('ab'), [0x61, 0], utf8('cd'), [0x61, 0], utf8('---\ntitle: 甲乙\n---\n正文')), code: 'binary' },
    { name: 'NUL bytes on odd offsets between control bytes', bytes: Uint8Array.from({ length: 64 }, (_, i) => (i % 2 === 1 ? 0 : 1 + (i % 5))), code: 'binary' },
    { name: 'mostly control bytes', bytes: Uint8Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x41 : 0x01 + (i % 7))), code: 'binary' },
    { name: 'Latin-1 text (invalid UTF-8, not Chinese)', bytes: Uint8Array.from([...'caf\xe9 na\xefve r\xe9sum\xe9 d\xe9j\xe0 vu'].map((c) => c.charCodeAt(0))), code: 'bad_encoding' },
    { name: 'random high bytes', bytes: Uint8Array.from([0xff, 0x80, 0xfe, 0x20, 0x81, 0x0a, 0xc0, 0xaf]), code: 'bad_encoding' },
    { name: `over MAX_POST_BYTES (${MAX_POST_BYTES})`, bytes: new Uint8Array(MAX_POST_BYTES + 1).fill(0x61), code: 'too_large' },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const outcome = decodePost(c.bytes)
      assert.equal(outcome.kind, 'skipped')
      if (outcome.kind === 'skipped') {
        assert.equal(outcome.code, c.code)
        assert.ok(outcome.reason.length > 0)
      }
    })
  }

  it('a post over the limit is said to be so in megabytes', () => {
    const outcome = decodePost(new Uint8Array(MAX_POST_BYTES + 1024 * 1024).fill(0x61))
    // It said "9437184 bytes is over the 8388608-byte limit for a post".
    assert.deepEqual(outcome, { kind: 'skipped', code: 'too_large', reason: '9.0 MB is over the 8 MB limit for a post' })
  })

  it('a file of exactly MAX_POST_BYTES is still read', () => {
    assert.equal(decodePost(new Uint8Array(MAX_POST_BYTES).fill(0x61)).kind, 'text')
  })
})
