import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/*
 * A replaced index generation is held in shared memory that each thread frees only when its collector
 * next runs, and a thread that merely answers searches may not run it for a long time: a server
 * reloading every few minutes grew by a generation's size per reload. After a reload, each thread
 * collects at once. The flag only exposes the collector; it changes nothing else.
 */
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** A full collection now, so a replaced generation's memory is returned. */
export function collectGarbage(): void {
  gc()
}
