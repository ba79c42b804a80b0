import { describe, expect, it } from 'vitest';
import {
  instantFromWallTime,
  isIanaZone,
  localDateOf,
  wallTimeOf,
  zoneClock,
  zoneOffsets,
  zonedDayRange,
  zonedRange,
} from './wall-time.js';

const at = (iso: string) => new Date(iso);

describe('isIanaZone', () => {
  it.each([
    'Europe/Paris', 'Asia/Kolkata', 'Asia/Calcutta', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Apia',
    'UTC', 'Etc/UTC', 'Etc/GMT+5', 'US/Eastern', 'America/Argentina/Buenos_Aires', 'America/Port-au-Prince',
    'Antarctica/DumontDUrville', 'America/North_Dakota/New_Salem', 'Europe/Kyiv', 'Asia/Kathmandu',
  ])('accepts %s', (zone) => {
    expect(isIanaZone(zone)).toBe(true);
  });

  it.each([
    ['+05:30', 'an offset'], ['-03:00', 'an offset'], ['Z', 'a designator'], ['UTC+5', 'an offset name'],
    ['GMT+05:30', 'an offset name'], ['utc', 'wrong case'], ['europe/paris', 'wrong case'], ['EUROPE/PARIS', 'wrong case'],
    ['Europe/Paris ', 'trailing space'], ['Asia/Kolkata\n', 'a newline'], ['', 'empty'], ['Mars/Olympus', 'unknown'],
    ['Etc/Unknown', "ICU's placeholder"], ['Europe/../Paris', 'a path'], ['Paris', 'a city alone'],
  ])('refuses %j (%s)', (zone) => {
    expect(isIanaZone(zone)).toBe(false);
  });
});

