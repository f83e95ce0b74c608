/**
 * The input of an incremental build: a copy of a posts folder in which a seeded share of the posts has
 * a paragraph added, so their content hashes change (touching mtimes would not: builds compare content).
 * The copy is made of hard links, which is quick for 100,000 files; an edited post is unlinked and written
 * anew, so the original file is never changed.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { listPostFiles } from '../../src/ingest/index.js'
import { mulberry32, sampleWithoutReplacement } from '../lib/prng.js'

const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---\r?\n/

export interface EditedCopy {
  dir: string
  files: number
  edited: number
}

/** Copies `postsDir` to `copyDir` (replaced) and edits ⌈fraction × posts⌉ of the copies. */
export async function copyWithEdits(postsDir: string, copyDir: string, fraction: number, seed: number): Promise<EditedCopy> {
  rmSync(copyDir, { recursive: true, force: true })
  linkTree(postsDir, copyDir)
  const { files } = await listPostFiles(copyDir)
  const chosen = sampleWithoutReplacement(files, Math.ceil(files.length * fraction), mulberry32(seed))
  chosen.forEach((file, i) => {
    const text = readFileSync(file.absPath, 'utf8')
    const added = `<p>（修订 ${i + 1}）这一段是更新时补充的内容，用来衡量只重读改动文章的增量索引要花多久。</p>\n`
    const head = FRONT_MATTER.exec(text)?.[0] ?? ''
    unlinkSync(file.absPath)
    writeFileSync(file.absPath, head + added + text.slice(head.length))
  })
  return { dir: copyDir, files: files.length, edited: chosen.length }
}

/** Recreates the folders of `from` under `to`, each file a hard link (a copy where linking is refused). */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true })
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name)
    const target = join(to, entry.name)
    if (entry.isDirectory()) linkTree(source, target)
    else if (entry.isFile()) {
      try {
        linkSync(source, target)
      } catch {
        copyFileSync(source, target)
      }
    }
  }
}

export function removeCopy(copy: EditedCopy): void {
  rmSync(copy.dir, { recursive: true, force: true })
}

/** Where run.ts keeps the edited copy of a corpus. */
export function editedCopyDir(workDir: string, corpusKey: string): string {
  return join(workDir, `edited-${corpusKey}`)
}
