import { closeSync, fstatSync, openSync, readFileSync, readSync, writeSync, fsyncSync } from 'node:fs'
import { crc32 } from 'node:zlib'

/**
 * The one binary layout of every index file: a magic, a JSON header naming typed sections, and the
 * sections themselves, each 8-byte aligned so a loader can view them as typed arrays in place,
 * without copying or parsing them.
 */
const MAGIC = 'JIANSUO1'

export type SectionData = Uint8Array | Uint32Array | Int32Array | Float64Array

type Dtype = 'u8' | 'u32' | 'i32' | 'f64'

interface SectionEntry {
  name: string
  dtype: Dtype
  offset: number
  bytes: number
}

interface Header {
  meta: unknown
  sections: SectionEntry[]
}

function dtypeOf(data: SectionData): Dtype {
  if (data instanceof Uint8Array) return 'u8'
  if (data instanceof Uint32Array) return 'u32'
  if (data instanceof Int32Array) return 'i32'
  return 'f64'
}

const align8 = (n: number) => (n + 7) & ~7

/** Writes a container file and returns its size and CRC-32, which the manifest records. */
export function writeContainer(
  path: string,
  meta: unknown,
  sections: Record<string, SectionData>,
): { bytes: number; crc32: number } {
  const names = Object.keys(sections)
  let entries: SectionEntry[] = []
  let headerBytes = Buffer.alloc(0)
  // Repeat until the header's length settles (longer offsets can lengthen the header itself).
  for (let previous = -1; previous !== headerBytes.length; ) {
    previous = headerBytes.length
    let offset = align8(MAGIC.length + 4 + headerBytes.length)
    entries = names.map((name) => {
      const data = sections[name]!
      const entry = { name, dtype: dtypeOf(data), offset, bytes: data.byteLength }
      offset = align8(offset + data.byteLength)
      return entry
    })
    headerBytes = Buffer.from(JSON.stringify({ meta, sections: entries } satisfies Header), 'utf8')
  }
  const fd = openSync(path, 'w')
  let crc = 0
  let position = 0
  const put = (chunk: Uint8Array) => {
    // zlib.crc32 answers 0 for an empty view of an empty buffer, forgetting the running value.
    if (chunk.length === 0) return
    let done = 0
    while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done)
    crc = crc32(chunk, crc)
    position += chunk.length
  }
  try {
    const lead = Buffer.alloc(MAGIC.length + 4)
    lead.write(MAGIC, 0, 'latin1')
    lead.writeUInt32LE(headerBytes.length, MAGIC.length)
    put(lead)
    put(headerBytes)
    for (const entry of entries) {
      if (position < entry.offset) put(new Uint8Array(entry.offset - position))
      const data = sections[entry.name]!
      put(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    }
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return { bytes: position, crc32: crc >>> 0 }
}

export class CorruptIndexError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`index file ${file} is damaged: ${detail}`)
    this.name = 'CorruptIndexError'
  }
}

/** A loaded container: typed views straight onto the file's bytes. */
export class Container {
  readonly meta: unknown
  private readonly entries = new Map<string, SectionEntry>()

  private constructor(private readonly file: string, private readonly buffer: Uint8Array) {
    if (buffer.length < MAGIC.length + 4 || Buffer.from(buffer.subarray(0, MAGIC.length)).toString('latin1') !== MAGIC) {
      throw new CorruptIndexError(file, 'not a jiansuo index file')
    }
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    const headerLength = view.getUint32(MAGIC.length, true)
    const headerEnd = MAGIC.length + 4 + headerLength
    if (headerEnd > buffer.length) throw new CorruptIndexError(file, 'truncated header')
    let header: Header
    try {
      header = JSON.parse(Buffer.from(buffer.subarray(MAGIC.length + 4, headerEnd)).toString('utf8')) as Header
    } catch {
      throw new CorruptIndexError(file, 'unreadable header')
    }
    this.meta = header.meta
    for (const entry of header.sections) {
      if (entry.offset + entry.bytes > buffer.length) throw new CorruptIndexError(file, `section ${entry.name} is truncated`)
      this.entries.set(entry.name, entry)
    }
  }

