import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COUNTER_LIMITS, countFor, type CounterField } from './counters';

/** The server's own cases (its text-metrics.cases.spec.ts reads the same file): the counters cannot drift. */
interface Case {
  name: string;
  text: string;
  repeat?: number;
  counts: Record<CounterField, number>;
  over: CounterField[];
}
const { cases } = JSON.parse(readFileSync(new URL('../../../../server/src/modules/messages/text-counts.cases.json', import.meta.url), 'utf8')) as { cases: Case[] };
const FIELDS = Object.keys(COUNTER_LIMITS) as CounterField[];

describe('composer counters agree with the server on the shared cases', () => {
  it('has the same fields as the cases', () => {
    for (const c of cases) expect(Object.keys(c.counts).sort()).toEqual([...FIELDS].sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const text = c.text.repeat(c.repeat ?? 1);
    expect(Object.fromEntries(FIELDS.map((f) => [f, countFor(f, text).used]))).toEqual(c.counts);
    expect(FIELDS.filter((f) => !countFor(f, text).ok)).toEqual(c.over);
  });
});
