import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Analyzer } from '../../src/analysis/analyzer.js'
import { buildIndex } from '../../src/index/build.js'
import { MANIFEST } from '../../src/index/manifest.js'

/** The repository root (tests run from dist/test/…). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** ../shared beside the repository, or null when this clone has none (then corpus tests skip, visibly). */
export function sharedDir(): string | null {
  const dir = join(REPO_ROOT, '..', 'shared')
  return existsSync(join(dir, 'corpus')) ? dir : null
}

export const SKIP_NO_SHARED = '../shared is not present beside this clone: corpus tests skipped'

/**
 * An index of the whole shared corpus, built once and reused by every test file of a run (and by later
 * runs while the analysis and the build code are unchanged). Null when ../shared is absent.
 */
export async function corpusIndex(): Promise<string | null> {
  const shared = sharedDir()
  if (!shared) return null
  const dir = join(REPO_ROOT, 'test', '.cache', 'corpus-index')
  const stampFile = join(dir, 'stamp.json')
  const stamp = JSON.stringify({ analysis: new Analyzer().version, build: buildCodeStamp() })
  if (existsSync(join(dir, MANIFEST)) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return dir
  mkdirSync(dir, { recursive: true })
  // From scratch: an update would keep every post it has already read, however the changed code reads it.
  await buildIndex({ postsDir: join(shared, 'corpus'), outDir: dir, full: true })
  writeFileSync(stampFile, stamp)
  return dir
}

/** Changes whenever the compiled ingest, analysis, index or suggest code changes, so a stale cached index is rebuilt. */
function buildCodeStamp(): string {
  const hash = createHash('sha256')
  for (const folder of ['ingest', 'analysis', 'index', 'suggest']) {
    const dir = join(REPO_ROOT, 'dist', 'src', folder)
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) hash.update(file).update(readFileSync(join(dir, file)))
  }
  return hash.digest('hex')
}
