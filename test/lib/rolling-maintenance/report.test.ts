import fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  displayRollingDate,
  formatDuration,
  outputFileNames,
  outputSummary,
  parseRollingDate,
  rollingDateOffset,
  skippedHostRows,
  updatedHostRows,
} from '../../../src/lib/rolling-maintenance/report.js'

describe('rolling maintenance dates', () => {
  it("reads the server's dates with a literal quoted T and a +hh:mm offset", () => {
    // The strings of ApiResponseHelperTest.getDateStringInternal.
    assert.equal(parseRollingDate("2014-06-29'T'23:45:00+00:00")?.toISOString(), '2014-06-29T23:45:00.000Z')
    assert.equal(parseRollingDate("2014-06-29'T'23:45:11+00:00")?.toISOString(), '2014-06-29T23:45:11.000Z')
    assert.equal(parseRollingDate("2025-01-01'T'12:00:00+05:30")?.toISOString(), '2025-01-01T06:30:00.000Z')
    assert.equal(parseRollingDate("2025-01-01'T'12:00:00-03:00")?.toISOString(), '2025-01-01T15:00:00.000Z')
  })

  it('also reads plain ISO and CloudStack +0000 dates, and refuses garbage', () => {
    assert.equal(parseRollingDate('2025-01-01T12:00:00+0000')?.toISOString(), '2025-01-01T12:00:00.000Z')
    assert.equal(parseRollingDate('2025-01-01T12:00:00Z')?.toISOString(), '2025-01-01T12:00:00.000Z')
    assert.equal(parseRollingDate('yesterday'), null)
    assert.equal(parseRollingDate(), null)
  })

  it('round-trips any instant written the way the server writes it', () => {
    fc.assert(
      fc.property(
        fc.date({max: new Date('2100-01-01'), min: new Date('2000-01-01'), noInvalidDate: true}),
        fc.integer({max: 14 * 4, min: -12 * 4}),
        (date, quarterHours) => {
          const instant = Math.floor(date.getTime() / 1000) * 1000
          const offset = quarterHours * 15
          const local = new Date(instant + offset * 60_000)
          const pad = (n: number) => String(Math.abs(n)).padStart(2, '0')
          const text =
            `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}'T'` +
            `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
            `${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
          assert.equal(parseRollingDate(text)?.getTime(), instant)
        },
      ),
    )
  })

  it('shows dates without the quotes', () => {
    assert.equal(displayRollingDate("2025-01-01'T'12:00:00+00:00"), '2025-01-01 12:00:00')
    assert.equal(rollingDateOffset("2025-01-01'T'12:00:00+05:30"), '+05:30')
    assert.equal(rollingDateOffset(), null)
  })

  it('formats durations', () => {
    assert.equal(formatDuration(12_000), '12s')
    assert.equal(formatDuration(250_000), '4m10s')
    assert.equal(formatDuration(3_725_000), '1h02m05s')
    assert.equal(formatDuration(-5), '0s')
  })
})

describe('rolling maintenance report rows', () => {
  const result = {
    details: 'OK',
    hostsskipped: [{hostid: 'h3', hostname: 'kvm-3', reason: 'Pre-flight stage set to avoid maintenance'}],
    hostsupdated: [
      {
        enddate: "2025-01-01'T'12:04:10+00:00",
        hostid: 'h1',
        hostname: 'kvm-1',
        output: 'kernel updated\nrebooted',
        startdate: "2025-01-01'T'12:00:00+00:00",
      },
      {enddate: 'bad', hostid: 'h2', hostname: 'kvm-2', startdate: "2025-01-01'T'12:05:00+00:00"},
    ],
    success: true,
  }

  it('computes durations from startdate and enddate', () => {
    const rows = updatedHostRows(result)
    assert.deepEqual(rows[0], {
      duration: '4m10s',
      durationseconds: 250,
      end: '2025-01-01 12:04:10',
      hostid: 'h1',
      hostname: 'kvm-1',
      output: 'kernel updated …',
      start: '2025-01-01 12:00:00',
    })
    assert.equal(rows[1].duration, '?')
    assert.equal(rows[1].durationseconds, null)
  })

  it('lists skipped hosts with their reason', () => {
    assert.deepEqual(skippedHostRows(result), [
      {hostid: 'h3', hostname: 'kvm-3', reason: 'Pre-flight stage set to avoid maintenance'},
    ])
    assert.deepEqual(updatedHostRows({success: false}), [])
  })

  it('shortens long outputs', () => {
    assert.equal(outputSummary('x'.repeat(100), 10), `${'x'.repeat(9)}…`)
    assert.equal(outputSummary(), '')
  })

  it('names output files safely and uniquely', () => {
    const names = outputFileNames([
      {hostid: 'a1', hostname: 'kvm-1'},
      {hostid: 'b2', hostname: 'kvm 2/x'},
      {hostid: 'c3', hostname: 'dup'},
      {hostid: 'd4', hostname: 'dup'},
      {hostid: 'e5', hostname: '..'},
    ])
    assert.deepEqual(
      [...names.values()],
      [
        'kvm-1.maintenance.txt',
        'kvm_2_x.maintenance.txt',
        'dup-c3.maintenance.txt',
        'dup-d4.maintenance.txt',
        '_.maintenance.txt',
      ],
    )
  })

  it('keeps names unique even when a host name looks like another name plus an id', () => {
    const names = outputFileNames([
      {hostid: 'x', hostname: 'a'},
      {hostid: 'y', hostname: 'a'},
      {hostid: 'z', hostname: 'a-x'},
    ])
    assert.deepEqual(
      [...names.values()],
      ['a-x.maintenance.txt', 'a-y.maintenance.txt', 'a-x-2.maintenance.txt'],
    )
  })

  it('never produces a path separator or duplicate names', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({hostid: fc.oneof(fc.uuid(), fc.string()), hostname: fc.string()}), {
          selector: (h) => h.hostid,
        }),
        (hosts) => {
          const names = [...outputFileNames(hosts).values()]
          assert.equal(new Set(names.map((n) => n.toLowerCase())).size, names.length)
          for (const name of names) assert.ok(!name.includes('/') && !name.startsWith('.'))
        },
      ),
    )
  })
})
