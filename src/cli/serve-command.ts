import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { SERVE_FLAGS } from '../config/flags.js'
import { DEFAULT_HOST, DEFAULT_INDEX_DIR, DEFAULT_PORT, DEFAULT_RELOAD_POLL_MS, effectiveConfig, engineOptionsOf, serverOptionsOf } from '../config/settings.js'
import { FORMAT_VERSION, MANIFEST, OtherFormatError, readManifest } from '../index/manifest.js'
import { tuneHeapForServing } from '../server/heap.js'
import { watchIndex } from '../server/index-watcher.js'
import { resolveServerOptions } from '../server/options.js'
import { serverLogger } from '../server/request-log.js'
import { startServer } from '../server/serve.js'
import { buildWithProgress } from './index-command.js'
import { formatReport } from './terminal.js'

export interface ServeCommandOptions {
  rebuild?: boolean
}

/** The posts `npm start` indexes when the user has not pointed it at an archive of their own. */
export const DEMO_POSTS = fileURLToPath(new URL('../../../demo/posts/', import.meta.url))

export async function runServe(options: ServeCommandOptions, command: Command): Promise<void> {
  const { config, file } = effectiveConfig(command, SERVE_FLAGS)
  const indexDir = config.index ?? DEFAULT_INDEX_DIR
  if (file) process.stderr.write(`settings from ${file}\n`)

  const hasIndex = existsSync(join(indexDir, MANIFEST))
  const stale = hasIndex && !options.rebuild ? staleFormat(indexDir) : null
  // An index of another format is rebuilt from the posts given, else from the folder it was built from.
  const rebuildFrom = config.posts ?? (stale?.posts !== undefined && existsSync(stale.posts) ? stale.posts : undefined)
  if (stale !== null && rebuildFrom === undefined) {
    // Without a posts folder there is nothing to rebuild from but the demo posts, which would replace the user's index.
    throw new Error(
      `${indexDir} holds an index written by another version of jiansuo (format ${stale.found}, this one reads ${FORMAT_VERSION}); ` +
        `rebuild it with \`jiansuo index <posts-folder> --out ${indexDir}\`, or serve with --posts <posts-folder> (or --rebuild for the demo posts)`,
    )
  }
  if (stale !== null) process.stderr.write(`${indexDir} was written by another version of jiansuo (format ${stale.found}): rebuilding it\n`)
  if (!hasIndex || options.rebuild || stale !== null) {
    const posts = rebuildFrom ?? DEMO_POSTS
    process.stderr.write(`building the index of ${posts} into ${indexDir} …\n`)
    const report = await buildWithProgress(posts, indexDir, { dictFile: config.dictionary, synonymsFile: config.synonyms, workers: config.workers })
    process.stderr.write(formatReport(report) + '\n')
  }

  tuneHeapForServing()
  const serverOptions = resolveServerOptions(serverOptionsOf(config))
  const log = serverLogger(serverOptions)
  const engineOptions = engineOptionsOf(config)
  // By default a rebuild committed into the folder (by `jiansuo index`, another process, a cron job)
  // is picked up without a restart; see README "Deploying". Searches run in one thread per core,
  // all viewing one copy of the index in shared memory.
  const engine = watchIndex(indexDir, {
    engine: engineOptions,
    pollMs: config.server?.reloadPollMs ?? DEFAULT_RELOAD_POLL_MS,
    follow: config.server?.reload !== false,
    workers: config.server?.workers ?? availableParallelism(),
    log,
  })
  const server = await startServer({
    ...serverOptions,
    logger: log,
    engine,
    host: config.server?.host ?? DEFAULT_HOST,
    port: config.server?.port ?? DEFAULT_PORT,
  })
  process.stderr.write(`jiansuo serving ${engine.current().documentCount} documents on ${server.url}\n`)
}

/** The format of the index in `indexDir` (and the posts it names) when it is not the one this jiansuo reads, else null. */
function staleFormat(indexDir: string): { found: string; posts: string | undefined } | null {
  try {
    readManifest(indexDir)
    return null
  } catch (error) {
    // Any other problem is reported, with its file named, when the index is opened.
    return error instanceof OtherFormatError ? { found: String(error.found), posts: error.posts } : null
  }
}
