import { randomBytes } from 'node:crypto'
import { readdirSync, rmSync, type Dirent } from 'node:fs'
import { join } from 'node:path'
import type { IngestNote } from '../ingest/document.js'
import { INGEST_VERSION } from '../ingest/ingest-version.js'
import type { Skip } from './build-worker.js'
import { writeContainer, writeTextFile } from './container.js'
import { failpoint } from './failpoint.js'
import { collectGarbage } from './collect-garbage.js'
import { dictionaryTerms } from './dictionary-reader.js'
import { docStoreSections } from './doc-store.js'
import { DICTIONARY_FILE, ensureDir, FORMAT_VERSION, GENERATION_NAME, MANIFEST, readManifest, SYNONYMS_FILE, syncDir, writeManifest, type Manifest } from './manifest.js'
import { SOURCES, writeSources } from './sources.js'
import { writeStamps, type GenerationStamps } from './file-stamps.js'
import { SUGGEST_FILE } from '../suggest/file.js'
import { wordSuggestionsOf, writeSuggestHalves } from '../suggest/build.js'
import { sectionDictionary } from '../suggest/term-dictionary.js'
import type { Assembled } from './assemble.js'
import type { BuildReport } from './build-options.js'
import { replaceFile } from './replace-file.js'

/**
 * Writes a new generation folder, syncs it, then commits it by renaming a new manifest into place.
 * Until that rename, readers keep seeing the previous generation; a failure removes the new folder.
 * The suggestions are written here too, while the tail thread merges the grams.
 */
export async function writeGeneration(
  outDir: string,
  built: Assembled,
  report: { skipped: Skip[]; notes: IngestNote[] },
  resources: { dictionary: string; synonyms: string; postsDir: string; stamps: GenerationStamps },
): Promise<{ terms: number; bytes: number; generation: string; leftOver: BuildReport['leftOver'] }> {
  const generation = `gen-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
  const genDir = join(outDir, generation)
  ensureDir(genDir)
  let committed: { terms: number; bytes: number; previous: string | null }
  try {
    const { records, words, suggestGrams } = built
    // Queued behind the merge: the tail writes the grams while this thread writes the rest.
    const gramsEntry = built.tail.writeGrams(join(genDir, 'grams.idx'))
    let gramsWritten = false
    gramsEntry.then(
      () => (gramsWritten = true),
      () => {}, // awaited below; a failure meanwhile is not unhandled
    )
    const docs = docStoreSections(records, built.storedTexts)
    const docsEntry = writeContainer(join(genDir, 'docs.idx'), docs.meta, docs.sections)
    failpoint('mid-write')
    const wordsEntry = writeContainer(join(genDir, 'words.idx'), { space: 'words' }, words)
    writeBuildReport(genDir, report)
    writeStamps(genDir, resources.stamps)
    const sourcesEntry = writeSources(join(genDir, SOURCES), built.sources)
    // Written here: while the tail merges the grams in a full build (the shards gave the grams the
    // suggestions read), once it has merged them in an update.
    const wordSuggestions = await wordSuggestionsOf({
      records,
      texts: built.storedTexts,
      words: sectionDictionary(words, 'words'),
      grams: suggestGrams ?? sectionDictionary(await built.grams, 'grams'),
      ...(built.written && { written: built.written }),
    })
    const suggestEntry = writeSuggestHalves(join(genDir, SUGGEST_FILE), records, wordSuggestions, await built.titles)
    // The suggestions leave this thread's heap ~200 MB of garbage at 100,000 posts. While the tail
    // still holds the grams, the build's largest moment, it is freed now: this thread would only wait.
    if (!gramsWritten) collectGarbage()
    const grams = await built.grams
    const files: Manifest['files'] = {}
    files['docs.idx'] = docsEntry
    files['grams.idx'] = await gramsEntry
    files['words.idx'] = wordsEntry
    files[SUGGEST_FILE] = suggestEntry
    files[SOURCES] = sourcesEntry
    files[DICTIONARY_FILE] = writeTextFile(join(genDir, DICTIONARY_FILE), resources.dictionary)
    files[SYNONYMS_FILE] = writeTextFile(join(genDir, SYNONYMS_FILE), resources.synonyms)
    syncDir(genDir)
    failpoint('before-commit')
    const previous = currentManifest(outDir)?.generation ?? null
    writeManifest(outDir, {
      format: 'jiansuo-index',
      version: FORMAT_VERSION,
      generation,
      createdAt: new Date().toISOString(),
      analysis: built.analysis,
      documents: records.length,
      files,
      posts: resources.postsDir,
      ingest: INGEST_VERSION,
    })
    committed = {
      terms: dictionaryTerms(grams, 'grams') + dictionaryTerms(words, 'words'),
      bytes: Object.values(files).reduce((s, f) => s + f.bytes, 0),
      previous,
    }
  } catch (error) {
    // Not yet committed: nothing may still be writing into the folder when it goes.
    await built.tail.close()
    rmSync(genDir, { recursive: true, force: true })
    throw error
  }
  // Committed: from here on nothing may remove the new generation, whatever fails.
  failpoint('after-commit')
  return { terms: committed.terms, bytes: committed.bytes, generation, leftOver: pruneGenerations(outDir, [generation, committed.previous]) }
}

/** The skipped posts and notes of a build, beside its generation's files (replaced whole: a reader never sees half of one). */
export function writeBuildReport(genDir: string, report: { skipped: Skip[]; notes: IngestNote[] }): void {
  replaceFile(join(genDir, 'build-report.json'), JSON.stringify({ skipped: report.skipped, notes: report.notes }, null, 1) + '\n')
}

/** The manifest of the index in `outDir`, or null when there is none (or it cannot be read). */
export function currentManifest(outDir: string): Manifest | null {
  try {
    return readManifest(outDir)
  } catch {
    return null
  }
}

/**
 * Removes generations other than the current one and the one before it (a reader may still be opening
 * that); returns those it could not remove, and why.
 */
function pruneGenerations(outDir: string, keep: (string | null)[]): BuildReport['leftOver'] {
  return removeEntries(
    outDir,
    (entry) =>
      (entry.isDirectory() && GENERATION_NAME.test(entry.name) && !keep.includes(entry.name)) ||
      (entry.isFile() && entry.name.startsWith(`${MANIFEST}.tmp-`)), // left by a build that was killed
  )
}

/**
 * Generations newer than the committed one were written by builds killed before they committed (a
 * commit would have made them current, and this build holds the lock): a build with nothing to write
 * removes those, where one that writes removes every generation but the new one and the one before.
 */
export function pruneAbandoned(outDir: string, current: string): BuildReport['leftOver'] {
  const bornAt = (name: string) => (GENERATION_NAME.test(name) ? parseInt(name.split('-')[1]!, 36) : NaN)
  return removeEntries(outDir, (entry) => entry.isDirectory() && bornAt(entry.name) > bornAt(current))
}

/** Removes the entries of `outDir` that `stale` picks; returns those it could not remove, and why. */
function removeEntries(outDir: string, stale: (entry: Dirent) => boolean): BuildReport['leftOver'] {
  const leftOver: BuildReport['leftOver'] = []
  for (const entry of readdirSync(outDir, { withFileTypes: true })) {
    if (!stale(entry)) continue
    const path = join(outDir, entry.name)
    try {
      rmSync(path, { recursive: true, force: true })
    } catch (error) {
      leftOver.push({ path, reason: error instanceof Error ? error.message : String(error) })
    }
  }
  return leftOver
}
