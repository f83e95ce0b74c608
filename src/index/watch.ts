import { lstatSync, statSync } from 'node:fs'
import { basename, relative, resolve, sep } from 'node:path'
import { watch as watchFolder, type FSWatcher } from 'chokidar'
import { folderIdentity, ignoredFolder, isPostName } from '../ingest/walk.js'
import { BuildLockedError } from './build-lock.js'
import { buildIndex, NothingToIndexError, type BuildOptions, type BuildReport } from './build.js'

export interface WatchOptions extends BuildOptions {
  /** Quiet time after the last change before rebuilding, so a burst of saves costs one build. Default 500 ms. */
  debounceMs?: number
  /**
   * Longest a change waits for that quiet: a folder that never stops changing (a sync writing for minutes,
   * a post rewritten every second) is still built this often, rather than never. Default 10,000 ms.
   */
  maxWaitMs?: number
  /** How often the posts folder itself is checked for having gone or been replaced. Default 2,000 ms. */
  folderCheckMs?: number
  /**
   * After a failed build (a disk was full), the wait before trying again without waiting for a change;
   * doubled after each failure in a row, up to 5 minutes. A build that found another build holding the
   * index waits this long each time, without doubling. Default 5,000 ms.
   */
  retryMs?: number
  /**
   * Files the build reads besides the posts (a user dictionary, synonyms), with how to read them: watched
   * too, and read again for every build, so an edit to one applies without restarting the watch.
   */
  resources?: { files: string[]; read: () => Pick<BuildOptions, 'userDictionary' | 'synonyms'> }
  /**
   * Called after every build, with its report or the error that stopped it (the previous index then
   * stays), and when the watch will try again without waiting for a change, in how long.
   */
  onBuild: (outcome: { report: BuildReport } | { error: Error; retryInMs?: number }) => void
  /** Called when the posts folder disappears (`gone`) and when it is back and watched again. */
  onFolder?: (state: 'gone' | 'back') => void
}

export interface PostsWatcher {
  /** Stops watching; resolves once a build under way has finished. */
  close(): Promise<void>
  /** Whether a build is under way (a stop asked now would wait for it). */
  readonly building: boolean
}

/**
 * Keeps an index current with its posts folder: builds once, then after every burst of changes
 * updates the index incrementally (only added, changed and deleted posts are read). A running
 * `serve` picks each new generation up by itself.
 *
 * Changes come from chokidar, which watches each folder and so also sees posts that editors save by
 * writing a new file over the old one (vim, `sed -i`). The folder itself is checked every few seconds:
 * moved away (a checkout, a deploy swapping folders), it is reported and waited for, and watched
 * afresh once it is back; that check also keeps the process alive while nothing is being watched.
 */
