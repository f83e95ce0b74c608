// An index records how its posts were read; an update of an index read another way (an older jiansuo,
// before a parsing fix) reads every post again rather than keep documents read the old way.
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { INGEST_VERSION } from '../../src/ingest/index.js'
import { buildIndex } from '../../src/index/build.js'
import { MANIFEST, readManifest } from '../../src/index/manifest.js'
import { REPO_ROOT } from '../helpers/shared.js'

const work = mkdtempSync(join(tmpdir(), 'jiansuo-ingest-version-'))
after(() => rmSync(work, { recursive: true, force: true }))

test('an update reads every post again when the index was read by another version of the ingest', async () => {
  const posts = join(work, 'posts')
  const index = join(work, 'index')
  cpSync(join(REPO_ROOT, 'demo', 'posts'), posts, { recursive: true })
  const first = await buildIndex({ postsDir: posts, outDir: index })
  assert.equal(readManifest(index).ingest, INGEST_VERSION)
  const idle = await buildIndex({ postsDir: posts, outDir: index })
  assert.equal(idle.reprocessed, 0, 'read the same way: nothing to read again')

  const rewrite = (change: (manifest: Record<string, unknown>) => void) => {
    const manifest = JSON.parse(readFileSync(join(index, MANIFEST), 'utf8')) as Record<string, unknown>
    change(manifest)
    writeFileSync(join(index, MANIFEST), JSON.stringify(manifest))
  }
  for (const older of [(m: Record<string, unknown>) => (m.ingest = INGEST_VERSION - 1), (m: Record<string, unknown>) => delete m.ingest]) {
    rewrite(older)
    const again = await buildIndex({ postsDir: posts, outDir: index })
    assert.equal(again.mode, 'full')
    assert.equal(again.fullBecause, 'this jiansuo reads posts differently')
    assert.equal(again.reprocessed, first.documents)
    assert.equal(again.written, true)
    assert.equal(readManifest(index).ingest, INGEST_VERSION)
  }
})
