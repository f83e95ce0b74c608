import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildIndex } from '../../src/index/build.js'
import { SearchEngine } from '../../src/search/engine.js'

export interface PostsIndexOptions {
  /** The front matter date of every post; its day starts each file name (and so each id). Default 2024-08-01. */
  date?: string
  /** A post's title from its name. Default 记事 for all. */
  title?: (name: string) => string
}

/**
 * An engine over one-paragraph posts a test writes: `posts[name]` is the body of `<day>-<name>.md`,
 * built with one worker in a temporary folder. `remove()` deletes the folder.
 */
export async function postsIndex(posts: Record<string, string>, options: PostsIndexOptions = {}): Promise<{ engine: SearchEngine; remove: () => void }> {
  const date = options.date ?? '2024-08-01'
  const title = options.title ?? (() => '记事')
  const work = mkdtempSync(join(tmpdir(), 'jiansuo-posts-'))
  mkdirSync(join(work, 'posts'))
  for (const [name, body] of Object.entries(posts)) {
    writeFileSync(join(work, 'posts', `${date.slice(0, 10)}-${name}.md`), `---\ntitle: ${JSON.stringify(title(name))}\ndate: ${date}\n---\n<p>${body}</p>\n`)
  }
  await buildIndex({ postsDir: join(work, 'posts'), outDir: join(work, 'index'), workers: 1 })
  return { engine: SearchEngine.open(join(work, 'index')), remove: () => rmSync(work, { recursive: true, force: true }) }
}
