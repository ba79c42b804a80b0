import { describe, expect, it } from 'vitest';
import { assertCoverage } from './job-handlers.js';
import { jobIdFor } from './job-queue.js';

describe('the boot check of job handlers', () => {
  it('accepts exactly one handler per declared job', () => {
    expect(() => assertCoverage(new Set(['a.run']), new Map([['a.run', ['A.run']]]))).not.toThrow();
  });

  it('refuses a declared job without a handler', () => {
    expect(() => assertCoverage(new Set(['a.run']), new Map())).toThrow(/job "a.run" has no @JobHandler/);
  });

  it('refuses a job with two handlers, naming both', () => {
    expect(() => assertCoverage(new Set(['a.run']), new Map([['a.run', ['A.run', 'B.run']]]))).toThrow(/2 handlers: A.run, B.run/);
  });

  it('refuses a handler for a job nobody declared', () => {
    expect(() => assertCoverage(new Set(), new Map([['ghost.run', ['G.run']]]))).toThrow(/never declared/);
  });
});

describe('job ids', () => {
  it('keep a plain idempotency key readable', () => {
    expect(jobIdFor('scheduler.fire', 'abc-1.v2')).toBe('scheduler.fire.abc-1.v2');
  });

  it('hash keys BullMQ would refuse (colons), stably and without collisions', () => {
    const a = jobIdFor('x.y', 'post:1');
    expect(a).toMatch(/^x\.y\.h[0-9a-f]{40}$/);
    expect(jobIdFor('x.y', 'post:1')).toBe(a);
    // Two keys that both take the hashed path stay apart.
    expect(jobIdFor('x.y', 'post:2')).toMatch(/^x\.y\.h[0-9a-f]{40}$/);
    expect(jobIdFor('x.y', 'post:2')).not.toBe(a);
  });
});
