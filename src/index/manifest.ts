import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { CorruptIndexError } from './container.js'
import { failpoint } from './failpoint.js'
import { postsFolderSign } from '../ingest/walk.js'

/** Bumped whenever the on-disk layout changes; an index of another format must be rebuilt. */
export const FORMAT_VERSION = 8

export interface FileEntry {
  bytes: number
  crc32: number
}

/**
 * The commit point of an index. Everything it names is written and synced before it is renamed into
 * place, so a reader sees either the previous index or the new one, never half of one.
 */
export interface Manifest {
  format: 'jiansuo-index'
  version: number
  /** Sub-folder holding this index's files. */
  generation: string
  createdAt: string
  /** The analysis chain's stamp: a query must be analyzed the same way the documents were. */
  analysis: string
  documents: number
  files: Record<string, FileEntry>
  /** The posts folder the index was built from (absolute), so a later jiansuo can rebuild it when the format changes. */
  posts?: string
  /** How its posts were read (INGEST_VERSION): an update keeps documents only when it reads posts the same way. */
  ingest?: number
}

export const MANIFEST = 'manifest.json'
/** What to do when the folder given for the index is something else's. */
export const OWN_FOLDER = 'write the index to a folder of its own (--out for `index`, --index for `serve`; default index-data)'
/** The user dictionary and synonyms a generation was built with, kept with it so readers use the same ones. */
export const DICTIONARY_FILE = 'dictionary.txt'
export const SYNONYMS_FILE = 'synonyms.txt'

export function writeManifest(indexDir: string, manifest: Manifest): void {
  const tmp = join(indexDir, `${MANIFEST}.tmp-${process.pid}`)
  const fd = openSync(tmp, 'w')
  try {
    writeFileSync(fd, JSON.stringify(manifest, null, 2) + '\n')
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  failpoint('manifest-written')
  const path = join(indexDir, MANIFEST)
  try {
    renameSync(tmp, path)
  } catch (error) {
    rmSync(tmp, { force: true })
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new Error(folderAt(path, "index's manifest"))
    throw error
  }
  syncDir(indexDir)
}

/** Fails before a build starts, rather than at its commit, when a folder sits where the manifest goes. */
export function refuseManifestFolder(indexDir: string): void {
  const path = join(indexDir, MANIFEST)
  refuseFolderAt(path, "index's manifest")
}

/**
 * Fails before a build starts when the index folder's manifest.json is another program's (a web app's,
 * an extension's): the build would replace it. Every manifest jiansuo ever wrote names its format; one
 * that is not JSON at all may be ours cut short, and is rebuilt over as a damaged index is.
 */
export function refuseForeignManifest(indexDir: string): void {
  const path = join(indexDir, MANIFEST)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return // none, unreadable or not JSON: the build reports or replaces it as before
  }
  if ((parsed as { format?: unknown } | null)?.format === 'jiansuo-index') return
  throw new Error(`${path} is not a jiansuo index's manifest (another program's file, which building would replace): ${OWN_FOLDER}`)
}

/** Refuses a folder found where the index folder keeps one of its files (a user's mkdir, a bad copy), saying what to do. */
export function refuseFolderAt(path: string, what: string): void {
  if (lstatSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new Error(folderAt(path, what))
}

function folderAt(path: string, what: string): string {
  return `${path} is a folder, where jiansuo keeps its ${what} file: remove it, then build again`
}

export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Some file systems cannot sync a directory; the rename is still atomic there.
  }
}

/** An index another version of jiansuo wrote: intact, but laid out differently, so it must be rebuilt. */
export class OtherFormatError extends CorruptIndexError {
  constructor(
    path: string,
    readonly found: unknown,
    /** The posts folder the old index names as its source, when it does. */
    readonly posts?: string,
  ) {
    super(path, `index format ${String(found)}, this jiansuo reads ${FORMAT_VERSION}: rebuild the index`)
    // Intact, not damaged: say so, and how to rebuild it.
    const indexDir = dirname(path)
    this.message =
      `the index in ${indexDir} was written by another version of jiansuo (format ${String(found)}, this one reads ${FORMAT_VERSION}): ` +
      `rebuild it with \`npx jiansuo index ${posts ?? '<posts-folder>'} --out ${indexDir}\``
    this.name = 'OtherFormatError'
  }
}

/** How writeGeneration names a generation folder (`gen-<ms base 36>-<6 hex>`): pruning removes only folders named so, never a user's own `gen-notes`. */
export const GENERATION_NAME = /^gen-[0-9a-z]+-[0-9a-f]{6}$/

/**
 * The index folder holding `dir` as one of its generations, or null. The build summary names a file in
 * a generation folder, so that folder gets given as the index: it has no manifest of its own.
 */
export function enclosingIndex(dir: string): string | null {
  const parent = dirname(dir)
  return GENERATION_NAME.test(basename(dir)) && existsSync(join(parent, MANIFEST)) ? parent : null
}

/** Refuses a generation folder given as the index folder: read, it has no manifest; written into, it would hide a second index inside the first. */
export function refuseGenerationFolder(dir: string): void {
  const index = enclosingIndex(dir)
  if (index !== null) throw new Error(`${dir} is a generation folder inside the index ${index}: give the index folder itself (${index})`)
}

export class MissingIndexError extends Error {
  constructor(readonly indexDir: string) {
    super(
      postsFolderSign(indexDir) === null
        ? `no index in ${indexDir}: build one with \`npx jiansuo index <posts-folder> --out ${indexDir}\``
        : `${indexDir} holds posts, not an index: build one with \`npx jiansuo index ${indexDir} --out index-data\`, then use --index index-data`,
    )
    this.name = 'MissingIndexError'
  }
}

export function readManifest(indexDir: string): Manifest {
  const path = join(indexDir, MANIFEST)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      refuseGenerationFolder(indexDir)
      throw new MissingIndexError(indexDir)
    }
    // A file given where the index folder belongs (--index README.md) is a wrong path, not a damaged index.
    if (code === 'ENOTDIR') throw new Error(`${indexDir} is a file, not an index folder: give the folder \`npx jiansuo index\` wrote (default index-data)`)
    throw new CorruptIndexError(path, `cannot be read (${(error as Error).message})`)
  }
  let manifest: Manifest
  try {
    manifest = JSON.parse(text) as Manifest
  } catch {
    throw new CorruptIndexError(path, 'not valid JSON')
  }
  if (manifest.format !== 'jiansuo-index' || typeof manifest.generation !== 'string' || !manifest.files) {
    throw new CorruptIndexError(path, 'not a jiansuo manifest')
  }
  if (manifest.version !== FORMAT_VERSION) {
    const posts = (manifest as { posts?: unknown }).posts
    throw new OtherFormatError(path, manifest.version, typeof posts === 'string' ? posts : undefined)
  }
  return manifest
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true })
}
