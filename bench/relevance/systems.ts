import type { Peer } from './peers/peer.js'

/** Where a system may keep files: jiansuo reads the posts folder itself and writes its index to a work folder. */
export interface SystemContext {
  postsDir: string
  workDir: string
}

/**
 * Every system the relevance benchmark knows, by the key used with `--systems`. Each is imported only when
 * asked for, so a run of one system loads no other library.
 */
export const SYSTEMS: Record<string, (context: SystemContext) => Promise<Peer>> = {
  jiansuo: async ({ postsDir, workDir }) => (await import('./peers/jiansuo.js')).jiansuo(postsDir, workDir),
  'fts5-jieba': async () => (await import('./peers/sqlite-fts5.js')).fts5Jieba(),
  'fts5-trigram': async () => (await import('./peers/sqlite-fts5.js')).fts5Trigram(),
  'minisearch-jieba': async () => (await import('./peers/minisearch.js')).minisearchJieba(),
  'flexsearch-jieba': async () => (await import('./peers/flexsearch.js')).flexsearchJieba(),
  'flexsearch-cjk': async () => (await import('./peers/flexsearch.js')).flexsearchCjk(),
  pagefind: async ({ workDir }) => (await import('./peers/pagefind.js')).pagefindPeer(workDir),
}
