import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeService } from '../src/modules/realtime/realtime.service.js';
import { enrolTotp } from './mfa-fixtures.js';
import { addUser, call, login, PASSWORD, seedRootOrg, startTestApp, type TestApp } from './harness.js';

// The live socket's admission applies the same second-factor rule as every request.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const admit = (token: string) => t.app.get(RealtimeService).admit(token);
const codeOf = async (p: Promise<unknown>) => p.then(() => 'admitted', (err: unknown) => (err as { code?: string }).code);

async function orgRequiringEveryone(name: string) {
  const root = await seedRootOrg(t, name);
  await enrolTotp(t, root.owner.accessToken);
  const res = await call(t, { method: 'PUT', url: '/api/v1/sign-in-policy', token: root.owner.accessToken, payload: { mfaRequiredFor: 'everyone' } });
  expect(res.statusCode, res.body).toBe(200);
  return root;
}

describe('realtime admission and the second factor', () => {
  it('refuses a session still held to enrolment, and admits it once enrolled', async () => {
    const { orgId } = await orgRequiringEveryone('Ministry Live Held');
    const { session } = await addUser(t, orgId, 'viewer');
    expect(await codeOf(admit(session.accessToken))).toBe('mfa_enrolment_required');
    await enrolTotp(t, session.accessToken);
    const listener = await admit(session.accessToken);
    expect(listener.memberships.map((m) => m.orgId)).toEqual([orgId]);
    expect(listener.rooms.length).toBeGreaterThan(0);
  });

  it('joins only the organisations where the session stands in full', async () => {
    const strict = await orgRequiringEveryone('Ministry Live Strict');
    const open = await seedRootOrg(t, 'Ministry Live Open');
    const { email, session } = await addUser(t, open.orgId, 'editor');
    const { rows } = await sql<{ id: string }>`SELECT id FROM users WHERE email = ${email}`.execute(t.runtime.db);
    await sql`INSERT INTO memberships (org_id, user_id, role) VALUES (${strict.orgId}, ${rows[0]!.id}, 'editor')`.execute(t.runtime.db);

    const listener = await admit(session.accessToken);
    expect(listener.memberships.map((m) => m.orgId)).toEqual([open.orgId]);
    expect(listener.rooms.every((r) => !r.includes(strict.orgId))).toBe(true);

    // Signed in to the strict organisation itself: held there, so no socket at all.
    const there = await login(t, email, PASSWORD, strict.orgId);
    expect(await codeOf(admit(there.accessToken))).toBe('mfa_enrolment_required');
  });
});
