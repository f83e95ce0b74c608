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
  /** Process CPU milliseconds (user + system) per timed pass: less sensitive than wall time to a busy machine. */
  cpuMs: number
}

/**
 * Times `run` once per item after an untimed warm-up over the first `warmup` items (JIT, caches), and
 * returns each item's milliseconds in item order. `run` sees each item's index, and the timed call comes last.
 */
export function timeEach<T>(items: readonly T[], warmup: number, run: (item: T, index: number) => void): Float64Array {
  return timePass(items, warmup, run).ms
}

/**
 * {@link timeEach}, also reporting the CPU time of a timed pass. With `passes` > 1 the items are timed
 * in that many whole passes, one after another, and each keeps its median: on a shared machine a burst
 * of someone else's work then moves a query's figure only when it hits the same query in most passes.
 */
export function timePass<T>(items: readonly T[], warmup: number, run: (item: T, index: number) => void, passes = 1): Timings {
  for (let i = 0; i < Math.min(warmup, items.length); i++) run(items[i]!, i)
  const samples = Array.from({ length: passes }, () => new Float64Array(items.length))
  const cpu = process.cpuUsage()
  for (const ms of samples) {
    items.forEach((item, i) => {
      const started = performance.now()
      run(item, i)
      ms[i] = performance.now() - started
    })
  }
  const spent = process.cpuUsage(cpu)
  return { ms: medianPerItem(samples), cpuMs: (spent.user + spent.system) / 1000 / passes }
}

/** Each item's median over the passes (the lower middle for an even count). */
export function medianPerItem(samples: readonly Float64Array[]): Float64Array {
  if (samples.length === 1) return samples[0]!
  const n = samples[0]?.length ?? 0
  const out = new Float64Array(n)
  const column = new Float64Array(samples.length)
  for (let i = 0; i < n; i++) {
    samples.forEach((ms, pass) => (column[pass] = ms[i]!))
    out[i] = column.sort()[(samples.length - 1) >> 1]!
  }
  return out
}
