import { closeSync, createReadStream, openSync, writeSync } from 'node:fs'
import { createInterface } from 'node:readline'

/**
 * One JSON value per line. Peers' exports go through this instead of one JSON.stringify of the whole
 * index, which at 100,000 posts can pass V8's longest string.
 */
export function writeNdjson(path: string, values: Iterable<unknown>): number {
  const fd = openSync(path, 'w')
  let count = 0
  try {
    for (const value of values) {
      writeSync(fd, `${JSON.stringify(value)}\n`)
      count++
    }
  } finally {
    closeSync(fd)
  }
  return count
}

export async function* readNdjson<T>(path: string): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
  for await (const line of lines) if (line) yield JSON.parse(line) as T
}