export function watchPosts(options: WatchOptions): PostsWatcher {
  const debounceMs = options.debounceMs ?? 500
  const maxWaitMs = options.maxWaitMs ?? 10_000
  const root = options.postsDir
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | null = null
  let again = false
  let closed = false
  const firstRetryMs = options.retryMs ?? 5000
  let retryMs = firstRetryMs
  // --full reads every post once, in the first build; the updates after it read only what changed.
  let full = options.full === true

  const build = (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        try {
          // Read inside the try: a file made unreadable by an edit is reported like any failed build, and retried.
          options.onBuild({ report: await buildIndex({ ...options, ...options.resources?.read(), full }) })
          full = false
          retryMs = firstRetryMs
        } catch (error) {
          // The posts folder went away under the build: the folder check says so, and builds once it is back.
          if (folderIdentity(root) === null) continue
          const failure = error instanceof Error ? error : new Error(String(error))
          // A folder with nothing to index stays so until a post is added, which the watch sees: no timed retries.
          if (!again && !closed && !(error instanceof NothingToIndexError)) {
            clearTimeout(timer)
            // Another build holding the index will be done soon: try again at the first interval, not a longer one each time.
            const locked = error instanceof BuildLockedError
            const wait = locked ? firstRetryMs : retryMs
            timer = setTimeout(() => void build(), wait)
            if (!locked) retryMs = Math.min(2 * retryMs, MAX_RETRY_MS)
            options.onBuild({ error: failure, retryInMs: wait })
          } else options.onBuild({ error: failure })
        }
      } while (again && !closed)
      running = null
    })()
    return running
  }

  /** When the first change not yet built was seen. */
  let burstStarted: number | null = null
  const schedule = () => {
    if (closed) return
    clearTimeout(timer)
    burstStarted ??= Date.now()
    const wait = Math.max(0, Math.min(debounceMs, burstStarted + maxWaitMs - Date.now()))
    timer = setTimeout(() => {
      burstStarted = null
      void build()
    }, wait)
  }

  const indexDir = resolve(options.outDir)
  /**
   * What the build never reads is not watched either: hidden entries, Jekyll's `_` folders but `_posts`
   * (walk.ts), and the index folder when it lies inside (each build's new generation would bring another).
   */
  const ignored = (path: string, stats?: { isDirectory(): boolean }): boolean => {
    if (resolve(path) === indexDir) return true
    const parts = relative(root, path).split(sep).filter(Boolean)
    const last = parts.pop()
    if (last === undefined) return false
    return parts.some(ignoredFolder) || last.startsWith('.') || (stats?.isDirectory() === true && ignoredFolder(last)) || linksToFolder(path)
  }

  let watcher: FSWatcher | null = null
  /** Watches the folder, then builds: a change made before the watch is ready is one the build reads. */
  const startWatching = (then: () => void) => {
    watcher = watchFolder(root, { ignoreInitial: true, ignored })
    watcher.once('ready', then)
    // A folder added or removed may hold posts; any other file is not a post.
    watcher.on('all', (event, path) => {
      if (event === 'addDir' || event === 'unlinkDir' || isPostName(basename(path))) schedule()
    })
    watcher.on('error', (error) => {
      // A path gone before chokidar looked at it: the folder check reports a folder that went away.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      options.onBuild({ error: error instanceof Error ? error : new Error(String(error)) })
    })
  }

  // chokidar follows a file that an editor replaces by a new one, as it follows posts.
  const resourceFiles = options.resources?.files ?? []
  const resourceWatcher = resourceFiles.length > 0 ? watchFolder(resourceFiles, { ignoreInitial: true }) : null
  resourceWatcher?.on('all', schedule)
  resourceWatcher?.on('error', (error) => {
    // A file deleted: the next build reports it, as it reports any file it cannot read.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onBuild({ error: error instanceof Error ? error : new Error(String(error)) })
  })

  /** The folder as last seen: its inode, or null while it is gone. */
  let seen = folderIdentity(root)
  const folderCheck = setInterval(() => {
    const now = folderIdentity(root)
    if (now === seen) return
    const wasGone = seen === null
    seen = now
    void watcher?.close()
    watcher = null
    if (now === null) {
      options.onFolder?.('gone')
      return
    }
    if (wasGone) options.onFolder?.('back')
    startWatching(schedule)
  }, options.folderCheckMs ?? 2000)

  startWatching(() => {
    if (!closed) void build()
  })

  return {
    get building() {
      return running !== null
    },
    close: async () => {
      closed = true
      clearTimeout(timer)
      clearInterval(folderCheck)
      await Promise.all([watcher?.close(), resourceWatcher?.close()])
      if (running) await running
    },
  }
}

const MAX_RETRY_MS = 5 * 60_000

/**
 * Whether `path` is a link to a folder (or a link loop). The watch does not follow those: a loop (`ln -s .
 * a`) or a link to /usr would be watched without end. The build takes a folder linked from inside the
 * posts folder where it really is, inside, and so watched there; a link leading out of it, it does not follow.
 */
function linksToFolder(path: string): boolean {
  try {
    if (!lstatSync(path).isSymbolicLink()) return false
  } catch {
    return false
  }
  try {
    return statSync(path).isDirectory()
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ELOOP'
  }
}
