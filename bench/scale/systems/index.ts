import type { ScaleSystem } from './system.js'

/**
 * The systems of the scale benchmark by their `--systems` key, each imported only when asked for so a
 * child process measuring one system loads no other library (its RSS is its own).
 */
export const SCALE_SYSTEMS: Record<string, () => Promise<ScaleSystem>> = {
  jiansuo: async () => (await import('./jiansuo.js')).jiansuo,
  flexsearch: async () => (await import('./flexsearch.js')).flexsearchJieba,
  minisearch: async () => (await import('./minisearch.js')).minisearchJieba,
  fts5: async () => (await import('./sqlite-fts5.js')).sqliteFts5Jieba,
}
