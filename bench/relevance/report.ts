/** The benchmark's Markdown: one summary table, then per-topic nDCG@10 and notes on each system. */
import type { TopicMeasure, RateMeasure } from './measure.js'

export interface SystemResult {
  key: string
  name: string
  setup: string
  buildSeconds: number
  /** On-disk index size, for the systems that write one. */
  indexBytes?: number | undefined
  topics: TopicMeasure
  /** Our own judged sets, by folder name under bench/relevance. */
  ownSets: { name: string; measure: TopicMeasure }[]
  substrings: RateMeasure
  knownItems: RateMeasure
}

export interface ReportContext {
  date: string
  machine: string
  command: string
  corpus: string
  topics: string
  substrings: string
  knownItems: string
}

const fixed = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '–')
const percent = (m: RateMeasure) => `${fixed(100 * m.rate, 1)}% (${m.hits}/${m.total})`

export function summaryTable(results: readonly SystemResult[]): string {
  const rows = results.map((r) =>
    [
      r.name,
      fixed(r.topics.mean.ndcg10),
      fixed(r.topics.mean.mrr10),
      fixed(r.topics.mean.p5),
      fixed(r.topics.mean.recall100),
      fixed(r.topics.mean.unjudged10, 1),
      percent(r.substrings),
      percent(r.knownItems),
      fixed(r.buildSeconds, 1),
      fixed((r.indexBytes ?? Number.NaN) / 1e6, 1),
      fixed(r.topics.msPerQuery, 2),
    ].join(' | '),
  )
  return [
    '| system | nDCG@10 | MRR@10 | P@5 | Recall@100 | unjudged@10 | substring recall | title known-item | build s | index MB | ms/topic query |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n')
}

/** nDCG@10 of each system on the development topics and on each of our own sets, unjudged@10 beside it. */
function judgedSetsTable(results: readonly SystemResult[]): string {
  const names = results[0]?.ownSets.map((set) => set.name) ?? []
  const cell = (m: TopicMeasure) => `${fixed(m.mean.ndcg10)} (${fixed(m.mean.unjudged10, 1)})`
  return [
    `| system | dev | ${names.join(' | ')} |`,
    `|---|---:|${names.map(() => '---:').join('|')}|`,
    ...results.map((r) => `| ${r.name} | ${cell(r.topics)} | ${r.ownSets.map((set) => cell(set.measure)).join(' | ')} |`),
  ].join('\n')
}

function perTopicTable(results: readonly SystemResult[], queries: ReadonlyMap<string, string>): string {
  const qids = results[0]?.topics.perTopic.map((t) => t.qid) ?? []
  const header = `| topic | query | ${results.map((r) => r.name).join(' | ')} |`
  const rule = `|---|---|${results.map(() => '---:').join('|')}|`
  const rows = qids.map((qid, i) => {
    const cells = results.map((r) => {
      const t = r.topics.perTopic[i]!
      return `${fixed(t.ndcg10 ?? Number.NaN)} (${t.unjudged10})`
    })
    return `| ${qid} | ${queries.get(qid) ?? ''} | ${cells.join(' | ')} |`
  })
  return [header, rule, ...rows].join('\n')
}

export function renderReport(context: ReportContext, results: readonly SystemResult[], queries: ReadonlyMap<string, string>): string {
  const notes = results.map((r) => {
    const misses = r.substrings.misses.map((m) => `\`${m.query}\`→${m.docId}`).join(', ')
    return `- **${r.name}** — ${r.setup}${misses ? ` Substring misses, first few: ${misses}.` : ''}`
  })
  return [
    '# Relevance against peers',
    '',
    `${context.date} · ${context.machine}`,
    '',
    `Reproduce: \`${context.command}\``,
    '',
    summaryTable(results),
    '',
    '## What was measured',
    '',
    `- Corpus: ${context.corpus}`,
    `- Judged topics: ${context.topics} nDCG@10 with gain 2^grade − 1 and a log2 discount, the ideal from all judged documents; MRR@10 and P@5 count grade ≥ 2 as relevant, Recall@100 grade ≥ 1; unjudged@10 is the mean number of unjudged posts in the top 10 (unknown, not irrelevant).`,
    `- Substring recall: ${context.substrings}`,
    `- Title known-item: ${context.knownItems}`,
    '- Index MB is what the build wrote to disk (– for systems that keep their index in memory).',
    '- Build s is indexing time from parsed Documents (jiansuo: from the posts folder, parsing included); ms/topic query is the mean over the topics at depth 100 (jiansuo builds a highlighted snippet for each of the 100 hits; the peers return bare ids).',
    '- Every system gets the same query string as typed (traditional characters included): none folds traditional to simplified unless it does so itself.',
    '',
    '## nDCG@10 per judged set (unjudged@10)',
    '',
    'dev is ../shared/eval above; own to own5 are our own sets in bench/relevance (each README says how it was written and judged). The own sets were judged on the pooled top 20 of jiansuo and SQLite FTS5 over jieba words (own also of FTS5 trigram; own5 of jiansuo and an exact-substring ranker instead), plus relevant posts found by grep: a post another system ranks that no pool held is unjudged and counts as not relevant, so on those sets the other systems are measured against a pool they did not help make, and their unjudged@10 says how much that weighs.',
    '',
    judgedSetsTable(results),
    '',
    '## Systems',
    '',
    ...notes,
    '',
    '## nDCG@10 per topic (unjudged in top 10)',
    '',
    perTopicTable(results, queries),
    '',
  ].join('\n')
}
