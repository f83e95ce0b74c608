import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { uniqueTitleItems } from '../../bench/lib/known-items.js'

describe('uniqueTitleItems', () => {
  it('keeps only titles no other post carries, trimmed, in id order', () => {
    const items = uniqueTitleItems([
      { id: 'c', title: '国内快讯' },
      { id: 'b', title: ' 新桥通车 ' },
      { id: 'a', title: '国内快讯' },
      { id: 'd', title: '   ' },
      { id: 'e', title: '新桥通车了' },
    ])
    assert.deepEqual(items, [
      { docId: 'b', title: '新桥通车' },
      { docId: 'e', title: '新桥通车了' },
    ])
  })

  it('treats titles that differ only in surrounding spaces as the same title', () => {
    assert.deepEqual(uniqueTitleItems([{ id: 'a', title: '晚报' }, { id: 'b', title: '晚报 ' }]), [])
  })
})
