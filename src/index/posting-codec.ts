import { readVarint, type ByteWriter, type Cursor } from './bytes.js'

/**
 * How one posting is written: a varint of (document delta × 8 + code), where codes 0–6 stand for the
 * (body, title) counts nearly every posting has — (1,0) alone is 70% of them — and code 7 says the
 * counts follow: a varint of body × 4 + min(title, 3), then the title count if it is 3 or more. A
 * posting in a dense list is one byte.
 */
export const SPELLED_OUT = 7
/** Body and title counts of codes 0–6 (read by the posting cursor, which decodes heads itself). */
export const CODE_BODY: readonly number[] = [1, 2, 3, 4, 1, 5, 0]
export const CODE_TITLE: readonly number[] = [0, 0, 0, 0, 1, 0, 1]

/** The code of a posting's counts (SPELLED_OUT when they are not among the common ones). */
function countsCode(tfBody: number, tfTitle: number): number {
  if (tfTitle === 0) {
    if (tfBody >= 1 && tfBody <= 4) return tfBody - 1
    if (tfBody === 5) return 5
  } else if (tfTitle === 1) {
    if (tfBody === 1) return 4
    if (tfBody === 0) return 6
  }
  return SPELLED_OUT
}

export function writePosting(out: ByteWriter, delta: number, tfTitle: number, tfBody: number): void {
  const code = countsCode(tfBody, tfTitle)
  out.varint(delta * 8 + code)
  if (code !== SPELLED_OUT) return
  out.varint(tfBody * 4 + Math.min(tfTitle, 3))
  if (tfTitle >= 3) out.varint(tfTitle)
}

/** One decoded posting: the document delta and the counts per field. */
export interface Posting {
  delta: number
  tfTitle: number
  tfBody: number
}

/** Reads the posting at `cursor` into `into` (and moves the cursor past it). */
export function readPosting(bytes: Uint8Array, cursor: Cursor, into: Posting): void {
  const head = readVarint(bytes, cursor)
  const code = head % 8
  into.delta = Math.floor(head / 8)
  if (code !== SPELLED_OUT) {
    into.tfBody = CODE_BODY[code]!
    into.tfTitle = CODE_TITLE[code]!
    return
  }
  const tf = readVarint(bytes, cursor)
  into.tfTitle = (tf & 3) === 3 ? readVarint(bytes, cursor) : tf & 3
  into.tfBody = Math.floor(tf / 4)
}

/** A list's first posting written again with its document delta moved by `shift` (when shard lists are joined). */
export function rebaseFirstPosting(list: Uint8Array, out: ByteWriter, shift: number): void {
  const cursor: Cursor = { at: 0 }
  const head = readVarint(list, cursor)
  out.varint(head + shift * 8)
  out.append(list.subarray(cursor.at))
}
