import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as pagefind from 'pagefind'
import type { Document } from '../../../src/ingest/document.js'
import { escapeHtml } from '../../../src/search/highlight.js'
import { folderBytes } from '../../scale/disk.js'
import { loadPagefind, type PagefindRuntime } from './pagefind-runtime.js'
import { postFields, type Peer } from './peer.js'

/** The page language, as a Jekyll site in simplified Chinese declares it; Pagefind segments zh pages into words. */
const LANG = 'zh-CN'
/** Posts handed to Pagefind's indexing service at once. */
const BATCH = 256

/**
 * Why Pagefind cannot run here, or null. Its indexer is a native binary that npm installs as an optional
 * dependency for the platform (the extended build, the one that segments Chinese).
 */
export function pagefindMissing(): string | null {
  const binary = `@pagefind/${process.platform}-${process.arch}/bin/pagefind_extended`
  try {
    createRequire(import.meta.url).resolve(binary)
    return null
  } catch {
    return `Pagefind's indexer ${binary} is not installed (npm ci installs it with pagefind on this platform)`
  }
}

/** A post as the page a Jekyll site would publish: the title as its h1, each body line a paragraph. */
function postPage(doc: Document): string {
  const { title, body } = postFields(doc)
  const paragraphs = body.split('\n').map((line) => `<p>${escapeHtml(line)}</p>`)
  return `<!doctype html><html lang="${LANG}"><body><h1>${escapeHtml(title)}</h1>${paragraphs.join('')}</body></html>`
}

/**
 * Pagefind 1.x as a static site runs it: each post indexed as an HTML page by Pagefind's Node API, the bundle
 * written to `bundleDir`, and queries answered by the `pagefind.js` and wasm it wrote, with default ranking.
 */
export function pagefindPeer(bundleDir: string): Peer {
  let runtime: PagefindRuntime | null = null
  let bytes = 0
  // Pagefind names results by page hash; the post id is in the URL given to each page, read once per page.
  const postIds = new Map<string, Promise<string>>()
  return {
    name: 'Pagefind',
    setup: `Pagefind 1.6 (extended build), each post added with \`addHTMLFile\` as \`<html lang="${LANG}">\` with the title as \`<h1>\` (default weight 7) and one \`<p>\` per body line, bundle written by \`writeFiles\`; queried by that bundle's own \`pagefind.js\` and wasm in Node (\`search(query)\`, default ranking; the page language makes it cut the query into words with \`Intl.Segmenter\`), top results mapped to posts by their URL (ms/topic query includes loading index chunks, and each result's fragment for its URL, the first time a query needs them).`,
    async build(docs: readonly Document[]) {
      const missing = pagefindMissing()
      if (missing) throw new Error(missing)
      rmSync(bundleDir, { recursive: true, force: true })
      const { index, errors } = await pagefind.createIndex()
      if (!index) throw new Error(`Pagefind: ${errors.join('; ')}`)
      try {
        for (let i = 0; i < docs.length; i += BATCH) {
          const added = await Promise.all(
            docs.slice(i, i + BATCH).map((doc) => index.addHTMLFile({ url: `/${encodeURIComponent(doc.id)}/`, content: postPage(doc) })),
          )
          const failed = added.find((response) => response.errors.length)
          if (failed) throw new Error(`Pagefind: ${failed.errors.join('; ')}`)
        }
        const written = await index.writeFiles({ outputPath: bundleDir })
        if (written.errors.length) throw new Error(`Pagefind: ${written.errors.join('; ')}`)
      } finally {
        await pagefind.close()
      }
      bytes = folderBytes(bundleDir)
      runtime = await loadPagefind(bundleDir, LANG)
    },
    async search(query, k) {
      if (!runtime) throw new Error('Pagefind: search before build')
      const { results } = await runtime.pagefind.search(query)
      return Promise.all(
        results.slice(0, k).map((result) => {
          let id = postIds.get(result.id)
          if (!id) {
            id = result.data().then((data) => decodeURIComponent(data.url.replace(/^\/|\/$/g, '')))
            postIds.set(result.id, id)
          }
          return id
        }),
      )
    },
    indexBytes: () => bytes,
    async close() {
      await runtime?.unload()
      runtime = null
      postIds.clear()
      rmSync(bundleDir, { recursive: true, force: true })
    },
  }
}
