import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { Container, CorruptIndexError, writeContainer } from '../index/container.js'
import type { FileEntry } from '../index/manifest.js'
import type { SuggestData } from './suggest-index.js'

/** The suggestion index's file in a generation folder, listed in the manifest like the others. */
export const SUGGEST_FILE = 'suggest.idx'

const FORMAT = 'jiansuo-suggest'
/** 2: deflated, titles named by document number (1 was plain JSON with each title's text and id). */
const VERSION = 2
const SECTION = 'suggest.json.deflated'
const TITLE_DOCS = 'titleDocs'
/**
 * Written last on the build's main thread, at its end: zlib's default level 6 took ~170 ms of CPU
 * for the 20,007 posts' 6.2 MB, level 4 ~75 ms for 3.6% more bytes (2.06 → 2.13 MB).
 */
const DEFLATE_LEVEL = 4

interface SuggestMeta {
  format: typeof FORMAT
  version: number
  words: number
  titles: number
}

/** Where stored titles are read back from: the index's document store. */
export interface TitleSource {
  readonly count: number
  title(doc: number): string
  id(doc: number): string
}

/**
 * Writes the suggestion index as one container file: FlexSearch exports many keys, and one file
 * with one checksum in the manifest keeps the generation's commit atomic like every other file.
 * Titles are not repeated: each is stored as the number of its document (`titleDocs`), whose title
 * and id the document store already holds. The rest is deflated JSON (6.2 → 2.1 MB on the 20,007
 * shared posts; inflating costs about 25 ms on first use).
 */
export function writeSuggestFile(path: string, data: SuggestData, titleDocs: Uint32Array): FileEntry {
  if (titleDocs.length !== data.titles.length) throw new Error('suggestions: one document number per title is needed')
  const meta: SuggestMeta = { format: FORMAT, version: VERSION, words: data.wordKeys.length, titles: data.titles.length }
  const { titles: _, ...rest } = data
  return writeContainer(path, meta, { [SECTION]: deflateRawSync(JSON.stringify(rest), { level: DEFLATE_LEVEL }), [TITLE_DOCS]: titleDocs })
}

/** Reads what writeSuggestFile wrote, from a container the reader has already checked against the manifest. */
export function readSuggestData(container: Container, path: string, docs: TitleSource): SuggestData {
  const rest = readStored(container, path)
  const titleDocs = container.u32(TITLE_DOCS)
  const titles = Array.from(titleDocs, (doc): [string, string] => {
    if (doc >= docs.count) throw new CorruptIndexError(path, `a title names document ${doc} of ${docs.count}`)
    return [docs.title(doc).trim(), docs.id(doc)]
  })
  return { ...rest, titles }
}

/** The vocabulary's words and the pinyin readings alone (see SuggestData), without importing the indexes. */
export function readSuggestedWords(container: Container, path: string): Pick<SuggestData, 'wordKeys' | 'readings' | 'characterReadings'> {
  const { wordKeys, readings, characterReadings } = readStored(container, path)
  return { wordKeys, ...(readings && { readings }), ...(characterReadings && { characterReadings }) }
}

/** The stored JSON but the titles, checked for its format. */
function readStored(container: Container, path: string): Omit<SuggestData, 'titles'> {
  const meta = container.meta as Partial<SuggestMeta> | null
  if (meta?.format !== FORMAT) throw new CorruptIndexError(path, 'not a suggestion index')
  if (meta.version !== VERSION) {
    throw new CorruptIndexError(path, `suggestion format ${String(meta.version)}, this jiansuo reads ${VERSION}: rebuild the index`)
  }
  try {
    return JSON.parse(inflateRawSync(container.u8(SECTION)).toString('utf8')) as Omit<SuggestData, 'titles'>
  } catch {
    throw new CorruptIndexError(path, 'unreadable suggestion data')
  }
}
