import { describe, expect, it } from 'vitest';
import { isQuiet, localMinuteOf, nextDigestAt, quietEndsAt } from './quiet-hours.js';

const night = (zone: string) => ({ zone, start: 22 * 60, end: 7 * 60 });

describe('quiet hours in the person’s own zone', () => {
  it('spring forward in London: 22:00–07:00 ends at 07:00 BST, 06:00 UTC, not 07:00 UTC', () => {
    // 2030-03-31 01:00 UTC the clocks go from 01:00 GMT to 02:00 BST.
    const at = new Date('2030-03-30T23:00:00Z');
    expect(isQuiet(at, night('Europe/London'))).toBe(true);
    expect(quietEndsAt(at, night('Europe/London')).toISOString()).toBe('2030-03-31T06:00:00.000Z');
  });

  it('fall back in London: ends at 07:00 GMT, 07:00 UTC, an hour later than the night before', () => {
    const before = new Date('2030-10-25T23:00:00Z'); // 00:00 BST on the 26th
    expect(quietEndsAt(before, night('Europe/London')).toISOString()).toBe('2030-10-26T06:00:00.000Z');
    const across = new Date('2030-10-26T22:00:00Z'); // 23:00 BST; clocks go back at 01:00 UTC
    expect(quietEndsAt(across, night('Europe/London')).toISOString()).toBe('2030-10-27T07:00:00.000Z');
  });

  it('an end inside the spring-forward gap ends when the clock jumps past it', () => {
    // New York, 2030-03-10: 02:00 EST becomes 03:00 EDT; 02:30 never happens.
    const q = { zone: 'America/New_York', start: 60, end: 150 };
    const at = new Date('2030-03-10T06:30:00Z'); // 01:30 EST
    expect(quietEndsAt(at, q).toISOString()).toBe('2030-03-10T07:00:00.000Z'); // 03:00 EDT
  });

  it('India has no DST; a mission abroad and the ministry at home disagree about "night"', () => {
    const at = new Date('2030-06-01T18:00:00Z');
    expect(localMinuteOf(at, 'Asia/Kolkata')).toBe(23 * 60 + 30);
    expect(isQuiet(at, night('Asia/Kolkata'))).toBe(true);
    expect(isQuiet(at, night('America/New_York'))).toBe(false);
  });

  it('outside quiet hours nothing waits; equal start and end mean none', () => {
    const at = new Date('2030-06-01T12:00:00Z');
    expect(quietEndsAt(at, night('UTC'))).toBe(at);
    expect(isQuiet(at, { zone: 'UTC', start: 600, end: 600 })).toBe(false);
  });
});

describe('digest times', () => {
  it('daily at 08:00 local, across the London spring change', () => {
    expect(nextDigestAt(new Date('2030-03-30T09:00:00Z'), 'Europe/London', 'daily').toISOString()).toBe('2030-03-31T07:00:00.000Z');
  });
  it('weekly on Monday 08:00 in Kathmandu (+05:45)', () => {
    // 2030-06-05 is a Wednesday.
    expect(nextDigestAt(new Date('2030-06-05T00:00:00Z'), 'Asia/Kathmandu', 'weekly').toISOString()).toBe('2030-06-10T02:15:00.000Z');
  });
});
