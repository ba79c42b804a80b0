import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHANNEL_LIMITS, checkChannelLimit, type ChannelTextField } from './text-metrics.js';

/**
 * The cases the console's counters are tested against too (web counters.spec.ts): if the server's
 * counting changes, this fails until the shared file (and so the console) follows.
 */
interface Case {
  name: string;
  text: string;
  repeat?: number;
  counts: Record<ChannelTextField, number>;
  over: ChannelTextField[];
}
const { cases } = JSON.parse(readFileSync(new URL('./text-counts.cases.json', import.meta.url), 'utf8')) as { cases: Case[] };
const FIELDS = Object.keys(CHANNEL_LIMITS) as ChannelTextField[];

describe('shared counter cases (server side)', () => {
  it('covers every channel field and the hard scripts', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const c of cases) expect(Object.keys(c.counts).sort()).toEqual([...FIELDS].sort());
    expect(cases.some((c) => /[\u0900-\u097f]/.test(c.text))).toBe(true);
    expect(cases.some((c) => /\p{Extended_Pictographic}/u.test(c.text))).toBe(true);
    expect(cases.some((c) => /[\u4e00-\u9fff]/.test(c.text))).toBe(true);
    expect(cases.some((c) => /https?:\/\//.test(c.text))).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const text = c.text.repeat(c.repeat ?? 1);
    const counted = Object.fromEntries(FIELDS.map((f) => [f, checkChannelLimit(f, text).used]));
    const over = FIELDS.filter((f) => !checkChannelLimit(f, text).ok);
    expect(counted).toEqual(c.counts);
    expect(over).toEqual(c.over);
  });
});
