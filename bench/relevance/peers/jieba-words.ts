import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'

/**
 * jieba words as a user of a jieba-tokenized peer would get them: the default dictionary, precise mode without
 * HMM (so a word is cut the same way in a query and a post), Latin lower-cased, punctuation and spaces dropped.
 */
const jieba = Jieba.withDict(dict)

export function jiebaWords(text: string): string[] {
  return jieba
    .cut(text, false)
    .map((word) => word.trim().toLowerCase())
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
}
