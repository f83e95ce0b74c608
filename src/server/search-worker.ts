/**
 * A search thread of the SearchPool: opens an engine on index bytes the main thread already loaded
 * into shared memory, answers searches with serialized bodies, and switches to a new generation
 * when told. Messages are handled in order, so every search sent after a `load` uses the new index.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { adoptFoldTable } from '../analysis/normalize.js'
import type { LoadedIndexFiles } from '../index/reader.js'
import { SearchEngine, type EngineOptions } from '../search/engine.js'
import { collectGarbage } from '../index/collect-garbage.js'
import { encodeSearch } from './encoded-search.js'
import type { FromWorker, SearchWorkerData, ToWorker } from './search-pool.js'

if (!parentPort) throw new Error('search-worker.js runs as a worker thread of SearchPool')
const port = parentPort
const { files, engine: engineOptions, foldTable } = workerData as SearchWorkerData
adoptFoldTable(foldTable)

function open(loaded: LoadedIndexFiles, options: EngineOptions): { engine: SearchEngine; generation: string } {
  const engine = SearchEngine.open(loaded.dir, { ...options, files: loaded })
  return { engine, generation: loaded.manifest.generation }
}

let serving = open(files, engineOptions)
const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer)

port.on('message', (message: ToWorker) => {
  if (message.type === 'search') {
    // Let the tests crash or hang a worker mid-search the way a fatal bug would; unset in every real run.
    const failpoint = process.env.JIANSUO_FAILPOINT
    if (failpoint === `search-worker:${message.params.q}`) process.exit(70)
    if (failpoint === `search-worker-stall:${message.params.q}`) for (;;);
    if (failpoint === `search-worker-slow:${message.params.q}`) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500)
    try {
      // A query cut for another generation (a reload crossing it) may be cut differently: cut it here then.
      const analyzed = message.prepared?.generation === serving.generation ? message.prepared.analyzed : undefined
      const encoded = encodeSearch(serving.engine.search(message.params, analyzed), serving.generation)
      send({ type: 'result', id: message.id, encoded }, [encoded.bytes.buffer as ArrayBuffer])
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err))
      send({ type: 'error', id: message.id, name: error.name, message: error.message, stack: error.stack ?? '' })
    }
  } else {
    try {
      const previous = serving
      serving = open(message.files, engineOptions)
      // Messages are handled one at a time: no search of this thread is using the previous engine.
      previous.engine.close()
      collectGarbage()
      send({ type: 'loaded', generation: serving.generation })
    } catch (err) {
      send({ type: 'load-failed', message: err instanceof Error ? err.message : String(err) })
    }
  }
})

send({ type: 'ready', generation: serving.generation })
