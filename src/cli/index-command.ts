import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import cliProgress from 'cli-progress'
import { checkUserDictionary } from '../analysis/segment.js'
import { buildIndex, NothingToIndexError, type BuildReport } from '../index/build.js'
import { refuseIndexFolder } from '../index/index-folder.js'
import { DICTIONARY_FILE, readManifest, SYNONYMS_FILE } from '../index/manifest.js'
import { storedText } from '../index/reader.js'
import { watchPosts } from '../index/watch.js'
import { checkSynonyms } from '../search/synonyms.js'
import { reportError } from './errors.js'
import { formatReport } from './terminal.js'
import { sinceLastBuild } from './watch-report.js'

export interface IndexCommandOptions {
  out: string
  workers?: number
  dict?: string
  full?: boolean
  synonyms?: string
}

export async function runIndex(postsFolder: string, options: IndexCommandOptions): Promise<void> {
  const report = await buildWithProgress(postsFolder, options.out, { workers: options.workers, dictFile: options.dict, synonymsFile: options.synonyms, full: options.full })
  process.stdout.write(formatReport(report) + '\n')
}

/** Builds an index, drawing a progress bar on a terminal; shared by `index` and `serve`. */
export async function buildWithProgress(
  postsFolder: string,
  outDir: string,
  extra: { workers?: number | undefined; dictFile?: string | undefined; full?: boolean | undefined; synonymsFile?: string | undefined } = {},
): Promise<BuildReport> {
  requirePostsFolder(postsFolder)
  const { userDictionary, synonyms } = readResources(extra, outDir)
  // linewrap true: by default the bar turns the terminal's line wrapping off until it stops, and Ctrl-C
  // (which ends the build at once) would leave the user's shell cutting every long line short; with true
  // it leaves the setting alone and cuts its own line to the terminal's width instead. (cli-progress's
  // README offers null for this, but its options read null as the default, false.)
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: 'indexing [{bar}] {value}/{total} posts  {eta}s left', stream: process.stderr, linewrap: true },
        cliProgress.Presets.shades_classic,
      )
    : null
  let started = false
  try {
    return await buildIndex({
      postsDir: postsFolder,
      outDir,
      workers: extra.workers,
      full: extra.full,
      userDictionary,
      synonyms,
      onProgress: (done, total) => {
        if (!bar) return
        if (!started) {
          bar.start(total, 0)
          started = true
        }
        bar.update(done)
      },
    })
  } finally {
    if (started) bar?.stop()
  }
}

/** Fails with a clear message unless `postsFolder` is a folder. */
export function requirePostsFolder(postsFolder: string): void {
  let isDir = false
  try {
    isDir = statSync(postsFolder).isDirectory()
  } catch {
    isDir = false
  }
  if (!isDir) throw new Error(`posts folder ${postsFolder} does not exist or is not a folder`)
}

/** `index --watch`: one build, then an incremental update after every burst of changes, until interrupted. */
export async function runIndexWatch(postsFolder: string, options: IndexCommandOptions): Promise<void> {
  // Watching nothing would print the error twice and exit 0, as if all were well.
  requirePostsFolder(postsFolder)
  // A folder no build may write (`--out ~`) would otherwise be retried, and refused, every few seconds.
  refuseIndexFolder(resolve(options.out), resolve(postsFolder))
  const named = { dictFile: options.dict, synonymsFile: options.synonyms }
  // Read once before watching, so a bad file stops the command at once rather than every build.
  readResources(named, options.out)
  // Each build lists only the notes and skips the one before it did not.
  let previous: BuildReport | null = null
  const watcher = watchPosts({
    postsDir: postsFolder,
    outDir: options.out,
    workers: options.workers,
    full: options.full,
    resources: { files: [options.dict, options.synonyms].filter((f): f is string => f !== undefined), read: () => readResources(named, options.out) },
    onBuild: (outcome) => {
      if ('report' in outcome) {
        const { report, repeated } = sinceLastBuild(outcome.report, previous)
        previous = outcome.report
        process.stdout.write(formatReport(report, undefined, repeated) + '\n')
      } else if (outcome.error instanceof NothingToIndexError) reportError(new Error(`${outcome.error.message}; waiting for posts`))
      else if (outcome.retryInMs !== undefined) reportError(new Error(`${outcome.error.message}; trying again in ${Math.ceil(outcome.retryInMs / 1000)} s, or at the next change`))
      else reportError(outcome.error)
    },
    onFolder: (state) =>
      process.stderr.write(
        state === 'gone'
          ? `posts folder ${postsFolder} is gone; the index stays as it is, and watching resumes when the folder is back\n`
          : `posts folder ${postsFolder} is back; watching it again\n`,
      ),
  })
  process.stderr.write(`watching ${postsFolder} for changes (Ctrl-C to stop)\n`)
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (!watcher.building) return void watcher.close().then(resolve)
      // A rebuild of thousands of posts would hold Ctrl-C (or systemd's stop) for seconds. Builds are
      // crash-safe, so it is abandoned as a one-shot `index` is: the signal, now unhandled, ends the process.
      process.stderr.write('stopped during a build: it is abandoned, and the index stays as the last finished build left it\n')
      process.kill(process.pid, signal)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

/**
 * The user dictionary and synonyms to build with: the files named, else the ones stored with the index
 * in `outDir`, as `search` and `serve` use them. A build that names none (a cron job, `serve --posts`)
 * keeps them rather than reading every post again without the dictionary and dropping the synonyms;
 * naming an empty file builds without.
 */
function readResources(files: { dictFile?: string | undefined; synonymsFile?: string | undefined }, outDir: string): { userDictionary: string; synonyms: string } {
  const stored = files.dictFile && files.synonymsFile ? {} : storedResources(outDir)
  const userDictionary = files.dictFile ? readFileSync(files.dictFile, 'utf8') : (stored.dictionary ?? '')
  try {
    checkUserDictionary(userDictionary)
  } catch (error) {
    // The workers would say which line, but not which file: the user may keep several dictionaries.
    throw new Error(`${files.dictFile}: ${(error as Error).message}`)
  }
  if (!files.synonymsFile) return { userDictionary, synonyms: stored.synonyms ?? '' }
  const synonyms = readFileSync(files.synonymsFile, 'utf8')
  try {
    checkSynonyms(synonyms)
  } catch (error) {
    // A line of one word (a group split with / or =) would otherwise be dropped without a word.
    throw new Error(`${files.synonymsFile}: ${(error as Error).message}`)
  }
  return { userDictionary, synonyms }
}

/** The user dictionary and synonyms stored with the index in `indexDir`; nothing when there is no index this jiansuo reads. */
function storedResources(indexDir: string): { dictionary?: string; synonyms?: string } {
  try {
    const manifest = readManifest(indexDir)
    return { dictionary: storedText(indexDir, manifest, DICTIONARY_FILE), synonyms: storedText(indexDir, manifest, SYNONYMS_FILE) }
  } catch {
    return {}
  }
}
