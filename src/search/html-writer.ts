import { codeUnitClasses } from '../analysis/code-unit-classes.js'

/**
 * Escaped text and markup written code unit by code unit into a buffer kept between uses, and decoded
 * into one flat string at the end. Built by concatenation, a snippet was a rope of escaped slices that
 * the newline check, the newline replacement and JSON.stringify each copied again: about 2 KB of
 * garbage per hit for a result of a few hundred bytes.
 */
export class HtmlWriter {
  private units = new Uint16Array(1024)
  private view = Buffer.from(this.units.buffer)
  private length = 0
  /** Whether the last unit written stands for a run of newlines (see text). */
  private inNewlines = false

  /** Starts a new string. */
  reset(): void {
    // A whole long document marked for reading grows the buffer; it is not kept for the snippets after.
    if (this.units.length > KEPT_UNITS) {
      this.units = new Uint16Array(1024)
      this.view = Buffer.from(this.units.buffer)
    }
    this.length = 0
    this.inNewlines = false
  }

  /** Where the next unit goes: a mark for trim(). */
  get position(): number {
    return this.length
  }

  /** `s` as it is: markup, or text that needs no escaping. */
  markup(s: string): void {
    this.room(s.length)
    for (let i = 0; i < s.length; i++) this.units[this.length++] = s.charCodeAt(i)
    this.inNewlines = false
  }

  /** `text[from, to)`, HTML-escaped; with `oneLine`, each run of newlines as one space (as `.replace(/\n+/g, ' ')` would). */
  text(text: string, from: number, to: number, oneLine = false): void {
    this.room(6 * (to - from))
    const units = this.units
    let n = this.length
    let inNewlines = this.inNewlines
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i)
      if (c === NEWLINE && oneLine) {
        if (!inNewlines) units[n++] = SPACE
        inNewlines = true
        continue
      }
      inNewlines = false
      const escaped = c < ESCAPED.length ? ESCAPED[c] : undefined
      if (escaped === undefined) units[n++] = c
      else for (let k = 0; k < escaped.length; k++) units[n++] = escaped.charCodeAt(k)
    }
    // An empty slice leaves a run open: the regular expression would see the newlines on both sides as one run.
    this.length = n
    this.inNewlines = inNewlines
  }

  /** Removes white space at both ends of what was written since `start` (as String.prototype.trim would). */
  trim(start: number): void {
    const units = this.units
    let from = start
    let to = this.length
    while (from < to && isTrimmed(units[from]!) === 1) from++
    while (to > from && isTrimmed(units[to - 1]!) === 1) to--
    units.copyWithin(start, from, to)
    this.length = start + (to - from)
    this.inNewlines = false
  }

  /** What was written since reset(). */
  toString(): string {
    return this.view.toString('utf16le', 0, 2 * this.length)
  }

  private room(more: number): void {
    if (this.length + more <= this.units.length) return
    const grown = new Uint16Array(Math.max(2 * this.units.length, this.length + more))
    grown.set(this.units.subarray(0, this.length))
    this.units = grown
    this.view = Buffer.from(grown.buffer)
  }
}

/** Code units of buffer kept between strings, at most. */
const KEPT_UNITS = 1 << 16
const NEWLINE = 0x0a
const SPACE = 0x20
/** What each escaped ASCII character becomes; undefined for the rest. */
const ESCAPED: (string | undefined)[] = []
for (const [c, entity] of Object.entries({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })) ESCAPED[c.charCodeAt(0)] = entity

/** Whether String.prototype.trim removes a unit (white space and line terminators): 1 when it does. */
const isTrimmed = codeUnitClasses((s) => (s.trim() === '' ? 1 : 0))
