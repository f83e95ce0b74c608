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
})
