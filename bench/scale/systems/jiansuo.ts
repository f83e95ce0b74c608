import { buildIndex } from '../../../src/index/build.js'
import { SearchEngine } from '../../../src/search/engine.js'
import { suggestionsFor } from '../../../src/suggest/engine-suggestions.js'
import type { ScaleSystem } from './system.js'

/** jiansuo through its public API: `buildIndex` end to end (walk, parse and analyse in workers, write), `SearchEngine`. */
export const jiansuo: ScaleSystem = {
  key: 'jiansuo',
  name: 'jiansuo',
  setup: 'jiansuo: `buildIndex({postsDir, outDir})` end to end (parsing included, worker threads = cores); `SearchEngine.open(dir).search({q, page: 1, size: 10})`, hits with highlighted title and snippet.',
  snippets: true,
  wantsDocuments: false,
  async build({ postsDir }, indexDir) {
    const report = await buildIndex({ postsDir, outDir: indexDir })
    return {
      indexSeconds: report.seconds,
      saveSeconds: 0,
      details: { mode: report.mode, documents: report.documents, reprocessed: report.reprocessed, reused: report.reused, terms: report.terms, skipped: report.skipped.length },
    }
  },
  async open(indexDir) {
    const engine = SearchEngine.open(indexDir)
    return {
      search: (q, k) => engine.search({ q, page: 1, size: k }).hits.length,
      suggester() {
        const suggestions = suggestionsFor(engine)
        return (typed) => suggestions.suggest(typed).length
      },
      close() {},
    }
  },
}
