/**
 * Where an index's bytes go: every file of the current generation, and for each container file the size
 * of each section (term keys, term table, postings, positions, checkpoints, stored text …), largest first.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/index-sections.js <index folder>
 */
import { join } from 'node:path'
import { Container } from '../src/index/container.js'
import { readManifest } from '../src/index/manifest.js'

const indexDir = process.argv[2]
if (!indexDir) throw new Error('usage: node dist/bench/index-sections.js <index folder>')
const manifest = readManifest(indexDir)
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
