import { join } from 'node:path'
import { Container, CorruptIndexError, readTextFile } from './container.js'
import { DocStore, TEXT_BLOB, type DocStoreMeta } from './doc-store.js'
import { DICTIONARY_FILE, readManifest, SYNONYMS_FILE, type Manifest } from './manifest.js'
import { SOURCES } from './sources.js'
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
  /** Closes the files it reads from (the stored texts'): once a newer generation replaced it and no search uses it. */
  close(): void
  /** Whether a file it reads from as it searches (the stored texts') has been cut short since it was opened. */
  cutShort(): boolean
}

/**
 * One generation's files read into SharedArrayBuffers and checked once, ready to be opened by any
 * thread without reading or checking them again (structured clone shares the memory, copies nothing).
 */
export interface LoadedIndexFiles {
  dir: string
  manifest: Manifest
  /** Container files by name, viewing shared memory. */
  containers: Record<string, Uint8Array>
  /** Text files by name. */
  texts: Record<string, string>
}

const TEXT_FILES = new Set([DICTIONARY_FILE, SYNONYMS_FILE])
/** The build's record of the posts it read, for the next update: searching never opens it. */
const NOT_SEARCHED = new Set([SOURCES])

/**
 * Sections read from disk a range at a time instead of held in memory: the texts are the
 * bulk of docs.idx (125 of 140 MB at 100,000 posts) and a page of results needs ten of them.
 */
const ON_DISK: Record<string, readonly string[]> = { 'docs.idx': [TEXT_BLOB] }

/** Reads and checks every file of the committed generation in `dir` that searching opens into shared memory. */
export function loadIndexFiles(dir: string): LoadedIndexFiles {
  const manifest = readManifest(dir)
  const containers: Record<string, Uint8Array> = {}
  const texts: Record<string, string> = {}
  for (const [name, entry] of Object.entries(manifest.files)) {
    const path = join(dir, manifest.generation, name)
    if (NOT_SEARCHED.has(name)) continue
    if (TEXT_FILES.has(name)) texts[name] = readTextFile(path, entry)
    else {
      // Only its bytes are kept: each thread that opens them reads what was left on disk through a file of its own.
      const container = Container.open(path, entry, { shared: true, onDisk: ON_DISK[name] ?? [] })
      containers[name] = container.bytes
      container.close()
    }
  }
  return { dir, manifest, containers, texts }
}

/** A text file stored with the generation `manifest` commits (the user dictionary, the synonyms); '' when it has none. */
export function storedText(dir: string, manifest: Manifest, name: string): string {
  const entry = manifest.files[name]
  return entry ? readTextFile(join(dir, manifest.generation, name), entry) : ''
}

/** Opens the committed generation in `dir`, viewing `loaded` (from `loadIndexFiles(dir)`) instead of reading the files when given. */
export function openIndex(dir: string, loaded?: LoadedIndexFiles): IndexReader {
  const manifest = loaded?.manifest ?? readManifest(dir)
  const opened: Container[] = []
  const open = (name: string) => {
    const entry = manifest.files[name]
    const path = join(dir, manifest.generation, name)
    if (!entry) throw new CorruptIndexError(path, 'not listed in the manifest')
    const bytes = loaded?.containers[name]
    const container = bytes ? Container.fromBytes(path, bytes, ON_DISK[name]) : Container.open(path, entry, { onDisk: ON_DISK[name] ?? [] })
    opened.push(container)
    return container
  }
  const docsFile = open('docs.idx')
  const docs = new DocStore(docsFile, docsFile.meta as DocStoreMeta)
  if (docs.count !== manifest.documents) {
    throw new CorruptIndexError(join(dir, manifest.generation, 'docs.idx'), `holds ${docs.count} documents, manifest says ${manifest.documents}`)
  }
  const suggest = manifest.files[SUGGEST_FILE] ? open(SUGGEST_FILE) : null
  const text = (name: string) => loaded?.texts[name] ?? storedText(dir, manifest, name)
  return {
    dir,
    manifest,
    docs,
    grams: new TermSpace(open('grams.idx'), 'grams'),
    words: new TermSpace(open('words.idx'), 'words'),
    suggest,
    dictionary: text(DICTIONARY_FILE),
    synonyms: text(SYNONYMS_FILE),
    close: () => opened.forEach((container) => container.close()),
    cutShort: () => opened.some((container) => container.cutShort()),
  }
}
