import { closeSync, fstatSync, openSync, readFileSync, readSync, writeSync, fsyncSync } from 'node:fs'
import { crc32 } from 'node:zlib'

/** Options of `Container.open`. */
export interface OpenOptions {
  /** Read into a SharedArrayBuffer, so worker threads can view the same memory (`fromBytes`). */
  shared?: boolean
  /**
   * Sections left on disk and read a range at a time (`read`), as large stores that a query touches
   * only a little of (the texts) are: checked with the rest, but never held in memory.
   */
  onDisk?: readonly string[]
}

/**
 * The one binary layout of every index file: a magic, a JSON header naming typed sections, and the
 * sections themselves, each 8-byte aligned so a loader can view them as typed arrays in place,
 * without copying or parsing them.
 */
const MAGIC = 'JIANSUO1'

export type SectionData = Uint8Array | Uint32Array | Int32Array | Float64Array

/** A byte section given in pieces, written one after another: a large one need not be joined in memory first. */
export type SectionPieces = readonly Uint8Array[]

/** The pieces of a section as written: a section given whole is its own one piece. */
function piecesOf(data: SectionData | SectionPieces): readonly SectionData[] {
  return Array.isArray(data) ? data : [data as SectionData]
}

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

function dtypeOf(data: SectionData | SectionPieces): Dtype {
  if (Array.isArray(data) || data instanceof Uint8Array) return 'u8'
  if (data instanceof Uint32Array) return 'u32'
  if (data instanceof Int32Array) return 'i32'
  return 'f64'
}

const align8 = (n: number) => (n + 7) & ~7

/** Writes a container file and returns its size and CRC-32, which the manifest records. */
export function writeContainer(
  path: string,
  meta: unknown,
  sections: Record<string, SectionData | SectionPieces>,
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
      const bytes = piecesOf(data).reduce((n, piece) => n + piece.byteLength, 0)
      const entry = { name, dtype: dtypeOf(data), offset, bytes }
      offset = align8(offset + bytes)
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
      for (const data of piecesOf(sections[entry.name]!)) put(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
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

/** Closes the file of a container whose sections on disk nobody can read any more. */
const openFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd)
  } catch {
    // Already closed: nothing to release.
  }
})

/**
 * A loaded container: typed views straight onto the file's bytes. Sections named `onDisk` are not in
 * memory: the bytes held are the file with those sections cut out, and `read` fetches their ranges.
 */
export class Container {
  readonly meta: unknown
  private readonly entries = new Map<string, SectionEntry>()
  /** Where each in-memory section starts in `buffer` (its file offset less the sections cut out before it). */
  private readonly memoryOffsets = new Map<string, number>()

  private constructor(
    private readonly file: string,
    private readonly buffer: Uint8Array,
    private readonly onDisk: ReadonlySet<string> = new Set(),
    /** The open file the sections on disk are read from (-1 when every section is in memory). */
    private fd = -1,
  ) {
    const header = readHeader(file, buffer)
    this.meta = header.meta
    let cut = 0
    for (const entry of header.sections) {
      this.entries.set(entry.name, entry)
      if (onDisk.has(entry.name)) {
        cut += align8(entry.bytes)
        continue
      }
      if (entry.offset - cut + entry.bytes > buffer.length) throw new CorruptIndexError(file, `section ${entry.name} is truncated`)
      this.memoryOffsets.set(entry.name, entry.offset - cut)
    }
    if (fd >= 0) openFiles.register(this, fd, this)
  }

  /**
   * Closes the file the sections left on disk are read from, now rather than whenever the collector
   * finds the container: a server reloading its index would otherwise keep every pruned generation's
   * file open (and its disk space in use). Reading such a section afterwards is an error.
   */
  close(): void {
    if (this.fd < 0) return
    openFiles.unregister(this)
    const fd = this.fd
    this.fd = -2
    try {
      closeSync(fd)
    } catch {
      // Already closed: nothing to release.
    }
  }

