import { watch, type FSWatcher } from 'node:fs'
import { POST_EXTENSIONS } from '../ingest/walk.js'
import { buildIndex, type BuildOptions, type BuildReport } from './build.js'

export interface WatchOptions extends BuildOptions {
  /** Quiet time after the last change before rebuilding, so a burst of saves costs one build. Default 500 ms. */
  debounceMs?: number
  /** Called after every build, with its report or the error that stopped it (the previous index then stays). */
  onBuild: (outcome: { report: BuildReport } | { error: Error }) => void
}

export interface PostsWatcher {
  /** Stops watching; resolves once a build under way has finished. */
  close(): Promise<void>
}

/**
 * Keeps an index current with its posts folder: builds once, then after every burst of changes
 * updates the index incrementally (only added, changed and deleted posts are read). A running
 * `serve` picks each new generation up by itself.
 */
export function watchPosts(options: WatchOptions): PostsWatcher {
  const debounceMs = options.debounceMs ?? 500
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | null = null
  let again = false
  let closed = false

  const build = (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        try {
          options.onBuild({ report: await buildIndex(options) })
        } catch (error) {
          options.onBuild({ error: error instanceof Error ? error : new Error(String(error)) })
        }
      } while (again && !closed)
      running = null
    })()
    return running
  }

  const schedule = () => {
    if (closed) return
    clearTimeout(timer)
    timer = setTimeout(() => void build(), debounceMs)
  }

  let watcher: FSWatcher | null = null
  try {
    watcher = watch(options.postsDir, { recursive: true }, (_event, name) => {
      // A folder event has no post extension but may add or remove posts: rebuild for it too.
      const file = name?.toString() ?? ''
      if (!file || POST_EXTENSIONS.some((ext) => file.toLowerCase().endsWith(ext)) || !/\.[^/]+$/.test(file)) schedule()
    })
    watcher.on('error', (error) => options.onBuild({ error }))
  } catch (error) {
    options.onBuild({ error: error as Error })
  }
  void build()

  return {
    close: async () => {
      closed = true
      clearTimeout(timer)
      watcher?.close()
      if (running) await running
    },
  }
}
