import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_UTC_OFFSET, formatInstant, parsePostDate } from '../../src/ingest/post-date.js'

describe('parsePostDate', () => {
  const cases: [written: string, iso: string | null][] = [
    ['2022-03-29 08:42:52 +0800', '2022-03-29T08:42:52+08:00'],
    ['2022-03-29 08:42:52 -0500', '2022-03-29T08:42:52-05:00'],
    ['2022-03-29T08:42:52+05:30', '2022-03-29T08:42:52+05:30'],
    ['2022-03-29 08:42:52+08', '2022-03-29T08:42:52+08:00'],
    ['2022-03-29T00:42:52Z', '2022-03-29T00:42:52+00:00'],
    ['2022-03-29T00:42:52.123Z', '2022-03-29T00:42:52+00:00'],
    ['2021-12-08 10:46:18', `2021-12-08T10:46:18${DEFAULT_UTC_OFFSET}`],
    ['2021-12-08', `2021-12-08T00:00:00${DEFAULT_UTC_OFFSET}`],
    ['2021/12/08 10:00', `2021-12-08T10:00:00${DEFAULT_UTC_OFFSET}`],
    ['2021-1-8 7:05', `2021-01-08T07:05:00${DEFAULT_UTC_OFFSET}`],
    ['  2021-12-08 10:00:00 +0800  ', '2021-12-08T10:00:00+08:00'],
    ['2024-02-29', `2024-02-29T00:00:00${DEFAULT_UTC_OFFSET}`],
    // not dates
    ['  +0800', null],
    ['+0800', null],
    ['', null],
    ['garbage', null],
    ['yesterday 10:00', null],
    ['2023-02-29', null],
    ['2021-13-01', null],
    ['2021-12-32 10:00', null],
    ['2021-12-08 24:00', null],
    ['2021-12-08 10:60', null],
    ['2021-12-08 10:00 +1500', null],
    ['2021-12-08 10:00 +0800 trailing', null],
    ['20211208', null],
  ]
  for (const [written, iso] of cases) {
    it(`${JSON.stringify(written)} → ${iso}`, () => assert.equal(parsePostDate(written), iso))
  }
})

describe('formatInstant', () => {
  it('shows a UTC instant in the default offset', () => {
    assert.equal(DEFAULT_UTC_OFFSET, '+08:00')
    assert.equal(formatInstant(new Date('2021-12-08T00:00:00Z')), '2021-12-08T08:00:00+08:00')
    assert.equal(formatInstant(new Date('2021-12-31T20:30:00Z')), '2022-01-01T04:30:00+08:00')
  })
  it('gives null for an invalid Date', () => assert.equal(formatInstant(new Date('nope')), null))
})
