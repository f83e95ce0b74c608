/**
 * Document store, in process: the size of `docs.idx` (its sections: bench/index-sections.ts), and how long one hit's text, display
 * fields and title take to decode (what a page of results costs per hit, before snippets are cut).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/doc-store.js <index folder> [--samples 5000] [--seed 1]
 *
 * Documents are drawn at random (seeded), each read once from a fresh store so the decoded-text cache
 * does not answer; a page's hits are as likely to be anywhere in the archive.
 */
import { join } from 'node:path'
import { type Command } from 'commander'
import { Container } from '../src/index/container.js'
import { DocStore, type DocStoreMeta } from '../src/index/doc-store.js'
import { readManifest } from '../src/index/manifest.js'
import { benchCommand, orUsageError, wholeNumber } from './lib/cli.js'
import { mulberry32 } from './lib/prng.js'
import { summarize, timeEach } from './scale/latency.js'

const program: Command = benchCommand('node dist/bench/doc-store.js', "the size of an index's docs.idx, and how long one hit's text, display fields and title take to decode")
  .argument('<index-folder>', 'the index to read')
  .option('--samples <n>', 'documents drawn at random', wholeNumber(1), 5000)
  .option('--seed <n>', 'seed of the draw', wholeNumber(0), 1)
  .parse()
const values = program.opts<{ samples: number; seed: number }>()
const indexDir = program.args[0]!
const manifest = orUsageError(program, () => readManifest(indexDir))
const path = join(indexDir, manifest.generation, 'docs.idx')
const container = Container.open(path, manifest.files['docs.idx'])
const open = () => new DocStore(container, container.meta as DocStoreMeta, path)
const count = open().count
const random = mulberry32(values.seed)
const docs = Array.from({ length: values.samples }, () => Math.floor(random() * count))

console.log(`docs.idx ${(manifest.files['docs.idx']!.bytes / 1e6).toFixed(2)} MB, ${count} documents`)
const fields: [string, (store: DocStore, doc: number) => unknown][] = [
  ['text', (s, d) => s.text(d)],
  ['display', (s, d) => s.display(d)],
  ['title', (s, d) => s.title(d)],
]
let chars = 0
for (const [name, read] of fields) {
  const store = open()
  const ms = timeEach(docs, 200, (doc) => {
    const value = read(store, doc)
    if (name === 'text') chars += (value as string).length
  })
  const s = summarize(ms)
  const us = (v: number) => (v * 1000).toFixed(1)
  console.log(`${name.padEnd(8)} µs per document: p50 ${us(s.p50)}  p95 ${us(s.p95)}  p99 ${us(s.p99)}  mean ${us(s.mean)}`)
}
console.log(`(text: ${(chars / docs.length).toFixed(0)} characters per sampled document on average)`)
