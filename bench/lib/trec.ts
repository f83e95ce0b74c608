/**
 * TREC-style relevance evaluation over ../shared/eval: topics, graded judgments and the metrics that
 * eval/README.md asks for. Shared by bench/relevance and the corpus tests so both score the same way.
 */

/** One information need: `qid<TAB>query<TAB>what is relevant`. */
export interface Topic {
  qid: string
  query: string
  need: string
}

/** qid → docid → grade (0 not relevant … 3 mainly about it). */
export type Qrels = Map<string, Map<string, number>>

/** Graded relevance at which a document counts for MRR and precision. */
export const RELEVANT_GRADE = 2
/** Graded relevance at which a document counts for recall. */
export const RECALL_GRADE = 1

export function parseTopics(text: string): Topic[] {
  const topics: Topic[] = []
  const seen = new Set<string>()
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return
    const [qid, query, need = ''] = line.split('\t')
    if (!qid || !query?.trim()) throw new Error(`topics line ${i + 1}: expected qid<TAB>query<TAB>need`)
    if (seen.has(qid)) throw new Error(`topics line ${i + 1}: duplicate qid ${qid}`)
    seen.add(qid)
    topics.push({ qid, query: query.trim(), need: need.trim() })
  })
  return topics
}

export function parseQrels(text: string): Qrels {
  const qrels: Qrels = new Map()
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return
    const fields = line.trim().split(/\s+/)
    const [qid, , docid, gradeText] = fields
    const grade = Number(gradeText)
    if (fields.length !== 4 || !qid || !docid || !Number.isInteger(grade) || grade < 0) {
      throw new Error(`qrels line ${i + 1}: expected "qid 0 docid grade", got ${JSON.stringify(line)}`)
    }
    let judged = qrels.get(qid)
    if (!judged) qrels.set(qid, (judged = new Map()))
    const earlier = judged.get(docid)
    if (earlier !== undefined && earlier !== grade) {
      throw new Error(`qrels line ${i + 1}: ${qid} ${docid} judged both ${earlier} and ${grade}`)
    }
    judged.set(docid, grade)
  })
  return qrels
}

type Judged = ReadonlyMap<string, number>

/** Graded gain 2^g − 1 over a log2(rank + 1) discount; the ideal ranks every judged document. Null when nothing is relevant. */
export function ndcgAt(ranking: readonly string[], judged: Judged, k: number): number | null {
  const ideal = [...judged.values()].sort((a, b) => b - a)
  const idcg = dcg(ideal.slice(0, k))
  if (idcg === 0) return null
  return dcg(ranking.slice(0, k).map((id) => judged.get(id) ?? 0)) / idcg
}

function dcg(grades: readonly number[]): number {
  return grades.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0)
}

/** 1 / rank of the first document graded at least `minGrade` within the top k, else 0. Null when there is none. */
export function reciprocalRankAt(ranking: readonly string[], judged: Judged, k: number, minGrade = RELEVANT_GRADE): number | null {
  if (countAtLeast(judged, minGrade) === 0) return null
  const rank = ranking.slice(0, k).findIndex((id) => (judged.get(id) ?? 0) >= minGrade)
  return rank < 0 ? 0 : 1 / (rank + 1)
}

/** Share of the k slots holding a document graded at least `minGrade` (empty slots count as misses). Null when there is none. */
export function precisionAt(ranking: readonly string[], judged: Judged, k: number, minGrade = RELEVANT_GRADE): number | null {
  if (countAtLeast(judged, minGrade) === 0) return null
  return ranking.slice(0, k).filter((id) => (judged.get(id) ?? 0) >= minGrade).length / k
}

/** Share of documents graded at least `minGrade` that appear in the top k. Null when there are none. */
export function recallAt(ranking: readonly string[], judged: Judged, k: number, minGrade = RECALL_GRADE): number | null {
  const relevant = countAtLeast(judged, minGrade)
  if (relevant === 0) return null
  return ranking.slice(0, k).filter((id) => (judged.get(id) ?? 0) >= minGrade).length / relevant
}

function countAtLeast(judged: Judged, minGrade: number): number {
  let count = 0
  for (const grade of judged.values()) if (grade >= minGrade) count++
  return count
}

/** How many of the top k carry no judgment at all (unknown, not irrelevant). */
export function unjudgedAt(ranking: readonly string[], judged: Judged, k: number): number {
  return ranking.slice(0, k).filter((id) => !judged.has(id)).length
}

export interface TopicScores {
  qid: string
  ndcg10: number | null
  mrr10: number | null
  p5: number | null
  recall100: number | null
  unjudged10: number
}

/** Every metric of eval/README.md for one topic. A ranking that repeats an id is scored on its first occurrence. */
export function scoreTopic(qid: string, ranking: readonly string[], judged: Judged): TopicScores {
  const distinct = [...new Set(ranking)]
  return {
    qid,
    ndcg10: ndcgAt(distinct, judged, 10),
    mrr10: reciprocalRankAt(distinct, judged, 10),
    p5: precisionAt(distinct, judged, 5),
    recall100: recallAt(distinct, judged, 100),
    unjudged10: unjudgedAt(distinct, judged, 10),
  }
}

export interface RunScores {
  /** Topics scored; each mean below is over the topics that define it (see meanScores). */
  topics: number
  ndcg10: number
  mrr10: number
  p5: number
  recall100: number
  /** Mean count of unjudged documents in the top 10. */
  unjudged10: number
}

/** Means over topics; a topic without relevant documents is left out of the metrics it cannot define. */
export function meanScores(scores: readonly TopicScores[]): RunScores {
  return {
    topics: scores.length,
    ndcg10: mean(scores.map((s) => s.ndcg10)),
    mrr10: mean(scores.map((s) => s.mrr10)),
    p5: mean(scores.map((s) => s.p5)),
    recall100: mean(scores.map((s) => s.recall100)),
    unjudged10: mean(scores.map((s) => s.unjudged10)),
  }
}

function mean(values: readonly (number | null)[]): number {
  const defined = values.filter((v): v is number => v !== null)
  return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : Number.NaN
}

/** Scores a whole run: `rankings` maps qid → ids best first; a topic with no ranking scores as an empty one. */
export function evaluateRun(topics: readonly Topic[], qrels: Qrels, rankings: ReadonlyMap<string, readonly string[]>): {
  perTopic: TopicScores[]
  mean: RunScores
} {
  const perTopic = topics.map((t) => scoreTopic(t.qid, rankings.get(t.qid) ?? [], qrels.get(t.qid) ?? new Map()))
  return { perTopic, mean: meanScores(perTopic) }
}