  /** Each section's name and size in bytes, in file order (for reports of where an index's bytes go). */
  sectionSizes(): { name: string; bytes: number }[] {
    return [...this.entries.values()].map(({ name, bytes }) => ({ name, bytes }))
  }

  /**
   * Reads a file and checks it against the size and CRC-32 the manifest recorded. With `shared`, the
   * bytes land in a SharedArrayBuffer, so worker threads can view the same memory (`fromBytes`)
   * instead of each holding a copy.
   */
  static open(path: string, expected?: { bytes: number; crc32: number }, options: { shared?: boolean } = {}): Container {
    let buffer: Uint8Array
    try {
      buffer = options.shared ? readShared(path) : readFileSync(path)
    } catch (error) {
      throw new CorruptIndexError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
    }
    if (expected) {
      if (buffer.length !== expected.bytes) {
        throw new CorruptIndexError(path, `size ${buffer.length} bytes, expected ${expected.bytes}`)
      }
      if ((crc32(buffer) >>> 0) !== expected.crc32) throw new CorruptIndexError(path, 'checksum mismatch')
    }
    // Typed views need aligned memory; small files may sit at an odd offset of a shared pool.
    if (buffer.byteOffset % 8 !== 0) buffer = new Uint8Array(buffer)
    return new Container(path, buffer)
  }

  /**
   * Views bytes some thread already read with `open` and checked against the manifest (usually shared
   * memory passed to a worker): the header is parsed again, the checksum is not recomputed.
   */
  static fromBytes(path: string, bytes: Uint8Array): Container {
    return new Container(path, bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes))
  }

  /** The whole file as loaded, to hand to `fromBytes` in another thread. */
  get bytes(): Uint8Array {
    return this.buffer
  }

  private entry(name: string, dtype: Dtype): SectionEntry {
    const entry = this.entries.get(name)
    if (!entry) throw new CorruptIndexError(this.file, `section ${name} is missing`)
    if (entry.dtype !== dtype) throw new CorruptIndexError(this.file, `section ${name} has type ${entry.dtype}`)
    return entry
  }

  u8(name: string): Uint8Array {
    const e = this.entry(name, 'u8')
    return this.buffer.subarray(e.offset, e.offset + e.bytes)
  }

  u32(name: string): Uint32Array {
    const e = this.entry(name, 'u32')
    return new Uint32Array(this.buffer.buffer, this.buffer.byteOffset + e.offset, e.bytes / 4)
  }

  i32(name: string): Int32Array {
    const e = this.entry(name, 'i32')
    return new Int32Array(this.buffer.buffer, this.buffer.byteOffset + e.offset, e.bytes / 4)
  }

  f64(name: string): Float64Array {
    const e = this.entry(name, 'f64')
    return new Float64Array(this.buffer.buffer, this.buffer.byteOffset + e.offset, e.bytes / 8)
  }
}

/** A whole file read into a SharedArrayBuffer (8-aligned, as typed views need). */
function readShared(path: string): Uint8Array {
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    const bytes = new Uint8Array(new SharedArrayBuffer(size))
    let done = 0
    while (done < size) {
      const read = readSync(fd, bytes, done, size - done, done)
      if (read === 0) break
      done += read
    }
    return done === size ? bytes : bytes.subarray(0, done)
  } finally {
    closeSync(fd)
  }
}

/** Writes a small text file the index depends on (the user dictionary, synonyms), synced, with its size and CRC-32. */
export function writeTextFile(path: string, text: string): { bytes: number; crc32: number } {
  const bytes = Buffer.from(text, 'utf8')
  const fd = openSync(path, 'w')
  try {
    let done = 0
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return { bytes: bytes.length, crc32: crc32(bytes) >>> 0 }
}

/** Reads a text file written by writeTextFile, checked against what the manifest recorded. */
export function readTextFile(path: string, expected: { bytes: number; crc32: number }): string {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    throw new CorruptIndexError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  if (bytes.length !== expected.bytes) throw new CorruptIndexError(path, `size ${bytes.length} bytes, expected ${expected.bytes}`)
  if ((crc32(bytes) >>> 0) !== expected.crc32) throw new CorruptIndexError(path, 'checksum mismatch')
  return bytes.toString('utf8')
}
