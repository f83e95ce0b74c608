/** Latency samples in milliseconds, summarised the way the results table shows them. */
export interface LatencySummary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
}

/** Nearest-rank percentiles over the samples (which are sorted in place). */
export function summarize(samples: Float64Array): LatencySummary {
  const sorted = samples.sort()
  const n = sorted.length
  if (n === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN }
  const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!
  let sum = 0
  for (const v of sorted) sum += v
  return { count: n, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[n - 1]!, mean: sum / n }
}

export interface Timings {
  /** Each item's wall milliseconds, in item order. */
  ms: Float64Array
  /** Process CPU milliseconds (user + system) over the timed pass: less sensitive than wall time to a busy machine. */
  cpuMs: number
}

/**
 * Times `run` once per item after an untimed warm-up over the first `warmup` items (JIT, caches), and
 * returns each item's milliseconds in item order. `run` sees each item's index, and the timed call comes last.
 */
export function timeEach<T>(items: readonly T[], warmup: number, run: (item: T, index: number) => void): Float64Array {
  return timePass(items, warmup, run).ms
}

/** {@link timeEach}, also reporting the CPU time of the timed pass. */
export function timePass<T>(items: readonly T[], warmup: number, run: (item: T, index: number) => void): Timings {
  for (let i = 0; i < Math.min(warmup, items.length); i++) run(items[i]!, i)
  const ms = new Float64Array(items.length)
  const cpu = process.cpuUsage()
  items.forEach((item, i) => {
    const started = performance.now()
    run(item, i)
    ms[i] = performance.now() - started
  })
  const spent = process.cpuUsage(cpu)
  return { ms, cpuMs: (spent.user + spent.system) / 1000 }
}
