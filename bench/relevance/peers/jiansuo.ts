import { rmSync } from 'node:fs'
import { buildIndex } from '../../../src/index/build.js'
import { SearchEngine } from '../../../src/search/engine.js'
import { folderBytes } from '../../scale/disk.js'
import type { Peer } from './peer.js'

/** The most hits one engine call may return (CONTRACT.md's `size` bound). */
const PAGE_SIZE = 100

/**
 * jiansuo itself, driven through its public API: index the posts folder (it reads the files with its own
 * ingest, not the Documents the peers get), then page through `SearchEngine.search` until k ids are collected.
 */
export function jiansuo(postsDir: string, indexDir: string): Peer {
  let engine: SearchEngine | null = null
  return {
    name: 'jiansuo',
    setup: 'jiansuo: `buildIndex({postsDir})` then `SearchEngine.search({q, page, size: 100})`, paged to k; query as typed.',
    async build() {
      rmSync(indexDir, { recursive: true, force: true })
      await buildIndex({ postsDir, outDir: indexDir })
      engine = SearchEngine.open(indexDir)
    },
    search(query, k) {
      if (!engine) throw new Error('jiansuo: search before build')
      const ids: string[] = []
      for (let page = 1; ids.length < k; page++) {
        const response = engine.search({ q: query, page, size: Math.min(PAGE_SIZE, k) })
        for (const hit of response.hits) ids.push(hit.id)
        if (response.hits.length === 0 || page * response.size >= response.total) break
      }
      return ids.slice(0, k)
    },
    indexBytes: () => folderBytes(indexDir),
    close() {
      engine = null
      rmSync(indexDir, { recursive: true, force: true })
    },
  }
}
