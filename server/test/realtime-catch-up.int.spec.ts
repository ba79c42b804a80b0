import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeService } from '../src/modules/realtime/realtime.service.js';
import { seedRootOrg, startTestApp, type TestApp } from './harness.js';

// Outbox positions are taken at insert, not at commit: an event whose transaction commits late
// sits below a position a listener already holds. Catch-up must still bring it.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const insertEvent = (q: { query: (text: string, values: unknown[]) => Promise<{ rows: { position: string }[] }> }, orgId: string) =>
  q
    .query(
      `INSERT INTO outbox_events (id, name, org_id, aggregate_type, aggregate_id, payload, published_at)
       VALUES ($1, 'channels.needs_reauth', $2::uuid, 'channel', $2::text, '{}'::jsonb, now()) RETURNING position`,
      [randomUUID(), orgId],
    )
    .then((r) => Number(r.rows[0]!.position));

describe('catch-up after a late commit', () => {
  it('replays an event that committed after a later position was seen', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Late Commit');
    const listener = await t.app.get(RealtimeService).admit(owner.accessToken);
    const slow = await t.runtime.pool.connect();
    try {
      await slow.query('BEGIN');
      const early = await insertEvent(slow, orgId);
      const later = await insertEvent(t.runtime.pool, orgId);
      expect(early).toBeLessThan(later);
      // The listener has seen `later`; the early event is not committed yet.
      const before = await t.app.get(RealtimeService).catchUp(listener, later);
      expect(before.events.map((e) => e.position)).not.toContain(early);
      await slow.query('COMMIT');
      const after = await t.app.get(RealtimeService).catchUp(listener, later);
      expect(after.resync).toBe(false);
      expect(after.events.map((e) => e.position)).toContain(early);
    } finally {
      slow.release();
    }
  });
});
