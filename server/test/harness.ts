import { randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '../src/app.js';
import { sql } from 'kysely';
import { AuditService } from '../src/modules/audit/audit.service.js';
import { AdminService } from '../src/modules/identity/admin.service.js';
import { OrganisationsRepository } from '../src/modules/organisations/organisations.repository.js';
import { loadConfig } from '../src/platform/config/config.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { createLogger } from '../src/platform/logging/logger.js';
import type { ProcessRole } from '../src/platform/platform.module.js';
import { openRuntime, type Runtime } from '../src/platform/runtime.js';

export const PASSWORD = 'monsoon-tea-over-old-delhi';

import { createTestDatabase } from './databases.js';

export { createDatabase, createTestDatabase } from './databases.js';

export interface TestApp {
  app: NestFastifyApplication;
  runtime: Runtime;
  url: string;
  close(): Promise<void>;
}

/**
 * The real application on its own database, driven in-process with `app.inject`. `role` starts
 * background work (the outbox relay, workers) as `guddu start` does with 'all'; `databaseUrl`
 * puts a second app on the same database (two relays, two workers).
 */
export async function startTestApp(env: Record<string, string> = {}, opts: { role?: ProcessRole; databaseUrl?: string } = {}): Promise<TestApp> {
  const url = opts.databaseUrl ?? (await createTestDatabase());
  const config = loadConfig({
    DATABASE_URL: url,
    GUDDU_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    GUDDU_DB_POOL_SIZE: '5',
    // Every test signs in from 127.0.0.1; tests of the IP limit set their own.
    GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    // Fixtures schedule on fixed dates in 2030 (known DST rules); the horizon has its own tests.
    GUDDU_SCHEDULE_HORIZON_DAYS: '36500',
    ...env,
  });
  const runtime = await openRuntime(config, createLogger(config.logLevel), opts.role ? { role: opts.role } : {});
  const app = await createHttpApp(runtime);
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    runtime,
    url,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  organisationId: string;
  userId: string;
}

type Inject = NestFastifyApplication['inject'];
export type InjectOptions = Exclude<Parameters<Inject>[0], string | undefined>;

export async function call(t: TestApp, opts: InjectOptions & { token?: string; org?: string }) {
  const { token, org, headers, ...rest } = opts;
  return t.app.inject({
    ...rest,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(org ? { 'x-guddu-org': org } : {}),
      ...(headers ?? {}),
    },
  });
}

export async function login(t: TestApp, email: string, password = PASSWORD, organisationId?: string): Promise<Session> {
  const res = await call(t, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password, ...(organisationId ? { organisationId } : {}) } });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ accessToken: string; refreshToken: string; organisationId: string }>();
  const me = await call(t, { method: 'GET', url: '/api/v1/me', token: body.accessToken });
  return { ...body, userId: me.json<{ user: { id: string } }>().user.id };
}

/** A new root organisation (a tenant) with an owner. */
export async function seedRootOrg(t: TestApp, name = 'Ministry of External Affairs'): Promise<{ orgId: string; ownerEmail: string; owner: Session }> {
  const org = await t.app
    .get(Transactor)
    .withTenantBypass('test: a new tenant', () => t.app.get(OrganisationsRepository).insert({ parentId: null, name, kind: 'ministry' }));
  const { email, session } = await addUser(t, org.id, 'owner');
  return { orgId: org.id, ownerEmail: email, owner: session };
}

/** Adds a user with a role in an organisation (through the operator path). */
export async function addUser(t: TestApp, orgId: string, role: string, email = `${role}-${randomUUID().slice(0, 6)}@mea.gov.in`) {
  await t.app.get(AdminService).createUser(orgId, { email, password: PASSWORD, role: role as never });
  return { email, session: await login(t, email, PASSWORD, orgId) };
}

/** Creates a child organisation as `as` (who needs org.manage where they act). */
export async function createChildOrg(t: TestApp, as: Session, name: string, kind = 'mission', parentId?: string) {
  const res = await call(t, { method: 'POST', url: '/api/v1/organisations', token: as.accessToken, payload: { name, kind, ...(parentId ? { parentId } : {}) } });
  if (res.statusCode !== 201) throw new Error(`create org failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

/**
 * Chains every committed audit event of `orgId` (what the sequencer does in servers), waiting
 * while a transaction elsewhere on the cluster holds the horizon back.
 */
export async function chainAudit(t: TestApp, orgId?: string): Promise<void> {
  const audit = t.app.get(AuditService);
  // Generous: in distributed mode the horizon is the whole cluster's, and another test's
  // delivery may hold a transaction open across a (slow, simulated) network call.
  const deadline = Date.now() + 25_000; // under the 30 s test timeout, so the message says why
  for (;;) {
    await audit.chainCommitted();
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit_events WHERE hash IS NULL ${orgId ? sql`AND org_id = ${orgId}` : sql``}`.execute(t.runtime.db);
    if (rows[0]!.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]!.n} audit events still unchained`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
