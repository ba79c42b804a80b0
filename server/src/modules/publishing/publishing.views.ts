import type { BlackoutRow, SuspensionRow } from './publishing.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function suspensionView(s: SuspensionRow) {
  return {
    id: s.id,
    orgId: s.org_id,
    reason: s.reason,
    suspendedBy: s.suspended_by,
    suspendedAt: s.suspended_at.toISOString(),
    resumedBy: s.resumed_by,
    resumedAt: iso(s.resumed_at),
  };
}

export function blackoutView(b: BlackoutRow) {
  return { id: b.id, orgId: b.org_id, startsOn: b.starts_on, endsOn: b.ends_on, zone: b.zone, startsAt: b.starts_at.toISOString(), endsAt: b.ends_at.toISOString(), reason: b.reason };
}
