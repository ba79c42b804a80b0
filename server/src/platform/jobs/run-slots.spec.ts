import { describe, expect, it } from 'vitest';
import { RunSlots } from './run-slots.js';

const tick = () => new Promise((r) => setImmediate(r));
function gate(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('RunSlots', () => {
  it('never runs more than its size at once, and serves waiters in arrival order', async () => {
    const slots = new RunSlots(2);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 5 }, gate);
    const runs = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        running += 1;
        peak = Math.max(peak, running);
        await g.promise;
        running -= 1;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(slots.queued()).toBe(3);
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    await tick();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3]!.resolve();
    gates[4]!.resolve();
    await Promise.all(runs);
    expect(peak).toBe(2);
    expect(slots.inUse()).toBe(0);
  });

  it('frees the slot of a job that throws', async () => {
    const slots = new RunSlots(1);
    await expect(slots.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(async () => 'next')).toBe('next');
    expect(slots.inUse()).toBe(0);
  });
});
