import { join } from 'node:path'
import type { IndexReader } from '../index/reader.js'
import { readSuggestedWords, SUGGEST_FILE } from './file.js'
import { PinyinLookup } from './pinyin.js'

/**
 * Han words that sound alike, read from the suggestion vocabulary's pinyin: the words an input method
 * offers for the same syllables, so that one is picked by mistake for the other (宏旗区 for 红旗区,
 * both hong qi qu).
 */
export class Homophones {
  /** Words by their reading (`hong qi qu`), most frequent first, as the vocabulary lists them. */
  private readonly wordsByReading = new Map<string, string[]>()
  /** The readings that start some word's (`hong`, `hong qi`): a query's readings are only followed as far as a word's go. */
  private readonly startsOfReadings = new Set<string>()
  /** Each character's readings: those the vocabulary's words give it first, then the rest the table knows. */
  private readonly charReadings = new Map<string, string[]>()
  /** The characters read each way (`xiong` → 雄, 熊, 兄 …): what an input method offers for one syllable. */
  private readonly charsByReading = new Map<string, Set<string>>()
  /** Words by the pinyin typed for them without an input method, as suggestions find them. */
  private readonly pinyin: PinyinLookup

  /** `characterReadings`: as {@link SuggestData.characterReadings} stores them; without, characters are read from the words alone. */
  constructor(
    private readonly wordKeys: readonly string[],
    readings: readonly string[],
    characterReadings = '',
  ) {
    this.pinyin = new PinyinLookup(readings)
    wordKeys.forEach((word, id) => {
      const reading = readings[id]
      if (!reading) return
      const syllables = reading.split(' ')
      const chars = [...word]
      if (syllables.length !== chars.length) return
      const same = this.wordsByReading.get(reading)
      if (same) same.push(word)
      else this.wordsByReading.set(reading, [word])
      for (let k = 1; k < syllables.length; k++) this.startsOfReadings.add(syllables.slice(0, k).join(' '))
      chars.forEach((char, i) => this.addReading(char, syllables[i]!))
    })
    for (const entry of characterReadings.split(' ')) {
      if (entry === '') continue
      const char = String.fromCodePoint(entry.codePointAt(0)!)
      // An input method offers a character for its main reading, not for a rare one (信 is xin, not shen).
      entry
        .slice(char.length)
        .split(',')
        .forEach((syllable, k) => this.addReading(char, syllable, k === 0))
    }
  }

  /** The vocabulary's words other than `text` that read as it may be read; none when a character cannot be read. */
  of(text: string): string[] {
    const chars = [...text]
    const found = new Set<string>()
    const follow = (k: number, reading: string) => {
      if (k === chars.length) {
        for (const word of this.wordsByReading.get(reading) ?? []) if (word !== text) found.add(word)
        return
      }
      for (const syllable of this.charReadings.get(chars[k]!) ?? []) {
        const next = k === 0 ? syllable : `${reading} ${syllable}`
        // Only readings that some word's starts with lead anywhere: the search stays as small as the answer.
        if (k + 1 === chars.length || this.startsOfReadings.has(next)) follow(k + 1, next)
      }
    }
    follow(0, '')
    return [...found]
  }

  /**
   * The vocabulary's Han words that `letters` may be pinyin typed for without an input method, most
   * frequent first, as suggestions read it: the start of a reading (hongqi → 红旗区) or its initials (hqq).
   */
  spelledBy(letters: string, limit: number): string[] {
    return this.pinyin.find(letters, limit).map((id) => this.wordKeys[id]!)
  }

  /**
   * `text` with one character swapped for another read the same way (哅安 → 雄安, 熊安 …, 哅按 …): the slip
   * of an input method in a word no vocabulary lists (a new name, 雄安 before jieba knew it). Many are no
   * word: the caller keeps those the index holds.
   */
  *swaps(text: string): Generator<{ word: string; at: number }> {
    const chars = [...text]
    for (let at = 0; at < chars.length; at++) {
      const typed = chars[at]!
      const offered = new Set<string>()
      for (const syllable of this.charReadings.get(typed) ?? []) for (const char of this.charsByReading.get(syllable) ?? []) offered.add(char)
      offered.delete(typed)
      for (const char of offered) yield { word: [...chars.slice(0, at), char, ...chars.slice(at + 1)].join(''), at }
    }
  }

  /** Records that `char` reads `syllable`; `offered`: an input method offers it for that syllable, so it may replace another. */
  private addReading(char: string, syllable: string, offered = true): void {
    const known = this.charReadings.get(char)
    if (!known) this.charReadings.set(char, [syllable])
    else if (!known.includes(syllable)) known.push(syllable)
    if (!offered) return
    const chars = this.charsByReading.get(syllable)
    if (chars) chars.add(char)
    else this.charsByReading.set(syllable, new Set([char]))
  }
}

// One per loaded index, read when an engine is warmed or on first use (0.3–0.8 s at 100,000 posts); null when the index has no readings.
const loaded = new WeakMap<IndexReader, Homophones | null>()

/** Whether the homophones of `index` have been read (see SearchEngine.warmUp). */
export function homophonesLoaded(index: IndexReader): boolean {
  return loaded.has(index)
}

/**
 * The homophones of an index's vocabulary, or null for an index built without suggestions or pinyin, or
 * whose suggestion file cannot be read: they only serve to offer a correction, which such an index goes without.
 */
export function homophonesOf(index: IndexReader): Homophones | null {
  if (loaded.has(index)) return loaded.get(index)!
  let homophones: Homophones | null = null
  if (index.suggest) {
    try {
      const { wordKeys, readings, characterReadings } = readSuggestedWords(index.suggest, join(index.dir, index.manifest.generation, SUGGEST_FILE))
      if (readings) homophones = new Homophones(wordKeys, readings, characterReadings)
    } catch {
      // A damaged suggestion file: /suggest reports it; a search goes on without offering corrections.
    }
  }
  loaded.set(index, homophones)
  return homophones
}
