/**
 * `classOf` of each UTF-16 code unit, worked out the first time the unit is met and read from a table
 * after that: a scanner testing `text[k]` against a pattern would make a string of every character it
 * passes, and a pattern over the whole text is slower than looking each unit up. `classOf` sees the unit
 * as a one-unit string (half of a surrogate pair alone, as `text[k]` gives it) and returns 0–127: bits
 * for several patterns at once, or 1 and 0 for one.
 */
export function codeUnitClasses(classOf: (unit: string) => number): (code: number) => number {
  // The high bit marks a unit already worked out, so that class 0 is remembered too.
  const table = new Uint8Array(0x10000)
  return (code) => {
    const known = table[code]!
    if (known !== 0) return known & 0x7f
    const found = classOf(String.fromCharCode(code)) & 0x7f
    table[code] = 0x80 | found
    return found
  }
}
