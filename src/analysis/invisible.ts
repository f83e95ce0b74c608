/**
 * Characters that shape text without being seen: zero-width spaces and joiners, the word joiner, the
 * byte-order mark, the soft hyphen. Inside a word they would split it into two units, so posts and
 * queries alike lose them: 长\u200b江 is 长江 wherever it is typed or pasted.
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g

export function withoutInvisible(text: string): string {
  return text.replace(INVISIBLE, '')
}
