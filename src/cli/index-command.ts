import { readFileSync, statSync } from 'node:fs'
import cliProgress from 'cli-progress'
import { buildIndex, type BuildReport } from '../index/build.js'
import { formatReport } from './terminal.js'

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
  let isDir = false
  try {
    isDir = statSync(postsFolder).isDirectory()
  } catch {
    isDir = false
  }
  if (!isDir) throw new Error(`posts folder ${postsFolder} does not exist or is not a folder`)
  const userDictionary = extra.dictFile ? readFileSync(extra.dictFile, 'utf8') : ''
  const synonyms = extra.synonymsFile ? readFileSync(extra.synonymsFile, 'utf8') : ''
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: 'indexing [{bar}] {value}/{total} posts  {eta}s left', stream: process.stderr }, cliProgress.Presets.shades_classic)
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
