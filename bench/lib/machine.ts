import { availableParallelism, cpus, totalmem } from 'node:os'

/** The machine a benchmark ran on, as one line for a results file. */
export function describeMachine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU'
  const memory = (totalmem() / 2 ** 30).toFixed(0)
  return `${availableParallelism()} × ${model}, ${memory} GiB RAM, Node ${process.version} on ${process.platform}-${process.arch}`
}

/**
 * Milliseconds this machine takes for a fixed single-thread workload, fastest of `runs`: the same
 * model name can be a host twice as fast on one day as on another (a shared virtual machine), so a
 * results file says how fast its machine ran, and two of them can tell a slower machine from a slower
 * jiansuo. The workload is the kind a search does: scattered reads and writes in a typed array
 * larger than the caches, and short strings built and compared.
 */
export function machineSpeedMs(runs = 5): number {
  let fastest = Infinity
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    workload()
    fastest = Math.min(fastest, performance.now() - started)
  }
  return Math.round(fastest * 10) / 10
}

/** Returns a checksum so that no step can be optimized away. */
function workload(): number {
  const table = new Uint32Array(1 << 21)
  let x = 1
  for (let i = 0; i < 1 << 23; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    table[x >>> 11] = (table[x >>> 11]! + i) >>> 0
  }
  let words = 0
  for (let i = 0; i < 1 << 16; i++) {
    const word = String.fromCharCode(0x4e00 + (table[i]! & 0xfff), 0x4e00 + (i & 0xfff))
    if (word.localeCompare('中文') > 0) words++
  }
  return x + words
}
