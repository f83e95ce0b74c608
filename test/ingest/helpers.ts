import { join } from 'node:path'
import type { PostFile } from '../../src/ingest/index.js'
import { REPO_ROOT } from '../helpers/shared.js'

/** Posts written for these tests. */
export const fixturePostsDir = join(REPO_ROOT, 'test', 'fixtures', 'posts')

/** A PostFile for a post that exists only in memory. */
export function postFile(relPath: string, id = relPath.replace(/^.*\//, '').replace(/\.[^.]*$/, '')): PostFile {
  return { absPath: join('/nonexistent', relPath), relPath, id }
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** A post in the archive generator's shape; `frontMatter` lines go between the `---` lines. */
export function jekyllPost(frontMatter: string[], body: string): string {
  return ['---', ...frontMatter, '---', body].join('\n')
}
