import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DocIds } from '../../src/index/doc-ids.js'

test('every id is found at its document, in whatever order the documents hold them; others are -1', () => {
  // Ids as the archive has them (dated, undated with a leading dash, sub-folder prefixes, Han, astral), out of order.
  const ids = ['2024-03-05-b', '-202205262391921712', '2021/notes', '2022/notes', '中文标题', 'Zeta', 'alpha', '2024-03-05-a', '𠀀x', '\uffffz']
  let decoded = 0
  const found = new DocIds(ids.length, (doc) => {
    decoded++
    return ids[doc]!
  })
  ids.forEach((id, doc) => assert.equal(found.find(id), doc, id))
  for (const missing of ['', '2024-03-05', '2024-03-05-c', 'notes', 'zeta', '\uffff']) assert.equal(found.find(missing), -1, missing)
  // Sorted once; each later lookup reads a handful of ids, not all of them.
  const before = decoded
  found.find('alpha')
  assert.ok(decoded - before <= Math.ceil(Math.log2(ids.length)) + 1, `${decoded - before} ids read`)
})

test('an empty index finds nothing', () => {
  assert.equal(new DocIds(0, () => assert.fail('no document to read')).find('x'), -1)
})
