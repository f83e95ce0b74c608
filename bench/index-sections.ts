/**
 * Where an index's bytes go: every file of the current generation, and for each container file the size
 * of each section (term keys, term table, postings, positions, checkpoints, stored text …), largest first.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/index-sections.js <index folder>
 */
import { join } from 'node:path'
import { type Command } from 'commander'
import { Container } from '../src/index/container.js'
import { readManifest } from '../src/index/manifest.js'
import { benchCommand, orUsageError } from './lib/cli.js'

const program: Command = benchCommand('node dist/bench/index-sections.js', "where an index's bytes go: each file of its current generation, and each container file's sections")
  .argument('<index-folder>', 'the index to read')
  .parse()
const indexDir = program.args[0]!
const manifest = orUsageError(program, () => readManifest(indexDir))
const mb = (bytes: number) => (bytes / 1e6).toFixed(2).padStart(8)
let total = 0
for (const [name, entry] of Object.entries(manifest.files).sort((a, b) => b[1].bytes - a[1].bytes)) {
  total += entry.bytes
  console.log(`${mb(entry.bytes)} MB  ${name}`)
  if (!name.endsWith('.idx')) continue
  const sections = Container.open(join(indexDir, manifest.generation, name), entry).sectionSizes()
  for (const section of sections.sort((a, b) => b.bytes - a.bytes)) console.log(`${mb(section.bytes)} MB    ${section.name}`)
}
console.log(`${mb(total)} MB  in all (${manifest.documents} documents)`)
