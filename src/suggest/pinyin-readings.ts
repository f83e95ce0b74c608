import { pinyin, polyphonic } from 'pinyin-pro'

// A module of its own, imported only by a build: pinyin-pro's dictionary costs ~18 MB and ~44 ms to load,
// which a server that only looks readings up (PinyinLookup) never pays.

/**
 * Each word's reading as pinyin syllables without tones, space-separated (红旗区 → `hong qi qu`), read
 * as a word so that a character with several readings takes the word's (银行 → `yin hang`); '' for a
 * word that is not all Han characters. Stored with the suggestions: reading 50,000 words takes ~0.2 s.
 */
export function pinyinReadings(words: readonly string[]): string[] {
  return words.map((word) => (/^\p{Script=Han}+$/u.test(word) ? pinyin(word, { toneType: 'none', type: 'array', v: true }).join(' ') : ''))
}

/** The Han characters {@link characterReadings} reads: the CJK Unified Ideographs block, where text folded to simplified characters falls. */
const HAN_FIRST = 0x4e00
const HAN_LAST = 0x9fff

/**
 * Every reading of every character of the CJK block, the commonest first, as one string: the
 * character, its readings joined by commas, a space before the next (`行xing,hang,heng 衍yan …`; ~117 KB,
 * ~50 ms). Stored with the suggestions so that a query's characters can be read where no word of the
 * archive holds them (宏 of 宏旗区, typed for 红旗区), without loading pinyin-pro to serve.
 */
export function characterReadings(): string {
  let block = ''
  for (let code = HAN_FIRST; code <= HAN_LAST; code++) block += String.fromCharCode(code)
  const readings = polyphonic(block, { toneType: 'none', type: 'array', v: true })
  const entries: string[] = []
  readings.forEach((found, i) => {
    const syllables = [...new Set(found)].filter((r) => /^[a-z]+$/.test(r))
    if (syllables.length > 0) entries.push(block[i]! + syllables.join(','))
  })
  return entries.join(' ')
}
