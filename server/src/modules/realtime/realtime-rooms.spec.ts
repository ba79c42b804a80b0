import { describe, expect, it } from 'vitest';
import { roomsOfEvent, roomsOfMembership } from './realtime-rooms.js';

const ministry = '00000000-0000-4000-8000-000000000001';
const division = '00000000-0000-4000-8000-000000000002';
const sibling = '00000000-0000-4000-8000-000000000003';

const hears = (memberships: [string, string][], path: string[]) => {
  const joined = new Set(memberships.flatMap(([org, role]) => roomsOfMembership(org, role)));
  return roomsOfEvent(path, 'content.read').some((r) => joined.has(r));
};

describe('realtime rooms', () => {
  it('lets a role on an organisation above the event hear it', () => {
    expect(hears([[ministry, 'viewer']], [ministry, division])).toBe(true);
  });

  it('keeps a sibling division’s member out', () => {
    expect(hears([[sibling, 'owner']], [ministry, division])).toBe(false);
  });

  it('keeps a member below the event’s organisation out', () => {
    expect(hears([[division, 'owner']], [ministry])).toBe(false);
  });

  it('needs the permission the event names', () => {
    const joined = new Set(roomsOfMembership(division, 'viewer'));
    expect(roomsOfEvent([ministry, division], 'settings.manage').some((r) => joined.has(r))).toBe(false);
    expect(roomsOfEvent([ministry, division], 'content.read').some((r) => joined.has(r))).toBe(true);
  });
});
