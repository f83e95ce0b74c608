import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MANIFEST } from '../index/manifest.js'
import { SearchEngine } from '../search/engine.js'
import { fixedEngine } from '../server/engine-handle.js'
import { startServer } from '../server/serve.js'
import { buildWithProgress } from './index-command.js'
import { formatReport } from './terminal.js'

export interface ServeCommandOptions {
  index: string
  posts?: string
  rebuild?: boolean
  port: number
  host: string
  logLevel: string
  rateLimit: boolean
}

/** The posts `npm start` indexes when the user has not pointed it at an archive of their own. */
export const DEMO_POSTS = fileURLToPath(new URL('../../../demo/posts/', import.meta.url))

export async function runServe(options: ServeCommandOptions): Promise<void> {
  const hasIndex = existsSync(join(options.index, MANIFEST))
  if (!hasIndex || options.rebuild) {
    const posts = options.posts ?? DEMO_POSTS
    process.stderr.write(`building the index of ${posts} into ${options.index} …\n`)
    const report = await buildWithProgress(posts, options.index)
    process.stderr.write(formatReport(report) + '\n')
  }
  const engine = SearchEngine.open(options.index)
  const server = await startServer({
    engine: fixedEngine(engine),
    host: options.host,
    port: options.port,
    logLevel: options.logLevel as never,
    ...(options.rateLimit ? {} : { rateLimit: false as const }),
  })
  process.stderr.write(`jiansuo serving ${engine.documentCount} documents on ${server.url}\n`)
}