describe('instantFromWallTime', () => {
  it('keeps 09:00 in Paris at 09:00 on both sides of DST', () => {
    expect(instantFromWallTime('2026-01-15T09:00', 'Europe/Paris')).toEqual({ instant: at('2026-01-15T08:00:00Z'), adjusted: 'none' });
    expect(instantFromWallTime('2026-07-15T09:00', 'Europe/Paris')).toEqual({ instant: at('2026-07-15T07:00:00Z'), adjusted: 'none' });
  });

  it('moves a time in the spring-forward gap forward by the gap (Paris 02:30 → 03:30 CEST)', () => {
    const r = instantFromWallTime('2026-03-29T02:30', 'Europe/Paris');
    expect(r).toEqual({ instant: at('2026-03-29T01:30:00Z'), adjusted: 'gap' });
    expect(wallTimeOf(r.instant, 'Europe/Paris')).toBe('2026-03-29T03:30:00');
  });

  it('takes the earlier instant of a repeated time (Paris 02:30 on 25 October is CEST)', () => {
    expect(instantFromWallTime('2026-10-25T02:30', 'Europe/Paris')).toEqual({ instant: at('2026-10-25T00:30:00Z'), adjusted: 'overlap' });
    // Either side of the repeated hour is unambiguous.
    expect(instantFromWallTime('2026-10-25T01:59', 'Europe/Paris').adjusted).toBe('none');
    expect(instantFromWallTime('2026-10-25T03:00', 'Europe/Paris')).toEqual({ instant: at('2026-10-25T02:00:00Z'), adjusted: 'none' });
  });

  it('handles New York transitions', () => {
    expect(instantFromWallTime('2026-03-08T02:30', 'America/New_York')).toEqual({ instant: at('2026-03-08T07:30:00Z'), adjusted: 'gap' });
    expect(instantFromWallTime('2026-11-01T01:30', 'America/New_York')).toEqual({ instant: at('2026-11-01T05:30:00Z'), adjusted: 'overlap' });
  });

  it('applies the half-hour offset of Kolkata, under both of its names', () => {
    expect(instantFromWallTime('2026-05-01T09:00', 'Asia/Kolkata')).toEqual({ instant: at('2026-05-01T03:30:00Z'), adjusted: 'none' });
    expect(instantFromWallTime('2026-05-01T09:00:00', 'Asia/Calcutta').instant).toEqual(at('2026-05-01T03:30:00Z'));
  });

  it("moves forward by Lord Howe's 30-minute gap and resolves its 30-minute overlap", () => {
    expect(instantFromWallTime('2026-10-04T02:15', 'Australia/Lord_Howe')).toEqual({ instant: at('2026-10-03T15:45:00Z'), adjusted: 'gap' });
    expect(instantFromWallTime('2026-04-05T01:45', 'Australia/Lord_Howe')).toEqual({ instant: at('2026-04-04T14:45:00Z'), adjusted: 'overlap' });
  });

  it("moves a time on Samoa's skipped day (2011-12-30) forward by the whole day", () => {
    const r = instantFromWallTime('2011-12-30T12:00', 'Pacific/Apia');
    expect(r).toEqual({ instant: at('2011-12-30T22:00:00Z'), adjusted: 'gap' });
    expect(wallTimeOf(r.instant, 'Pacific/Apia')).toBe('2011-12-31T12:00:00');
    expect(instantFromWallTime('2026-06-01T09:00', 'Pacific/Apia').instant).toEqual(at('2026-05-31T20:00:00Z'));
  });

  it('takes seconds when given, and UTC as is', () => {
    expect(instantFromWallTime('2026-03-29T02:30:45', 'UTC')).toEqual({ instant: at('2026-03-29T02:30:45Z'), adjusted: 'none' });
  });

  it.each([
    '2026-03-29 02:30', '2026-03-29T02:30Z', '2026-03-29T02:30+05:30', '2026-03-29T02:30:00.5', '2026-02-30T10:00',
    '2026-03-29T24:00', '2026-03-29T10:60', '2026-03-29T10:00:60', '2026-03-29', '29/03/2026 10:00', '',
  ])('refuses the malformed local time %j', (local) => {
    expect(() => instantFromWallTime(local, 'Europe/Paris')).toThrow(RangeError);
  });

  it('refuses a zone that is not an IANA name, including an offset', () => {
    expect(() => instantFromWallTime('2026-03-29T10:00', '+05:30')).toThrow(RangeError);
    expect(() => instantFromWallTime('2026-03-29T10:00', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('wallTimeOf and localDateOf', () => {
  it('gives the local time in the zone, dropping milliseconds', () => {
    expect(wallTimeOf(at('2026-01-01T00:00:00.999Z'), 'UTC')).toBe('2026-01-01T00:00:00');
    expect(wallTimeOf(at('2026-10-25T00:30:00Z'), 'Europe/Paris')).toBe('2026-10-25T02:30:00');
    expect(wallTimeOf(at('2026-10-25T01:30:00Z'), 'Europe/Paris')).toBe('2026-10-25T02:30:00'); // the later 02:30
    expect(wallTimeOf(at('2026-05-01T03:30:00Z'), 'Asia/Kolkata')).toBe('2026-05-01T09:00:00');
  });

  it('round-trips with instantFromWallTime outside transitions', () => {
    for (const zone of ['Europe/Paris', 'Asia/Kolkata', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC']) {
      const { instant } = instantFromWallTime('2026-08-17T09:00', zone);
      expect(wallTimeOf(instant, zone)).toBe('2026-08-17T09:00:00');
    }
  });

  it('puts an instant on the calendar day of the zone', () => {
    expect(localDateOf(at('2026-03-28T23:30:00Z'), 'Asia/Kolkata')).toBe('2026-03-29');
    expect(localDateOf(at('2026-03-28T23:30:00Z'), 'America/New_York')).toBe('2026-03-28');
    expect(localDateOf(at('2026-03-28T23:30:00Z'), 'Pacific/Apia')).toBe('2026-03-29');
  });

  it('refuses an invalid Date or zone', () => {
    expect(() => wallTimeOf(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
    expect(() => localDateOf(at('2026-01-01T00:00:00Z'), 'utc')).toThrow(RangeError);
  });
});

describe('zonedRange and zonedDayRange', () => {
  it('makes the spring-forward day 23 hours and the fall-back day 25', () => {
    expect(zonedDayRange('2026-03-29', 'Europe/Paris')).toEqual({ from: at('2026-03-28T23:00:00Z'), to: at('2026-03-29T22:00:00Z') });
    expect(zonedDayRange('2026-10-25', 'Europe/Paris')).toEqual({ from: at('2026-10-24T22:00:00Z'), to: at('2026-10-25T23:00:00Z') });
  });

  it('makes the Lord Howe transition day 23.5 hours long', () => {
    const { from, to } = zonedDayRange('2026-10-04', 'Australia/Lord_Howe');
    expect(to.getTime() - from.getTime()).toBe(23.5 * 3_600_000);
  });

  it('starts a day at 01:00 where DST begins at midnight (Santiago)', () => {
    expect(zonedDayRange('2026-09-06', 'America/Santiago').from).toEqual(at('2026-09-06T04:00:00Z'));
  });

  it("gives Samoa's skipped day no instants at all", () => {
    const { from, to } = zonedDayRange('2011-12-30', 'Pacific/Apia');
    expect(from).toEqual(at('2011-12-30T10:00:00Z'));
    expect(to).toEqual(from);
  });

  it('covers a whole month, and a multi-day range, in local days', () => {
    expect(zonedDayRange('2026-03', 'Europe/Paris')).toEqual({ from: at('2026-02-28T23:00:00Z'), to: at('2026-03-31T22:00:00Z') });
    expect(zonedDayRange('2026-02', 'Asia/Kolkata')).toEqual({ from: at('2026-01-31T18:30:00Z'), to: at('2026-02-28T18:30:00Z') });
    expect(zonedRange('2026-12-31', '2027-01-02', 'UTC')).toEqual({ from: at('2026-12-31T00:00:00Z'), to: at('2027-01-02T00:00:00Z') });
  });

  it('allows an empty range and refuses a reversed or malformed one', () => {
    expect(zonedRange('2026-05-01', '2026-05-01', 'UTC')).toEqual({ from: at('2026-05-01T00:00:00Z'), to: at('2026-05-01T00:00:00Z') });
    expect(() => zonedRange('2026-05-02', '2026-05-01', 'UTC')).toThrow(RangeError);
    expect(() => zonedRange('2026-5-1', '2026-05-02', 'UTC')).toThrow(RangeError);
    expect(() => zonedRange('2026-05-01', '2026-05-02', '+05:30')).toThrow(RangeError);
    expect(() => zonedDayRange('2026-13', 'UTC')).toThrow(RangeError);
    expect(() => zonedDayRange('2026-3', 'UTC')).toThrow(RangeError);
    expect(() => zonedDayRange('2026-02-29', 'UTC')).toThrow(RangeError);
  });
});

describe('zoneClock', () => {
  // Every 21 minutes 43 seconds (plus some milliseconds) over the range and a day either side.
  const instantsAround = ({ from, to }: { from: Date; to: Date }) => {
    const out: number[] = [];
    for (let ms = from.getTime() - 86_400_000; ms < to.getTime() + 86_400_000; ms += 1_303_013) out.push(ms);
    return out;
  };

  it('agrees with wallTimeOf across DST changes, half-hour shifts and a skipped day, inside the range and out', () => {
    const cases: [string, string][] = [
      ['2026-03', 'Europe/Paris'],
      ['2026-10', 'Europe/Paris'],
      ['2026-11', 'America/New_York'],
      ['2026-10', 'Australia/Lord_Howe'],
      ['2026-04', 'Australia/Lord_Howe'],
      ['2011-12', 'Pacific/Apia'],
      ['2026-03', 'Asia/Kolkata'],
      ['2026-09', 'America/Santiago'],
      ['2026-03', 'UTC'],
    ];
    for (const [month, zone] of cases) {
      const range = zonedDayRange(month, zone);
      const clock = zoneClock(zone, range);
      for (const ms of instantsAround(range)) {
        const { date, time } = clock(ms);
        expect(`${date}T${time}`, `${new Date(ms).toISOString()} in ${zone}`).toBe(wallTimeOf(new Date(ms), zone));
      }
    }
  });

  it('covers a quarter with two transitions, and an empty range', () => {
    const range = zonedRange('2026-03-01', '2026-11-30', 'Europe/Paris');
    const clock = zoneClock('Europe/Paris', range);
    expect(clock(at('2026-03-29T00:59:59.999Z').getTime())).toEqual({ date: '2026-03-29', time: '01:59:59' });
    expect(clock(at('2026-03-29T01:00:00Z').getTime())).toEqual({ date: '2026-03-29', time: '03:00:00' });
    expect(clock(at('2026-10-25T00:30:00Z').getTime())).toEqual({ date: '2026-10-25', time: '02:30:00' });
    expect(clock(at('2026-10-25T01:30:00Z').getTime())).toEqual({ date: '2026-10-25', time: '02:30:00' });
    const empty = zonedRange('2026-05-01', '2026-05-01', 'Asia/Kolkata');
    expect(zoneClock('Asia/Kolkata', empty)(at('2026-05-01T03:30:00Z').getTime())).toEqual({ date: '2026-05-01', time: '09:00:00' });
  });

  it('lists the offsets of a range and the transitions between them', () => {
    expect(zoneOffsets('Asia/Kolkata', zonedDayRange('2026-03', 'Asia/Kolkata'))).toEqual({ transitions: [], offsetsMs: [19_800_000] });
    expect(zoneOffsets('Europe/Paris', zonedRange('2026-03-01', '2026-11-30', 'Europe/Paris'))).toEqual({
      transitions: [at('2026-03-29T01:00:00Z'), at('2026-10-25T01:00:00Z')],
      offsetsMs: [3_600_000, 7_200_000, 3_600_000],
    });
    // A transition at the very end of the range is not in it.
    expect(zoneOffsets('Europe/Paris', { from: at('2026-03-28T00:00:00Z'), to: at('2026-03-29T01:00:00Z') }).transitions).toEqual([]);
  });

  it('refuses a zone that is not an IANA name', () => {
    expect(() => zoneOffsets('Mars/Olympus', zonedRange('2026-05-01', '2026-05-02', 'UTC'))).toThrow(RangeError);
    expect(() => zoneClock('+05:30', zonedRange('2026-05-01', '2026-05-02', 'UTC'))).toThrow(RangeError);
  });
});
