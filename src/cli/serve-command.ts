import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { SERVE_FLAGS } from '../config/flags.js'
import { DEFAULT_HOST, DEFAULT_INDEX_DIR, DEFAULT_PORT, DEFAULT_RELOAD_POLL_MS, effectiveConfig, engineOptionsOf, serverOptionsOf } from '../config/settings.js'
import { analysisVersion } from '../analysis/analyzer.js'
import { DICTIONARY_FILE, FORMAT_VERSION, MANIFEST, OtherFormatError, readManifest, refuseGenerationFolder, SYNONYMS_FILE } from '../index/manifest.js'
import { storedText } from '../index/reader.js'
import { tuneHeapForServing } from '../server/heap.js'
import { watchIndex } from '../server/index-watcher.js'
import { resolveServerOptions } from '../server/options.js'
import { serverLogger } from '../server/request-log.js'
import { startServer } from '../server/serve.js'
import { BuildLockedError, IndexFolderNotWritableError } from '../index/build-lock.js'
import { IndexNotWrittenError, type BuildReport } from '../index/build.js'
import { refuseIndexFolder } from '../index/index-folder.js'
import { buildWithProgress, requirePostsFolder } from './index-command.js'
import { formatReport, stderrColors } from './terminal.js'

export interface ServeCommandOptions {
  rebuild?: boolean
}

/** The posts `npm start` indexes when the user has not pointed it at an archive of their own. */
export const DEMO_POSTS = fileURLToPath(new URL('../../../demo/posts/', import.meta.url))

export async function runServe(options: ServeCommandOptions, command: Command): Promise<void> {
  const { config, file } = effectiveConfig(command, SERVE_FLAGS)
  const indexDir = config.index ?? DEFAULT_INDEX_DIR
  if (file) process.stderr.write(`settings from ${file}\n`)

  const posts = postsToBuild(indexDir, config.posts, options.rebuild === true, { dictFile: config.dictionary, synonymsFile: config.synonyms })
  const host = config.server?.host ?? DEFAULT_HOST
  const port = config.server?.port ?? DEFAULT_PORT
  if (posts !== null) {
    // A build can take minutes: a port that cannot be served on is said before it, not after.
    await canListen(host, port)
    // Refused before saying a build starts, in the words `index` uses (the build would refuse them too).
    requirePostsFolder(posts.folder)
    refuseIndexFolder(resolve(indexDir), resolve(posts.folder))
    process.stderr.write(`${posts.why}: indexing ${posts.folder} into ${indexDir} …\n`)
    const build = () => buildWithProgress(posts.folder, indexDir, { dictFile: config.dictionary, synonymsFile: config.synonyms, workers: config.workers, full: options.rebuild })
    const report = await buildUnlessAnotherIs(build, posts.servable)
    if (report) process.stderr.write(formatReport(report, stderrColors) + '\n')
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
  let server: Awaited<ReturnType<typeof startServer>>
  try {
    server = await startServer({ ...serverOptions, logger: log, engine, host, port })
  } catch (error) {
    // The search threads and the watch would keep the process alive with nothing to serve.
    await engine.shutdown()
    throw listenError(error, host, port)
  }
  const everywhere = host === '0.0.0.0' || host === '::' ? ' (and on every network interface of this machine)' : ''
  process.stderr.write(`jiansuo serving ${engine.current().documentCount} documents on ${server.url}${everywhere}\n`)
}

/** How often serve looks again whether another process's build of its index folder has finished. */
const LOCK_RETRY_MS = 1000

/**
 * Runs `build`, unless another process is building the same index folder (`index --watch` beside
 * `serve --posts`, as "Deploying" suggests): then the index committed there is served as it is when it
 * can be (`servable`), and the watcher takes the other build's index when it commits; otherwise serve
 * waits for that build to finish and builds after it.
 */
async function buildUnlessAnotherIs(build: () => Promise<BuildReport>, servable: boolean): Promise<BuildReport | null> {
  for (let waiting = false; ; waiting = true) {
    try {
      return await build()
    } catch (error) {
      // A read-only index folder (a hardened service, with a builder of its own), or a full disk: the
      // index there is whole (a build commits all or nothing), so a site stays up on it.
      const unwritable =
        error instanceof IndexFolderNotWritableError ? { dir: error.indexDir, why: error.reason }
        : error instanceof IndexNotWrittenError ? { dir: error.indexDir, why: `${error.trouble}, ${error.code}` }
        : null
      if (unwritable && servable) {
        process.stderr.write(`cannot update ${unwritable.dir} (${unwritable.why}): serving the index it holds as it is; a build committed there is served once it commits\n`)
        return null
      }
      if (!(error instanceof BuildLockedError)) throw error
      if (servable) {
        process.stderr.write(`${error.holding}: serving the index it holds now; the new one is served once that build commits\n`)
        return null
      }
      if (!waiting) process.stderr.write(`${error.holding}: waiting for it to finish …\n`)
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS))
    }
  }
}