  /**
   * Whether the file the sections left on disk are read from has been cut short since it was opened
   * (a careless copy over it): reading them would fail. The open file is asked, not the path, so a file
   * replaced by a new one (a rebuild's rename) is not taken for it.
   */
  cutShort(): boolean {
    if (this.fd < 0) return false
    let needed = 0
    for (const name of this.onDisk) {
      const entry = this.entries.get(name)
      if (entry) needed = Math.max(needed, entry.offset + entry.bytes)
    }
    try {
      return fstatSync(this.fd).size < needed
    } catch {
      return true
    }
  }

  /** Whether the file has a section of this name (sections added in later versions are optional). */
  has(name: string): boolean {
    return this.entries.has(name)
  }

  /** Each section's name and size in bytes, in file order (for reports of where an index's bytes go). */
  sectionSizes(): { name: string; bytes: number }[] {
    return [...this.entries.values()].map(({ name, bytes }) => ({ name, bytes }))
  }

  /**
   * Reads a file and checks it against the size and CRC-32 the manifest recorded. With `shared`, the
   * bytes land in a SharedArrayBuffer, so worker threads can view the same memory (`fromBytes`)
   * instead of each holding a copy. Sections `onDisk` are checked with the rest but not kept.
   */
  static open(path: string, expected?: { bytes: number; crc32: number }, options: OpenOptions = {}): Container {
    const onDisk = new Set(options.onDisk ?? [])
    if (onDisk.size > 0) return Container.openLeavingOnDisk(path, expected, onDisk, options.shared === true)
    let buffer: Uint8Array
    try {
      buffer = options.shared ? readShared(path) : readFileSync(path)
    } catch (error) {
      if (error instanceof CorruptIndexError) throw error
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

  /** Streams the file once: every byte goes into the checksum, only the in-memory sections' bytes are kept. */
  private static openLeavingOnDisk(path: string, expected: { bytes: number; crc32: number } | undefined, onDisk: Set<string>, shared: boolean): Container {
    const fd = openFile(path)
    try {
      const size = fstatSync(fd).size
      if (expected && size !== expected.bytes) throw new CorruptIndexError(path, `size ${size} bytes, expected ${expected.bytes}`)
      const head = readAt(path, fd, 0, Buffer.alloc(Math.min(size, MAGIC.length + 4)))
      const headerEnd = MAGIC.length + 4 + (head.length === MAGIC.length + 4 ? head.readUInt32LE(MAGIC.length) : 0)
      const header = readHeader(path, readAt(path, fd, 0, Buffer.alloc(Math.min(size, headerEnd))))
      // The byte ranges of the file left out of memory, in file order.
      const skipped = header.sections
        .filter((entry) => onDisk.has(entry.name))
        .map((entry) => ({ start: entry.offset, end: Math.min(size, entry.offset + align8(entry.bytes)) }))
        .sort((a, b) => a.start - b.start)
      const kept = size - skipped.reduce((sum, range) => sum + Math.max(0, range.end - range.start), 0)
      const buffer = new Uint8Array(shared ? new SharedArrayBuffer(kept) : new ArrayBuffer(kept))
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
      let crc = 0
      let keptAt = 0
      for (let at = 0; at < size; ) {
        const read = readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, size - at), at)
        if (read === 0) throw new CorruptIndexError(path, `ends at byte ${at}, expected ${size}`)
        const bytes = chunk.subarray(0, read)
        crc = crc32(bytes, crc)
        // Copy the parts of this chunk outside every skipped range.
        let from = at
        const end = at + read
        for (const range of skipped) {
          if (range.end <= from || range.start >= end) continue
          if (range.start > from) {
            buffer.set(bytes.subarray(from - at, range.start - at), keptAt)
            keptAt += range.start - from
          }
          from = Math.min(end, range.end)
        }
        if (from < end) {
          buffer.set(bytes.subarray(from - at), keptAt)
          keptAt += end - from
        }
        at = end
      }
      if (expected && (crc >>> 0) !== expected.crc32) throw new CorruptIndexError(path, 'checksum mismatch')
      return new Container(path, buffer, onDisk, fd)
    } catch (error) {
      closeSync(fd)
      throw error
    }
  }

