import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/*
 * Some memory is freed only when a thread's collector next runs, and a thread may not run it at the
 * moment that matters: a server's replaced index generation, held in shared memory (a server
 * reloading every few minutes grew by a generation's size per reload), or what a build thread no
 * longer needs while the build nears its peak. Those threads collect at once. The flag only exposes
 * the collector; it changes nothing else.
 */
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** A full collection now, so that memory no longer referenced is returned. */
export function collectGarbage(): void {
  gc()
}
