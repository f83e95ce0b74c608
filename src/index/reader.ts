import { join } from 'node:path'
import { Container, CorruptIndexError, readTextFile } from './container.js'
import { DocStore, type DocStoreMeta } from './doc-store.js'
import { DICTIONARY_FILE, readManifest, SYNONYMS_FILE, type Manifest } from './manifest.js'
import { TermSpace } from './term-space.js'
import { SUGGEST_FILE } from '../suggest/file.js'

/** A loaded index: every file checked against the manifest's checksums, then viewed in place. */
export interface IndexReader {
  dir: string
  manifest: Manifest
  docs: DocStore
  grams: TermSpace
  words: TermSpace
  /** The user dictionary the documents were segmented with ('' when none). */
  dictionary: string
  /** Synonym groups, one per line, applied when queries are parsed. */
  synonyms: string
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
  const text = (name: string) => {
    const entry = manifest.files[name]
    return entry ? readTextFile(join(dir, manifest.generation, name), entry) : ''
  }
  return {
    dir,
    manifest,
    docs,
    grams: new TermSpace(open('grams.idx'), 'grams'),
    words: new TermSpace(open('words.idx'), 'words'),
    suggest,
    dictionary: text(DICTIONARY_FILE),
    synonyms: text(SYNONYMS_FILE),
  }
}