/**
 * Which posts to index before serving, and why; null to serve the index as it is. Posts given are
 * indexed (an update: only what changed is read again), so `npm start -- --posts <folder>` always
 * serves that folder. Otherwise an index is built only when there is none (from the demo posts), when
 * asked (--rebuild), or when another version of jiansuo wrote it (another format, or text cut another
 * way: a new jieba, normaliser or dictionary): then from the folder its manifest names, and never from
 * the demo posts over an index of the user's own.
 */
function postsToBuild(
  indexDir: string,
  given: string | undefined,
  rebuild: boolean,
  named: { dictFile: string | undefined; synonymsFile: string | undefined },
): { folder: string; why: string; servable: boolean } | null {
  if (!existsSync(join(indexDir, MANIFEST))) {
    // Before "no index yet": it would build the demo posts into the user's index and serve those.
    refuseGenerationFolder(indexDir)
    return { folder: given ?? DEMO_POSTS, why: `no index in ${indexDir} yet`, servable: false }
  }
  const state = indexState(indexDir, named)
  const outdated =
    state.otherFormat !== undefined
      ? `${indexDir} holds an index written by another version of jiansuo (format ${state.otherFormat}, this one reads ${FORMAT_VERSION})`
      : state.otherAnalysis
        ? `${indexDir} holds an index whose text was cut another way (another jiansuo, jieba or dictionary)`
        : state.otherSynonyms
          ? `the synonyms named differ from the ones ${indexDir} was built with`
          : undefined
  if (given !== undefined) {
    const from = state.posts === undefined || resolve(state.posts) === resolve(given) ? '' : ` (it was built from ${state.posts})`
    // `servable`: the index there can be served as it is while another process builds the folder.
    return { folder: given, why: outdated ?? `posts given${from}`, servable: outdated === undefined && !rebuild }
  }
  if (!rebuild && outdated === undefined) return null
  const why = outdated ?? 'asked to rebuild'
  if (state.posts !== undefined && existsSync(state.posts)) return { folder: state.posts, why, servable: outdated === undefined }
  const builtFrom = state.posts === undefined ? 'does not name the posts folder it was built from' : `was built from ${state.posts}, which is gone`
  throw new Error(
    `${why}, but it ${builtFrom}: rebuild it with \`jiansuo index <posts-folder> --out ${indexDir}\`, or serve with --posts <posts-folder>`,
  )
}

/**
 * The posts folder the index in `indexDir` names; the format it was written in when this jiansuo reads
 * another; whether this jiansuo, with the dictionary named or else the index's own, cuts text
 * differently from the way its documents were cut (queries would then miss what the posts hold); and
 * whether synonyms named differ from the index's (searches use the index's, so it is updated first).
 */
function indexState(
  indexDir: string,
  named: { dictFile: string | undefined; synonymsFile: string | undefined },
): { posts: string | undefined; otherFormat: string | undefined; otherAnalysis: boolean; otherSynonyms: boolean } {
  try {
    const manifest = readManifest(indexDir)
    const dictionary = named.dictFile !== undefined ? readFileSync(named.dictFile, 'utf8') : storedText(indexDir, manifest, DICTIONARY_FILE)
    const otherSynonyms = named.synonymsFile !== undefined && readFileSync(named.synonymsFile, 'utf8') !== storedText(indexDir, manifest, SYNONYMS_FILE)
    return { posts: manifest.posts, otherFormat: undefined, otherAnalysis: Boolean(manifest.analysis) && manifest.analysis !== analysisVersion(dictionary), otherSynonyms }
  } catch (error) {
    // Any other problem is reported, with its file named, when the index is opened.
    return error instanceof OtherFormatError
      ? { posts: error.posts, otherFormat: String(error.found), otherAnalysis: false, otherSynonyms: false }
      : { posts: undefined, otherFormat: undefined, otherAnalysis: false, otherSynonyms: false }
  }
}

/** Listens on the address and lets go of it at once; throws what listening there would (see listenError). */
async function canListen(host: string, port: number): Promise<void> {
  if (port === 0) return
  const probe = createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject)
      probe.listen(port, host, resolve)
    })
  } catch (error) {
    throw listenError(error, host, port)
  } finally {
    await new Promise<void>((resolve) => (probe.listening ? probe.close(() => resolve()) : resolve()))
  }
}

/** What a user can do about a failed listen, in their words rather than the system call's. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code
  const where = `${host}:${port}`
  if (code === 'EADDRINUSE') return new Error(`cannot serve on ${where}: the port is in use (another jiansuo or another program); stop it, or choose another port with --port`)
  if (code === 'EACCES') return new Error(`cannot serve on ${where}: not allowed to use that port (ports below 1024 need privileges); choose another with --port`)
  if (code === 'EADDRNOTAVAIL') return new Error(`cannot serve on ${where}: ${host} is not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its own addresses with --host`)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new Error(`cannot serve on ${where}: no host named ${host}; give --host an address or a name this machine knows`)
  return error
}
