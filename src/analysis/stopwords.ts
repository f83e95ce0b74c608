/**
 * Function words that say nothing about what an article is about. A query does not require them and
 * they earn no score alone, but inside a phrase they still have to match.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 了 在 和 是 与 及 或 等 也 都 就 而 并 对 于 把 被 让 将 从 向 以 为 之 其 这 那 个 着 过 地 得 所 啊 吗 呢 吧 ' +
    '一个 这个 那个 我们 你们 他们 她们 它们 我 你 他 她 它 有 又 还 但 但是 因为 所以 如果 然后 以及 并且 而且 ' +
    // Question words: a question typed as a query (怎么申请个人养老金) asks about the rest.
    '怎么 怎样 怎么样 如何 为什么 为何 什么 多少 哪些 哪里 哪儿 哪个 是否 能否 是不是 有没有 ' +
    'the a an of to in on for and or is are was were be by with as at from that this it'
  ).split(/\s+/),
)

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word)
}
