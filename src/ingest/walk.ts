import type { Dirent, Stats } from 'node:fs'
import { readdirSync, statSync } from 'node:fs'
import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import type { IngestNote } from './document.js'
import { assignPostIds } from './post-id.js'

/** A post file found under the posts folder. */
export interface PostFile {
  absPath: string
  /** Path relative to the posts folder, with `/` separators. */
  relPath: string
  /** The Document id (see {@link assignPostIds}). */
  id: string
}

export interface WalkResult {
  /** In `relPath` order (by UTF-16 code unit, independent of locale). */
  files: PostFile[]
  /** Entries that look like posts but cannot be read, and folders that cannot be listed. */
  skipped: { path: string; code: string; reason: string }[]
  notes: IngestNote[]
  /** The posts folder's {@link folderIdentity} when the listing began. */
  folder: string
}

/** The folder's device and inode, or null when there is no folder at the path. */
export function folderIdentity(path: string): string | null {
  try {
    const stats = statSync(path)
    return stats.isDirectory() ? identityOf(stats) : null
  } catch {
    return null
  }
}

function identityOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`
}

/** Extensions of post files, compared case-insensitively. Other files are ignored without a word. */
export const POST_EXTENSIONS: readonly string[] = ['.md', '.markdown', '.html']

/**
 * Folders Jekyll keeps for itself start with `_` (`_site` holds rendered copies of every post,
 * `_layouts` and `_includes` hold templates); `_posts` is the one that holds posts. Hidden entries
 * (`.git`, editor swap files) start with `.`. Both are passed over; a skipped `_` folder gets a note,
 * a hidden one none (every repository has a `.git`, and a note for it would only be noise).
 */
export function ignoredFolder(name: string): boolean {
  return name.startsWith('.') || (name.startsWith('_') && name !== '_posts')
}

export function isPostName(name: string): boolean {
  return !name.startsWith('.') && POST_EXTENSIONS.includes(extname(name).toLowerCase())
}

/**
 * A post of `dir` itself, or its `_posts` folder, when it is a folder of posts rather than somewhere an
 * index may go: a Jekyll `_posts` folder, or a post named as Jekyll names them (`2024-05-01-title.md`).
 * Null for anything else, an index folder with its README included.
 */
export function postsFolderSign(dir: string): string | null {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return null
  }
  return names.find((name) => name === '_posts' || (isPostName(name) && DATED_POST.test(name))) ?? null
}

const DATED_POST = /^\d{4}-\d{1,2}-\d{1,2}-/

type Kind = 'file' | 'dir' | 'link' | 'other'

/**
 * Lists the post files under `root`, recursively, in a deterministic order, with their ids.
 *
 * Never throws for what it finds inside: unreadable folders and files that cannot be posts (a broken
 * link, a pipe named `x.md`) are listed in `skipped`. Symbolic links inside the folder are followed, but
 * each real folder and file is taken once (real paths are tracked), so a link loop ends and a linked post
 * is not indexed twice; the path seen without links wins. A link leading out of the folder is not
 * followed (listed in `skipped`), as Jekyll follows none: a post `x.md` linked to /etc/shadow would be
 * served to anyone by /doc. Throws only when `root` itself is not a readable folder.
 *
 * `indexDir`, the folder the index is written to, is passed over with a note when it lies inside: the
 * posts folder may be a whole Jekyll site (`index .`, the index going to ./index-data by default), and
 * the index's own files (a README beside them) are not posts.
 *
 * `onFound` is told how many post files have been found so far, as each is: a build starts its workers
 * once there are enough of them, while the listing goes on.
 */
export async function listPostFiles(root: string, options: { indexDir?: string; onFound?: (found: number) => void } = {}): Promise<WalkResult> {
  const rootAbs = resolve(root)
  const rootStats = await stat(rootAbs)
  if (!rootStats.isDirectory()) throw new Error(`not a folder: ${rootAbs}`)
  const walk = new Walk(rootAbs, options.indexDir === undefined ? null : await realpath(options.indexDir).catch(() => null), options.onFound ?? null)
  await walk.run(await realpath(rootAbs))

  const found = walk.found.sort((a, b) => compareCodeUnits(a.relPath, b.relPath))
  const { ids, notes } = assignPostIds(found.map((f) => f.relPath))
  return {
    files: found.map((f, i) => ({ absPath: f.absPath, relPath: f.relPath, id: ids[i]! })),
    skipped: walk.skipped.sort((a, b) => compareCodeUnits(a.path, b.path)),
    notes: [...walk.notes, ...notes],
    folder: identityOf(rootStats),
  }
}

class Walk {
  readonly found: { absPath: string; relPath: string }[] = []
  readonly skipped: WalkResult['skipped'] = []
  readonly notes: IngestNote[] = []
  private readonly seenDirs = new Set<string>()
  private readonly seenFiles = new Map<string, string>()
  /** Links wait until every folder reachable without links has been walked, so real paths win. */
  private readonly links: { relPath: string; absPath: string }[] = []

  /** The folder's real path and what every path inside it starts with: links whose targets lie outside are not followed. */
  private rootReal = ''
  private insidePrefix = ''

  constructor(
    private readonly rootAbs: string,
    /** The index folder's real path, not read as posts. */
    private readonly indexReal: string | null,
    /** Told how many post files have been found each time one is: every one of them will be listed. */
    private readonly onFound: ((found: number) => void) | null,
  ) {}

  async run(rootReal: string): Promise<void> {
    this.rootReal = rootReal
    this.insidePrefix = rootReal.endsWith(sep) ? rootReal : rootReal + sep
    await this.walkFolder('', rootReal)
    // Following a link may discover more links; take them in the order found.
    for (let i = 0; i < this.links.length; i++) await this.followLink(this.links[i]!)
  }

  private async walkFolder(relDir: string, realDir: string): Promise<void> {
    this.seenDirs.add(realDir)
    const absDir = join(this.rootAbs, relDir)
    let entries: Dirent[]
    try {
      entries = await readdir(absDir, { withFileTypes: true })
    } catch (err) {
      this.skipped.push({ path: relDir || '.', code: 'unreadable_folder', reason: `cannot list the folder: ${errorText(err)}` })
      return
    }
    entries.sort((a, b) => compareCodeUnits(a.name, b.name))
    const unnamed = entries.some((entry) => entry.name.includes('\uFFFD')) ? await namesNotUtf8(absDir) : null
    for (const entry of entries) {
      const relPath = relDir ? `${relDir}/${entry.name}` : entry.name
      if (unnamed?.has(entry.name)) {
        // Its name as text (with � for the bytes) names no file, and would make a wrong id: say why it is left out.
        if (entry.isDirectory() || isPostName(entry.name)) {
          this.skipped.push({ path: relPath, code: 'bad_file_name', reason: 'the name is not valid UTF-8 (written in another encoding, such as GBK); rename it to index it' })
        }
        continue
      }
      const absPath = join(absDir, entry.name)
      const kind = await kindOf(entry, absPath)
      if (kind === 'link') this.links.push({ relPath, absPath })
      else if (kind === 'dir') await this.enterFolder(relPath, entry.name, join(realDir, entry.name))
      else if (kind === 'file') this.addFile(relPath, absPath, join(realDir, entry.name))
      else if (kind === 'other' && isPostName(entry.name)) {
        this.skipped.push({ path: relPath, code: 'not_a_file', reason: 'a post name on something that is not a regular file (a pipe, socket or device)' })
      }
    }
  }

  private async enterFolder(relPath: string, name: string, realDir: string): Promise<void> {
    if (ignoredFolder(name)) {
      if (!name.startsWith('.')) this.notes.push({ path: relPath, code: 'folder_ignored', message: `folders starting with "_" are Jekyll's own (except _posts); ${relPath} was not read` })
      return
    }
    if (realDir === this.indexReal) {
      this.notes.push({ path: relPath, code: 'index_folder', message: 'this is the index folder; its files were not read as posts' })
      return
    }
    if (this.seenDirs.has(realDir)) {
      this.notes.push({ path: relPath, code: 'folder_repeated', message: `${relPath} leads to a folder already read; it was not read again` })
      return
    }
    await this.walkFolder(relPath, realDir)
  }

  private addFile(relPath: string, absPath: string, realFile: string): void {
    const name = relPath.slice(relPath.lastIndexOf('/') + 1)
    if (!isPostName(name)) return
    const first = this.seenFiles.get(realFile)
    if (first !== undefined) {
      this.skipped.push({ path: relPath, code: 'same_file', reason: `a link to a post already listed as ${first}` })
      return
    }
    this.seenFiles.set(realFile, relPath)
    this.found.push({ absPath, relPath })
    this.onFound?.(this.found.length)
  }

  private async followLink(link: { relPath: string; absPath: string }): Promise<void> {
    const name = link.relPath.slice(link.relPath.lastIndexOf('/') + 1)
    let target: Stats
    let real: string
    try {
      target = await stat(link.absPath)
      real = await realpath(link.absPath)
    } catch (err) {
      if (isPostName(name)) this.skipped.push({ path: link.relPath, code: 'broken_link', reason: `a symbolic link whose target cannot be reached: ${errorText(err)}` })
      return
    }
    if (real !== this.rootReal && !real.startsWith(this.insidePrefix)) {
      if (target.isDirectory() || isPostName(name)) {
        this.skipped.push({ path: link.relPath, code: 'link_outside', reason: `a symbolic link to ${real}, outside the posts folder: not followed (Jekyll follows no such link either)` })
      }
      return
    }
    if (target.isDirectory()) await this.enterFolder(link.relPath, name, real)
    else if (target.isFile()) this.addFile(link.relPath, link.absPath, real)
    else if (isPostName(name)) this.skipped.push({ path: link.relPath, code: 'not_a_file', reason: 'a link to something that is not a regular file' })
  }
}

/** The names in `dir` that are not valid UTF-8, as Node shows them (with U+FFFD for each bad byte). */
async function namesNotUtf8(dir: string): Promise<Set<string>> {
  const strict = new TextDecoder('utf-8', { fatal: true })
  const bad = new Set<string>()
  for (const raw of await readdir(dir, { encoding: 'buffer' })) {
    try {
      strict.decode(raw)
    } catch {
      bad.add(raw.toString('utf8'))
    }
  }
  return bad
}

async function kindOf(entry: Dirent, absPath: string): Promise<Kind> {
  if (entry.isSymbolicLink()) return 'link'
  if (entry.isDirectory()) return 'dir'
  if (entry.isFile()) return 'file'
  if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()) return 'other'
  // Some file systems do not report types in directory listings.
  try {
    const s = await lstat(absPath)
    return s.isSymbolicLink() ? 'link' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other'
  } catch {
    return 'other'
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function errorText(err: unknown): string {
  // Node's own messages already start with the code (ENOENT: no such file …); others get it in front.
  if (err instanceof Error) return 'code' in err && typeof err.code === 'string' && !err.message.startsWith(err.code) ? `${err.code}: ${err.message}` : err.message
  return String(err)
}
