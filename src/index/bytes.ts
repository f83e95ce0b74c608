/** At least this share of a writer's buffer written, finish() hands over the buffer rather than a copy. */
const NEARLY_FULL = 0.9

/** A growable byte buffer with LEB128 varints: the building block of postings. */
export class ByteWriter {
  bytes: Uint8Array
  length = 0

  constructor(capacity = 1024) {
    this.bytes = new Uint8Array(capacity)
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return
    let size = this.bytes.length * 2
    while (size < this.length + extra) size *= 2
    const grown = new Uint8Array(size)
    grown.set(this.bytes.subarray(0, this.length))
    this.bytes = grown
  }

  varint(value: number): void {
    this.ensure(10)
    let v = value
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80
      v = Math.floor(v / 128)
    }
    this.bytes[this.length++] = v
  }

  append(chunk: Uint8Array): void {
    this.ensure(chunk.length)
    this.bytes.set(chunk, this.length)
    this.length += chunk.length
  }

  /**
   * The written bytes, in a buffer of their own (safe to transfer between threads): the writer's own when
   * it is nearly full (a writer sized in advance, whose hundreds of megabytes a copy would double), else
   * trimmed into a new one.
   */
  finish(): Uint8Array {
    return this.length >= this.bytes.length * NEARLY_FULL ? this.bytes.subarray(0, this.length) : this.bytes.slice(0, this.length)
  }
}

/** Reads one varint at `state.at`, advancing it. A tiny object instead of a closure keeps the hot loop lean. */
export interface Cursor {
  at: number
}

export function readVarint(bytes: Uint8Array, cursor: Cursor): number {
  let b = bytes[cursor.at++]!
  if (b < 0x80) return b
  let value = b & 0x7f
  let scale = 128
  for (;;) {
    b = bytes[cursor.at++]!
    value += (b & 0x7f) * scale
    if (b < 0x80) return value
    scale *= 128
  }
}

/** Bytes taken by the varint starting at `at`. */
export function varintLength(bytes: Uint8Array, at: number): number {
  let n = 1
  while (bytes[at + n - 1]! >= 0x80) n++
  return n
}
