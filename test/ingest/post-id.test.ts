import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assignPostIds } from '../../src/ingest/post-id.js'

describe('assignPostIds', () => {
  const cases: { name: string; paths: string[]; ids: string[]; noted: string[] }[] = [
    { name: 'file names without extension', paths: ['2022-03-29-1.md', 'x/2022-03-30-2.markdown', 'y/z/page.HTML'], ids: ['2022-03-29-1', '2022-03-30-2', 'page'], noted: [] },
    { name: 'only the last extension goes', paths: ['v1.2.md', 'a.b.c.html'], ids: ['v1.2', 'a.b.c'], noted: [] },
    { name: 'a shared basename: every holder gets its folder', paths: ['2022/foo.md', '2023/foo.md', 'bar.md'], ids: ['2022/foo', '2023/foo', 'bar'], noted: ['2022/foo.md', '2023/foo.md'] },
    { name: 'a top-level file keeps its name beside a sub-folder twin', paths: ['a/foo.md', 'foo.md'], ids: ['a/foo', 'foo'], noted: ['a/foo.md', 'foo.md'] },
    { name: 'three deep', paths: ['a/b/foo.md', 'a/c/foo.md', 'd/foo.md'], ids: ['a/b/foo', 'a/c/foo', 'd/foo'], noted: ['a/b/foo.md', 'a/c/foo.md', 'd/foo.md'] },
    { name: 'same folder, different extensions: extensions kept', paths: ['foo.md', 'foo.html'], ids: ['foo.md', 'foo.html'], noted: ['foo.md', 'foo.html'] },
    { name: 'a name that looks like a prefixed id', paths: ['a/foo.md', 'b/foo.md', 'foo.md.html'], ids: ['a/foo', 'b/foo', 'foo.md'], noted: ['a/foo.md', 'b/foo.md'] },
    { name: 'nothing', paths: [], ids: [], noted: [] },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const { ids, notes } = assignPostIds(c.paths)
      assert.deepEqual(ids, c.ids)
      assert.equal(new Set(ids).size, ids.length)
      assert.deepEqual(notes.map((n) => n.path), c.noted)
      for (const note of notes) assert.equal(note.code, 'duplicate_basename')
    })
  }

  it('ids stay unique however names collide', () => {
    const paths = ['foo.md', 'foo.html', 'foo.md.html', 'a/foo.md', 'a/foo.html', 'a/foo.md.html', 'a/foo.md.md']
    const { ids } = assignPostIds(paths)
    assert.equal(new Set(ids).size, paths.length)
  })

  it('a note names a few of the other posts, not thousands: page bundles all share one name', () => {
    const paths = Array.from({ length: 5000 }, (_, i) => `p${i}/index.md`)
    const { ids, notes } = assignPostIds(paths)
    assert.equal(new Set(ids).size, paths.length)
    assert.equal(notes.length, paths.length)
    assert.equal(notes[0]!.message, '4999 other posts have the same file name (p1/index.md, p2/index.md, p3/index.md and 4996 more); this one\'s id is "p0/index"')
    assert.ok(notes.every((n) => n.message.length < 200))
    assert.equal(assignPostIds(['a/foo.md', 'b/foo.md']).notes[0]!.message, 'another post has the same file name (b/foo.md); this one\'s id is "a/foo"')
  })

  describe('paths that are the same text in another Unicode form (two files on Linux, one name on screen)', () => {
    const nfc = (text: string) => text.normalize('NFC')
    const composed = 'caf\u00e9' // é as one character
    const decomposed = 'cafe\u0301' // e, then the accent
    const cases: { name: string; paths: string[]; ids: string[]; codes: string[] }[] = [
      { name: 'café.md written both ways: the composed one keeps its id, the other gets ~2', paths: [`${decomposed}.md`, `${composed}.md`], ids: [`${composed}~2`, composed], codes: ['look_alike_path', 'look_alike_path'] },
      { name: 'Hangul, syllables and jamo', paths: ['\u1112\u1161\u11ab\u1100\u1173\u11af.md', '\ud55c\uae00.md'], ids: ['\ud55c\uae00~2', '\ud55c\uae00'], codes: ['look_alike_path', 'look_alike_path'] },
      { name: 'kana with a voicing mark, as one character and as two', paths: ['\u304b\u3099.md', '\u304c.md'], ids: ['\u304c~2', '\u304c'], codes: ['look_alike_path', 'look_alike_path'] },
      { name: 'a look-alike folder: the post keeps its basename id, ~2 tells them apart', paths: [`${decomposed}/a.md`, `${composed}/a.md`], ids: ['a~2', 'a'], codes: ['look_alike_path', 'look_alike_path'] },
      { name: 'the same name in two folders, one written each way: folders prefixed as for any shared name', paths: [`2022/${composed}.md`, `2023/${decomposed}.md`], ids: [`2022/${composed}`, `2023/${decomposed}`], codes: ['duplicate_basename', 'duplicate_basename'] },
      { name: 'a ~2 already taken by a post of that name', paths: [`${decomposed}.md`, `${composed}.md`, `${composed}~2.md`], ids: [`${composed}~3`, composed, `${composed}~2`], codes: ['look_alike_path', 'look_alike_path'] },
    ]
    for (const c of cases) {
      it(c.name, () => {
        const { ids, notes } = assignPostIds(c.paths)
        assert.deepEqual(ids, c.ids)
        assert.equal(new Set(ids.map(nfc)).size, ids.length, 'no two ids look alike')
        assert.deepEqual(notes.map((n) => n.code).sort(), c.codes)
      })
    }

    it('each note says which form is which and names the id', () => {
      const { notes } = assignPostIds([`${decomposed}.md`, `${composed}.md`])
      assert.deepEqual(
        notes.map((n) => [n.path, n.message]),
        [
          [`${decomposed}.md`, `another post's path is the same text written composed (NFC), where this one's is decomposed (NFD), so they look alike (${composed}.md); this one's id is "${composed}~2"`],
          [`${composed}.md`, `another post's path is the same text written decomposed (NFD), where this one's is composed (NFC), so they look alike (${composed}.md); this one's id is "${composed}"`],
        ],
      )
    })
  })
})
