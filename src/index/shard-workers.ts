import { statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import type { PostFile } from '../ingest/walk.js'
import type { ShardResult, ShardStart } from './build-worker.js'
import type { BuildOptions } from './build-options.js'
import { foldTable } from '../analysis/normalize.js'

/** Builds of fewer post files than this are analysed in-process: starting workers would cost more. */
const WORKER_FILES = 400

/** Whether a build reading this many files analyses them in worker threads (see analyzeFiles). */
export function analysedInWorkers(files: number, options: BuildOptions): boolean {
  return files >= WORKER_FILES && workerCount(options) > 1
}

function workerCount(options: BuildOptions): number {
  return Math.max(1, Math.min(options.workers ?? availableParallelism(), 16))
}

/**
 * Parses, analyzes and inverts the files: in worker threads when there are enough of them to pay off.
 * The workers also lay out their texts for the document store, so that work is spread too.
 *
 * Each worker sends its grams over a channel of its own, whose other end, one per shard in shard order,
 * is pushed onto `gramsPorts` before this returns to its caller (synchronously): for the build's tail,
 * which merges the grams. Their shards come back with `grams` null. An in-process analysis pushes none.
 * `prestarted`: workers the build started before it knew the files, which this takes over (or stops).
 */
export async function analyzeFiles(files: PostFile[], options: BuildOptions, gramsPorts: MessagePort[] = [], prestarted: BuildWorkers | null = null): Promise<ShardResult[]> {
  if (!analysedInWorkers(files.length, options)) {
    prestarted?.stop()
    // Imported here: the main thread of a threaded build never parses a post.
    const { buildShard } = await import('./build-worker.js')
    return [buildShard({ files, userDictionary: options.userDictionary ?? '' }, (d) => options.onProgress?.(d, files.length))]
  }
  return (prestarted ?? new BuildWorkers(options)).analyze(files, gramsPorts)
}

/**
 * A build's worker threads, loading their analyzer (jieba's dictionary, ~0.5 s) from the moment they
 * are made: a full build of a large folder makes them while it still lists the posts.
 */
export class BuildWorkers {
  private started: StartedWorker[]
  private readonly userDictionary: string
  private total = 0
  private done = 0

  constructor(options: BuildOptions) {
    this.userDictionary = options.userDictionary ?? ''
    const progress = (n: number) => {
      this.done += n
      options.onProgress?.(this.done, this.total)
    }
    this.started = Array.from({ length: workerCount(options) }, () => startWorker(this.userDictionary, progress))
  }

  /** Stops the workers not yet handed files (a build that failed, or had too few files for them). */
  stop(): void {
    this.started.splice(0).forEach(stopWorker)
  }

  /** Hands the workers their runs of the files (see analyzeFiles); the ports are pushed before this returns. */
  analyze(files: PostFile[], gramsPorts: MessagePort[]): Promise<ShardResult[]> {
    const started = this.started.splice(0)
    this.total = files.length
    try {
      // While the workers load, this thread makes the fold table, which the build's every thread uses
      // and one thread makes (~0.2 s each), and splits the files by size.
      const fold = foldTable()
      const parts = partitionBySize(files, started.length)
      for (const unused of started.splice(parts.length)) stopWorker(unused)
      started.forEach((s, i) => {
        const channel = new MessageChannel()
        gramsPorts.push(channel.port2)
        s.worker.postMessage({ task: { files: parts[i]!, userDictionary: this.userDictionary }, foldTable: fold, gramsPort: channel.port1 } satisfies ShardStart, [channel.port1])
      })
    } catch (error) {
      // A worker waiting for its files would keep the process alive.
      started.forEach(stopWorker)
      throw error
    }
    return Promise.all(started.map((s) => s.result))
  }
}

/** Splits files into contiguous runs of similar total size, so workers finish together and ids stay in file order. */
function partitionBySize(files: PostFile[], parts: number): PostFile[][] {
  if (parts <= 1 || files.length === 0) return [files]
  const sizes = files.map((f) => {
    try {
      return statSync(f.absPath).size
    } catch {
      return 0
    }
  })
  const total = sizes.reduce((a, b) => a + b, 0)
  const out: PostFile[][] = []
  let current: PostFile[] = []
  let acc = 0
  files.forEach((file, i) => {
    current.push(file)
    acc += sizes[i]!
    if (acc >= (total * (out.length + 1)) / parts && out.length < parts - 1) {
      out.push(current)
      current = []
    }
  })
  out.push(current)
  return out.filter((p) => p.length > 0)
}

/** A build worker and the shard it will send. */
interface StartedWorker {
  worker: Worker
  result: Promise<ShardResult>
}

function stopWorker(started: StartedWorker): void {
  started.result.catch(() => {}) // it exits without a result, as asked
  void started.worker.terminate()
}

/** A build worker, loading its analyzer until it is sent its {@link ShardStart}. */
function startWorker(userDictionary: string, onProgress: (n: number) => void): StartedWorker {
  const worker = new Worker(new URL('./build-worker.js', import.meta.url), {
    workerData: { role: 'jiansuo-build', userDictionary },
  })
  const result = new Promise<ShardResult>((resolvePromise, reject) => {
    let settled = false
    worker.on('message', (message: { type: 'progress'; done: number } | { type: 'done'; result: ShardResult }) => {
      if (message.type === 'progress') onProgress(message.done)
      else {
        settled = true
        resolvePromise(message.result)
        void worker.terminate()
      }
    })
    worker.on('error', (error) => {
      settled = true
      reject(error)
    })
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`index worker exited with code ${code}`))
    })
  })
  return { worker, result }
}
