import assert from 'node:assert/strict'
import { join } from 'node:path'
import { before, describe, it } from 'node:test'
import { ingestFolder, type FolderIngest } from '../../src/ingest/index.js'
import { SKIP_NO_SHARED, sharedDir } from '../helpers/shared.js'

const shared = sharedDir()
const corpus = shared === null ? null : join(shared, 'corpus')

describe('ingest over the shared real corpus (../shared/corpus)', { skip: corpus === null ? SKIP_NO_SHARED : false }, () => {
  let ingest: FolderIngest
  before(async () => {
    ingest = await ingestFolder(corpus!)
  })

  it('every one of the 20,007 posts becomes a document or a listed skip', () => {
    assert.equal(ingest.documents.length + ingest.skipped.length, 20_007)
    assert.deepEqual(ingest.skipped, [])
  })

  it('ids are unique', () => {
    const ids = new Set(ingest.documents.map((d) => d.id))
    assert.equal(ids.size, ingest.documents.length)
  })

  it('reads the 红旗区 post: url, source, date with its offset, and no footer', () => {
    const post = ingest.documents.find((d) => d.id === '2022-03-29-202203292325812882')
    assert.ok(post)
    assert.equal(post.path, 'finews/2022-03-29-202203292325812882.md')
    assert.equal(post.url, 'http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202203292325812882')
    assert.equal(post.source, '新乡日报')
    assert.equal(post.date, '2022-03-29T08:42:52+08:00')
    assert.deepEqual(post.categories, ['xinxiangribao'])
    assert.deepEqual(post.tags, ['新乡日报新闻'])
    assert.ok(post.paragraphs.some((p) => p.includes('红旗区')))
    assert.ok(post.paragraphs.every((p) => !p.includes('返回') && !p.includes('文章来源') && !p.includes('http')))
  })

  it('no paragraph anywhere holds the footer, a source-link line, or markup', () => {
    const offending = ingest.documents.flatMap((d) => d.paragraphs.filter((p) => p.includes('返回首页') || /^<https?:/.test(p) || /<\/?p[ >]/.test(p)).map((p) => `${d.id}: ${p.slice(0, 60)}`))
    assert.deepEqual(offending, [])
  })

  it('the post with an empty title and a zone-only date gets a title from its text and no date', () => {
    const post = ingest.documents.find((d) => d.id === '-202205262391921712')
    assert.ok(post)
    assert.ok(post.title.length > 0)
    assert.equal(post.date, null)
    const codes = ingest.notes.filter((n) => n.path === post.path).map((n) => n.code).sort()
    assert.deepEqual(codes, ['bad_date', 'title_from_body'])
  })

  it('dates, list-valued tags and source links come through across the three folders', () => {
    const byFolder = (folder: string) => ingest.documents.filter((d) => d.path.startsWith(`${folder}/`))
    assert.equal(byFolder('xwlb').length, 19_594)
    assert.equal(byFolder('weekly').length, 407)
    assert.equal(byFolder('finews').length, 6)
    assert.ok(ingest.documents.every((d) => d.date === null || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/.test(d.date)))
    assert.ok(byFolder('weekly').every((d) => d.tags.length === 2 && d.paragraphs.length > 0))
    assert.ok(byFolder('xwlb').filter((d) => d.url !== null).length > 19_000)
    assert.ok(ingest.documents.every((d) => d.title.length > 0 && d.paragraphs.length > 0))
  })
})
