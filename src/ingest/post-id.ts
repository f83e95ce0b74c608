import type { IngestNote } from './document.js'

/**
 * Gives each post its id: the file name without extension (CONTRACT.md, "Document identity").
 *
 * Files that share a basename in different folders all get their folder path as a prefix
 * (`2022/foo`, `2023/foo`; a file at the top keeps `foo`), never just the later ones, and each gets a note. Should the prefixed ids
 * still clash (`a.md` beside `a.html`), the extension is kept, and as a last resort a counter is added.
 * Names are compared as a reader sees them (NFC): `café` typed with é as one character and as e plus an
 * accent are two files on Linux, but the same name on screen. Two such paths are look-alikes: the one
 * already in NFC keeps the id it would have alone, the other gets it with `~2` (`~3` …), and both a note.
 * `relPaths` must be distinct; the result is in the same order.
 */
export function assignPostIds(relPaths: readonly string[]): { ids: string[]; notes: IngestNote[] } {
  const folded = relPaths.map(nfc)
  // Paths all in NFC already (nearly every archive) make ids in NFC: they need not be folded again.
  const fold = folded.every((path, i) => path === relPaths[i]) ? (text: string) => text : nfc
  const lookAlikes = [...groupIndexes(folded).values()].filter((group) => group.length > 1)
  const keeper = new Map(lookAlikes.map((group) => [group, group.find((i) => relPaths[i] === folded[i]) ?? group[0]!]))
  const twins = new Set(lookAlikes.flatMap((group) => group.filter((i) => i !== keeper.get(group))))
  const own = relPaths.map((_, i) => i).filter((i) => !twins.has(i))
  const ids: string[] = []
  const ownIds = distinctIds(own.map((i) => relPaths[i]!), fold)
  own.forEach((i, k) => (ids[i] = ownIds[k]!))

  const taken = new Set(ownIds.map(fold))
  for (const group of lookAlikes) {
    const kept = nfc(ids[keeper.get(group)!]!)
    let n = 2
    for (const i of group) {
      if (i === keeper.get(group)) continue
      while (taken.has(`${kept}~${n}`)) n++
      ids[i] = `${kept}~${n}`
      taken.add(ids[i])
    }
  }

  return { ids, notes: [...basenameNotes(relPaths, ids, own, fold), ...lookAlikes.flatMap((group) => lookAlikeNotes(relPaths, ids, group))] }
}

/** Ids distinct as read (NFC) for paths distinct as read: basenames, then folder-prefixed, then with extensions. */
function distinctIds(relPaths: readonly string[], fold: (text: string) => string): string[] {
  const candidates: ((relPath: string) => string)[] = [basenameId, folderPrefixedId, (relPath) => relPath]
  const ids = relPaths.map(basenameId)
  let level = 0
  for (;;) {
    const clashing = clashes(ids.map(fold))
    if (clashing.length === 0) break
    level++
    const next = candidates[level]
    for (const i of clashing) ids[i] = next ? next(relPaths[i]!) : `${relPaths[i]}~${i}`
    if (!next) break
  }
  return ids
}

/** A note for each of the posts at `among` that shares its basename with another of them. */
function basenameNotes(relPaths: readonly string[], ids: readonly string[], among: readonly number[], fold: (text: string) => string): IngestNote[] {
  const notes: IngestNote[] = []
  const basenames = among.map((i) => fold(basenameId(relPaths[i]!)))
  const byBasename = groupIndexes(basenames)
  among.forEach((i, k) => {
    const group = byBasename.get(basenames[k]!)!
    if (group.length === 1) return
    // A few of the others, not all: in an archive of page bundles (`*/index.md`) every post shares its
    // name with thousands, and listing them all would make the report grow with the square of the archive.
    const others = group.filter((j) => j !== k).map((j) => among[j]!)
    const named = others.slice(0, NAMED_OTHERS).map((j) => relPaths[j])
    const more = others.length > NAMED_OTHERS ? ` and ${others.length - NAMED_OTHERS} more` : ''
    notes.push({
      path: relPaths[i]!,
      code: 'duplicate_basename',
      message: `${others.length === 1 ? 'another post has' : `${others.length} other posts have`} the same file name (${named.join(', ')}${more}); this one's id is "${ids[i]}"`,
    })
  })
  return notes
}

/** A note for each post of a group whose paths are the same text in other Unicode forms, saying which form is which. */
function lookAlikeNotes(relPaths: readonly string[], ids: readonly string[], group: readonly number[]): IngestNote[] {
  return group.map((i) => {
    const others = group.filter((j) => j !== i)
    const forms = [...new Set(others.map((j) => unicodeForm(relPaths[j]!)))].join(' or ')
    return {
      path: relPaths[i]!,
      code: 'look_alike_path',
      message:
        `${others.length === 1 ? "another post's path is" : `${others.length} other posts' paths are`} the same text written ${forms}, ` +
        `where this one's is ${unicodeForm(relPaths[i]!)}, so they look alike (${nfc(relPaths[i]!)}); this one's id is "${ids[i]}"`,
    }
  })
}

/** How a text's accented letters and marks are stored, in a user's words. */
function unicodeForm(text: string): string {
  if (text === nfc(text)) return 'composed (NFC)'
  return text === text.normalize('NFD') ? 'decomposed (NFD)' : 'partly composed'
}

function nfc(text: string): string {
  return text.normalize('NFC')
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
