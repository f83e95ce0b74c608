import type { IngestNote } from './document.js'

/**
 * Gives each post its id: the file name without extension (CONTRACT.md, "Document identity").
 *
 * Files that share a basename in different folders all get their folder path as a prefix
 * (`2022/foo`, `2023/foo`; a file at the top keeps `foo`), never just the later ones, and each gets a note. Should the prefixed ids
 * still clash (`a.md` beside `a.html`), the extension is kept, and as a last resort a counter is added.
 * `relPaths` must be distinct; the result is in the same order.
 */
export function assignPostIds(relPaths: readonly string[]): { ids: string[]; notes: IngestNote[] } {
  const candidates: ((relPath: string) => string)[] = [basenameId, folderPrefixedId, (relPath) => relPath]
  const ids = relPaths.map(basenameId)
  let level = 0
  for (;;) {
    const clashing = clashes(ids)
    if (clashing.length === 0) break
    level++
    const next = candidates[level]
    for (const i of clashing) ids[i] = next ? next(relPaths[i]!) : `${relPaths[i]}~${i}`
    if (!next) break
  }

  const notes: IngestNote[] = []
  const byBasename = groupIndexes(relPaths.map(basenameId))
  relPaths.forEach((relPath, i) => {
    const group = byBasename.get(basenameId(relPath))!
    if (group.length === 1) return
    // A few of the others, not all: in an archive of page bundles (`*/index.md`) every post shares its
    // name with thousands, and listing them all would make the report grow with the square of the archive.
    const others = group.filter((j) => j !== i)
    const named = others.slice(0, NAMED_OTHERS).map((j) => relPaths[j])
    const more = others.length > NAMED_OTHERS ? ` and ${others.length - NAMED_OTHERS} more` : ''
    notes.push({
      path: relPath,
      code: 'duplicate_basename',
      message: `${others.length === 1 ? 'another post has' : `${others.length} other posts have`} the same file name (${named.join(', ')}${more}); this one's id is "${ids[i]}"`,
    })
  })
  return { ids, notes }
}

/** Other posts of the same name a note lists. */
const NAMED_OTHERS = 3

/** `2022/foo.md` → `foo`. */
function basenameId(relPath: string): string {
  return stripExtension(relPath.slice(relPath.lastIndexOf('/') + 1))
}

/** `2022/foo.md` → `2022/foo`. */
function folderPrefixedId(relPath: string): string {
  const slash = relPath.lastIndexOf('/')
  return relPath.slice(0, slash + 1) + basenameId(relPath)
}

function stripExtension(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(0, dot) : name
}

/** Indexes of the ids that some other entry shares. */
function clashes(ids: readonly string[]): number[] {
  const result: number[] = []
  for (const group of groupIndexes(ids).values()) if (group.length > 1) for (const i of group) result.push(i)
  return result.sort((a, b) => a - b)
}

function groupIndexes(keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>()
  keys.forEach((key, i) => {
    const group = groups.get(key)
    if (group) group.push(i)
    else groups.set(key, [i])
  })
  return groups
}
