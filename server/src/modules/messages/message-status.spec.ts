import { describe, expect, it } from 'vitest';
import { permissionsOf, ROLES, type Role } from '../../platform/access/permissions.js';
import { checkTransition, MESSAGE_STATUSES, TRANSITIONS, type MessageStatus, type TransitionName } from './message-status.js';

// The lifecycle as the product describes it, written out independently of message-status.ts:
// for each transition, the statuses it starts from, where it ends, and the roles that may take it
// ('system' transitions no role may take). Every (transition, status, role) combination is checked.
const S = (...s: MessageStatus[]) => s;
const writers: Role[] = ['owner', 'admin', 'approver', 'editor'];
const approvers: Role[] = ['owner', 'admin', 'approver'];
const publishers: Role[] = ['owner', 'admin'];
const EXPECTED: Record<TransitionName, { from: MessageStatus[]; to: MessageStatus; roles: Role[] }> = {
  submit: { from: S('draft', 'changes_requested'), to: 'in_review', roles: writers },
  request_changes: { from: S('in_review'), to: 'changes_requested', roles: approvers },
  approve: { from: S('in_review'), to: 'approved', roles: approvers },
  reopen_review: { from: S('approved', 'scheduled'), to: 'in_review', roles: writers },
  schedule: { from: S('approved'), to: 'scheduled', roles: publishers },
  unschedule: { from: S('scheduled'), to: 'approved', roles: publishers },
  start_publishing: { from: S('scheduled'), to: 'publishing', roles: [] },
  mark_published: { from: S('publishing'), to: 'published', roles: [] },
  mark_partially_published: { from: S('publishing'), to: 'partially_published', roles: [] },
  mark_failed: { from: S('publishing'), to: 'failed', roles: [] },
  retry: { from: S('failed', 'partially_published'), to: 'scheduled', roles: publishers },
  retry_delivery: { from: S('failed', 'partially_published'), to: 'publishing', roles: publishers },
  withdraw: { from: S('draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'publishing'), to: 'withdrawn', roles: publishers },
  expire: { from: S('in_review', 'approved'), to: 'withdrawn', roles: [] },
  reopen: { from: S('withdrawn'), to: 'draft', roles: writers },
  archive: { from: S('draft', 'withdrawn', 'published', 'partially_published', 'failed'), to: 'archived', roles: writers },
};

describe('message status machine', () => {
  it('has exactly the transitions the product names', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, spec] of Object.entries(EXPECTED) as [TransitionName, (typeof EXPECTED)[TransitionName]][]) {
    it(`${name}: allowed only from ${spec.from.join(', ')} and only for ${spec.roles.join(', ') || 'the platform'}`, () => {
      for (const from of MESSAGE_STATUSES) {
        // The platform itself (no caller permissions) may take any transition from a valid status.
        const system = checkTransition(name, from, undefined);
        expect(system, `${name} from ${from} by the platform`).toEqual(spec.from.includes(from) ? { ok: true, to: spec.to } : { ok: false, reason: 'status' });
        for (const role of ROLES) {
          const got = checkTransition(name, from, permissionsOf([role]));
          const want = !spec.roles.includes(role) ? { ok: false, reason: 'permission' } : spec.from.includes(from) ? { ok: true, to: spec.to } : { ok: false, reason: 'status' };
          expect(got, `${name} from ${from} as ${role}`).toEqual(want);
        }
      }
    });
  }

  it('nothing leaves archived or published except by archiving, and nothing enters draft but reopen', () => {
    const out = (s: MessageStatus) => (Object.keys(TRANSITIONS) as TransitionName[]).filter((n) => checkTransition(n, s, undefined).ok);
    expect(out('archived')).toEqual([]);
    expect(out('published')).toEqual(['archive']);
    expect((Object.keys(TRANSITIONS) as TransitionName[]).filter((n) => TRANSITIONS[n].to === 'draft')).toEqual(['reopen']);
  });
});
