/**
 * Characters that shape text without being seen: zero-width spaces and joiners, the word joiner, the
 * byte-order mark, the soft hyphen, direction marks and embeddings, invisible operators, the combining
 * grapheme joiner, the Mongolian vowel separator and variation selectors, the ideographic ones
 * (U+E0100–E01EF, a surrogate pair each, which pick a glyph of a Han character: 葛\u{E0100}) included.
 * Inside a word they would split it into two units, so posts and queries alike lose them: 长\u200b江 is
 * 长江 wherever it is typed or pasted.
 */
const INVISIBLE = /[\u00AD\u034F\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFE00-\uFE0F\uFEFF]|\uDB40[\uDD00-\uDDEF]/g

export function withoutInvisible(text: string): string {
  return text.replace(INVISIBLE, '')
}
