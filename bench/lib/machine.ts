import { availableParallelism, cpus, totalmem } from 'node:os'

/** The machine a benchmark ran on, as one line for a results file. */
export function describeMachine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU'
  const memory = (totalmem() / 2 ** 30).toFixed(0)
  return `${availableParallelism()} × ${model}, ${memory} GiB RAM, Node ${process.version} on ${process.platform}-${process.arch}`
}
