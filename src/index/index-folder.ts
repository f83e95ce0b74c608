import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { postsFolderSign } from '../ingest/walk.js'
import { GENERATION_NAME, MANIFEST, OWN_FOLDER, refuseForeignManifest, refuseGenerationFolder } from './manifest.js'

/**
 * Refuses, before anything is read or written, a folder given for the index that is something else's:
 * a file, the file system's root or the home folder, the posts folder, a generation folder, a folder
 * holding another program's manifest.json or other files. `index`, `index --watch` and `serve` all build
 * through here, and a mistyped `--out` must not scatter an index among the user's own files.
 */
export function refuseIndexFolder(outDir: string, postsDir: string): void {
  const exists = existsSync(outDir)
  if (exists && !statSync(outDir).isDirectory()) throw new Error(`the index folder ${outDir} is a file, not a folder`)
  refuseSharedFolder(outDir)
  refusePostsFolder(outDir, postsDir)
  refuseGenerationFolder(outDir)
  if (!exists) return
  refuseForeignManifest(outDir)
  refuseOtherFiles(outDir)
}

/** The root and the home folder hold everything else too: an index there is always a slip (`--out /`, `--out ~`). */
function refuseSharedFolder(outDir: string): void {
  const real = realPath(outDir)
  if (dirname(real) === real) throw new Error(`the index folder ${outDir} is the root of the file system: ${OWN_FOLDER}`)
  if (real === realPath(homedir())) throw new Error(`the index folder ${outDir} is your home folder: ${OWN_FOLDER}`)
}

/**
 * An index is never written among posts: `--index` and `--posts` mixed up, or the posts folder given as
 * both, would leave generation folders in the user's archive (and index them next time).
 */
function refusePostsFolder(outDir: string, postsDir: string): void {
  if (outDir === postsDir) throw new Error(`the index folder ${outDir} is the posts folder: ${OWN_FOLDER}`)
  if (existsSync(join(outDir, MANIFEST))) return
  const sign = postsFolderSign(outDir)
  if (sign !== null) throw new Error(`the index folder ${outDir} holds posts (${sign}), not an index: ${OWN_FOLDER}`)
}

/** Other files a folder refused for them is said to hold. */
const NAMED_FILES = 3

/**
 * A folder that holds neither an index nor nothing (a documents folder, a project's root given as
 * `--out .`) is someone else's: the index would be mixed in with their files. A jiansuo index folder
 * (one with a manifest of ours, whatever else the user keeps there) is built over as ever; without a
 * manifest, only what a build leaves (generations, a killed build's temporary manifest) may be there,
 * besides a README saying what the folder is for (as this repository's index-data has) and hidden
 * entries (`.gitignore`, `.DS_Store`), which a build never touches.
 */
function refuseOtherFiles(outDir: string): void {
  if (existsSync(join(outDir, MANIFEST))) return
  let names: string[]
  try {
    names = readdirSync(outDir)
  } catch {
    return // a folder that cannot be listed cannot be written either: the writable check says so
  }
  const others = names.filter((name) => !ownEntry(name)).sort()
  if (others.length === 0) return
  const more = others.length > NAMED_FILES ? ` and ${others.length - NAMED_FILES} more` : ''
  throw new Error(`the index folder ${outDir} holds other files (${others.slice(0, NAMED_FILES).join(', ')}${more}), not an index: ${OWN_FOLDER}`)
}

/** What an index folder may hold besides its manifest, before the first build or after a failed one. */
function ownEntry(name: string): boolean {
  return name.startsWith('.') || GENERATION_NAME.test(name) || name.startsWith(`${MANIFEST}.tmp-`) || /^readme(\.[a-z]+)?$/i.test(name)
}

/** `path` with links resolved, as far as it exists (the rest as given): `--out` may name a link to the home folder. */
function realPath(path: string): string {
  const absolute = resolve(path)
  try {
    return realpathSync(absolute)
  } catch {
    const parent = dirname(absolute)
    return parent === absolute ? absolute : join(realPath(parent), absolute.slice(parent.length))
  }
}
