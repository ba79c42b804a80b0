import { describe, expect, it } from 'vitest';
import { pairKey, planChannels, type PlanInput } from './channel-plan.js';

const base = (over: Partial<PlanInput> = {}): PlanInput => ({
  kind: 'approval_requested',
  now: new Date('2030-03-30T23:30:00Z'), // 23:30 GMT in London, the night the clocks go forward
  configured: new Set(['email', 'push', 'sms']),
  choices: new Map(),
  mandatory: new Set(),
  settings: { zone: 'Europe/London', quiet: { start: 22 * 60, end: 7 * 60 }, digest: 'off' },
  reachable: new Set(['email', 'push', 'sms']),
  ...over,
});

describe('planning the outside channels of one notification', () => {
  it('holds a normal kind until quiet hours end, in the person’s zone across DST', () => {
    const plan = planChannels(base());
    expect(plan.map((d) => [d.channel, d.state])).toEqual([['email', 'deferred'], ['push', 'deferred']]);
    expect(plan[0]!.notBefore!.toISOString()).toBe('2030-03-31T06:00:00.000Z');
  });

  it('lets urgent kinds through quiet hours, by every default channel', () => {
    const plan = planChannels(base({ kind: 'publishing_suspended' }));
    expect(plan.map((d) => [d.channel, d.state])).toEqual([['email', 'pending'], ['push', 'pending'], ['sms', 'pending']]);
  });

  it('a mandatory pair overrides a person who switched it off; quiet hours still apply to it', () => {
    const plan = planChannels(base({ kind: 'message_published', choices: new Map([[pairKey('message_published', 'email'), false]]), mandatory: new Set([pairKey('message_published', 'email')]), now: new Date('2030-06-01T12:00:00Z') }));
    expect(plan).toEqual([{ channel: 'email', state: 'pending', notBefore: null, reason: null }]);
  });

  it('records why a wanted channel cannot be used', () => {
    const plan = planChannels(base({ kind: 'publishing_suspended', configured: new Set(['email', 'push']), reachable: new Set(['email']) }));
    expect(plan.map((d) => [d.channel, d.state, d.reason])).toEqual([
      ['email', 'pending', null],
      ['push', 'skipped', 'no browser subscribed to push'],
      ['sms', 'skipped', 'sms is not configured on this installation'],
    ]);
  });

  it('puts low kinds into the digest for people who chose one', () => {
    const plan = planChannels(base({ kind: 'message_published', now: new Date('2030-06-01T12:00:00Z'), settings: { zone: 'UTC', quiet: null, digest: 'daily' } }));
    expect(plan).toEqual([{ channel: 'email', state: 'deferred', notBefore: new Date('2030-06-02T08:00:00Z'), reason: 'in the daily digest' }]);
  });
});