  /**
   * Views bytes some thread already read with `open` and checked against the manifest (usually shared
   * memory passed to a worker): the header is parsed again, the checksum is not recomputed. Sections
   * `onDisk` (as given to `open`) are read through a file this thread opens.
   */
  static fromBytes(path: string, bytes: Uint8Array, onDisk: readonly string[] = []): Container {
    const aligned = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes)
    if (onDisk.length === 0) return new Container(path, aligned)
    return new Container(path, aligned, new Set(onDisk), openFile(path))
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

  /** Where an in-memory section starts in the buffer. */
  private at(name: string, dtype: Dtype): { offset: number; bytes: number } {
    const entry = this.entry(name, dtype)
    const offset = this.memoryOffsets.get(name)
    if (offset === undefined) throw new Error(`section ${name} of ${this.file} was left on disk: read it with read()`)
    return { offset: this.buffer.byteOffset + offset, bytes: entry.bytes }
  }

  /**
   * Bytes [start, end) of a u8 section, from memory (a view) or, for a section left on disk, from the
   * file: into the start of `out` when given (room for them), else into a buffer of their own.
   */
  read(name: string, start: number, end: number, out?: Uint8Array): Uint8Array {
    const entry = this.entry(name, 'u8')
    if (start < 0 || end < start || end > entry.bytes) throw new CorruptIndexError(this.file, `range ${start}–${end} is outside section ${name}`)
    if (!this.onDisk.has(name)) return this.u8(name).subarray(start, end)
    // A closed container's descriptor may already name another file: never read through it.
    if (this.fd === -2) throw new Error(`${this.file} was closed (its generation was replaced); section ${name} cannot be read`)
    return readAt(this.file, this.fd, entry.offset + start, out ? out.subarray(0, end - start) : Buffer.allocUnsafe(end - start))
  }

  u8(name: string): Uint8Array {
    const { offset, bytes } = this.at(name, 'u8')
    return new Uint8Array(this.buffer.buffer, offset, bytes)
  }

  u32(name: string): Uint32Array {
    const { offset, bytes } = this.at(name, 'u32')
    return new Uint32Array(this.buffer.buffer, offset, bytes / 4)
  }

  i32(name: string): Int32Array {
    const { offset, bytes } = this.at(name, 'i32')
    return new Int32Array(this.buffer.buffer, offset, bytes / 4)
  }

  f64(name: string): Float64Array {
    const { offset, bytes } = this.at(name, 'f64')
    return new Float64Array(this.buffer.buffer, offset, bytes / 8)
  }
}

/** Bytes read per step when a file is streamed through the checksum. */
const CHUNK_BYTES = 1 << 20

/** The magic and JSON header at the start of a container's bytes. */
function readHeader(file: string, buffer: Uint8Array): Header {
  if (buffer.length < MAGIC.length + 4 || Buffer.from(buffer.subarray(0, MAGIC.length)).toString('latin1') !== MAGIC) {
    throw new CorruptIndexError(file, 'not a jiansuo index file')
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  const headerEnd = MAGIC.length + 4 + view.getUint32(MAGIC.length, true)
  if (headerEnd > buffer.length) throw new CorruptIndexError(file, 'truncated header')
  try {
    return JSON.parse(Buffer.from(buffer.subarray(MAGIC.length + 4, headerEnd)).toString('utf8')) as Header
  } catch {
    throw new CorruptIndexError(file, 'unreadable header')
  }
}

function openFile(path: string): number {
  try {
    return openSync(path, 'r')
  } catch (error) {
    throw new CorruptIndexError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
}

/** Fills `out` from the file at `position`; a short file is a damaged index. */
function readAt<T extends Uint8Array>(path: string, fd: number, position: number, out: T): T {
  const length = out.length
  let done = 0
  while (done < length) {
    let read: number
    try {
      read = readSync(fd, out, done, length - done, position + done)
    } catch (error) {
      throw new CorruptIndexError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
    }
    if (read === 0) throw new CorruptIndexError(path, `ends before byte ${position + length}`)
    done += read
  }
  return out
}

/** A whole file read into a SharedArrayBuffer (8-aligned, as typed views need). */
function readShared(path: string): Uint8Array {
  const fd = openFile(path)
  try {
    const size = fstatSync(fd).size
    return readAt(path, fd, 0, new Uint8Array(new SharedArrayBuffer(size)))
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
