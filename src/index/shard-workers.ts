import { statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import type { PostFile } from '../ingest/walk.js'
import type { ShardResult, ShardStart } from './build-worker.js'
import type { BuildOptions } from './build-options.js'
import { foldTable } from '../analysis/normalize.js'

/** Builds of fewer post files than this are analysed in-process: starting workers would cost more. */
const WORKER_FILES = 400

/**
 * Parses, analyzes and inverts the files: in worker threads when there are enough of them to pay off.
 * The workers also lay out their texts for the document store, so that work is spread too.
 *
 * Each worker sends its grams over a channel of its own, whose other end, one per shard in shard order,
 * is pushed onto `gramsPorts` before this returns to its caller (synchronously): for the build's tail,
 * which merges the grams. Their shards come back with `grams` null. An in-process analysis pushes none.
 */
export async function analyzeFiles(files: PostFile[], options: BuildOptions, gramsPorts: MessagePort[] = []): Promise<ShardResult[]> {
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), 16))
  const userDictionary = options.userDictionary ?? ''
  if (files.length < WORKER_FILES || workers === 1) {
    // Imported here: the main thread of a threaded build never parses a post.
    const { buildShard } = await import('./build-worker.js')
    return [buildShard({ files, userDictionary }, (d) => options.onProgress?.(d, files.length))]
  }
  let done = 0
  const progress = (n: number) => {
    done += n
    options.onProgress?.(done, files.length)
  }
  // Started first: they load while this thread makes the fold table, which the build's every thread
  // uses and one thread makes (~0.2 s each), and splits the files by size.
  const started = Array.from({ length: workers }, () => startWorker(userDictionary, progress))
  try {
    const fold = foldTable()
    const parts = partitionBySize(files, workers)
    for (const unused of started.splice(parts.length)) stopWorker(unused)
    started.forEach((s, i) => {
      const channel = new MessageChannel()
      gramsPorts.push(channel.port2)
      s.worker.postMessage({ task: { files: parts[i]!, userDictionary }, foldTable: fold, gramsPort: channel.port1 } satisfies ShardStart, [channel.port1])
    })
  } catch (error) {
    // A worker waiting for its files would keep the process alive.
    started.forEach(stopWorker)
    throw error
  }
  return await Promise.all(started.map((s) => s.result))
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
