import { Container, CorruptIndexError, writeContainer } from '../index/container.js'
import type { FileEntry } from '../index/manifest.js'
import type { SuggestData } from './suggest-index.js'

/** The suggestion index's file in a generation folder, listed in the manifest like the others. */
export const SUGGEST_FILE = 'suggest.idx'

const FORMAT = 'jiansuo-suggest'
const VERSION = 1
const SECTION = 'suggest.json'

interface SuggestMeta {
  format: typeof FORMAT
  version: number
  words: number
  titles: number
}

/**
 * Writes the suggestion index as one container file: FlexSearch exports many keys, and one file
 * with one checksum in the manifest keeps the generation's commit atomic like every other file.
 */
export function writeSuggestFile(path: string, data: SuggestData): FileEntry {
  const meta: SuggestMeta = { format: FORMAT, version: VERSION, words: data.wordKeys.length, titles: data.titles.length }
  return writeContainer(path, meta, { [SECTION]: new TextEncoder().encode(JSON.stringify(data)) })
}

/** Reads what writeSuggestFile wrote, from a container the reader has already checked against the manifest. */
export function readSuggestData(container: Container, path: string): SuggestData {
  const meta = container.meta as Partial<SuggestMeta> | null
  if (meta?.format !== FORMAT) throw new CorruptIndexError(path, 'not a suggestion index')
  if (meta.version !== VERSION) {
    throw new CorruptIndexError(path, `suggestion format ${String(meta.version)}, this jiansuo reads ${VERSION}: rebuild the index`)
  }
  try {
    return JSON.parse(new TextDecoder().decode(container.u8(SECTION))) as SuggestData
  } catch {
    throw new CorruptIndexError(path, 'unreadable suggestion data')
  }
}
