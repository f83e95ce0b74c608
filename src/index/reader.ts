import { join } from 'node:path'
import { Container, CorruptIndexError } from './container.js'
import { DocStore, type DocStoreMeta } from './doc-store.js'
import { readManifest, type Manifest } from './manifest.js'
import { TermSpace } from './term-space.js'
import { SUGGEST_FILE } from '../suggest/file.js'

/** A loaded index: every file checked against the manifest's checksums, then viewed in place. */
export interface IndexReader {
  dir: string
  manifest: Manifest
  docs: DocStore
  grams: TermSpace
  words: TermSpace
  /** The suggestion index's file, checked but not yet parsed; null in an index built before suggestions. */
  suggest: Container | null
}

export function openIndex(dir: string): IndexReader {
  const manifest = readManifest(dir)
  const open = (name: string) => {
    const entry = manifest.files[name]
    const path = join(dir, manifest.generation, name)
    if (!entry) throw new CorruptIndexError(path, 'not listed in the manifest')
    return Container.open(path, entry)
  }
  const docsFile = open('docs.idx')
  const docs = new DocStore(docsFile, docsFile.meta as DocStoreMeta)
  if (docs.count !== manifest.documents) {
    throw new CorruptIndexError(join(dir, manifest.generation, 'docs.idx'), `holds ${docs.count} documents, manifest says ${manifest.documents}`)
  }
  const suggest = manifest.files[SUGGEST_FILE] ? open(SUGGEST_FILE) : null
  return { dir, manifest, docs, grams: new TermSpace(open('grams.idx'), 'grams'), words: new TermSpace(open('words.idx'), 'words'), suggest }
}
