import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Selectable } from 'kysely';
import { pino } from 'pino';
import type pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPool } from '../src/platform/database/database.js';
import '../src/modules/analytics/analytics.tables.js';
import '../src/modules/analytics/analytics-snapshots.tables.js';
import '../src/modules/media/media.tables.js';
import '../src/modules/webhooks/webhooks.tables.js';
import type { Database } from '../src/platform/database/database.types.js';
import { createDatabase } from './databases.js';
import { MIGRATIONS_DIR, MigrationError, migrate, pendingMigrations, readMigrations } from '../src/platform/database/migrator.js';

const log = pino({ level: 'silent' });
const pools: pg.Pool[] = [];
const tempDirs: string[] = [];

const emptyDatabase = () => createDatabase({ fromTemplate: false });

function poolFor(url: string): pg.Pool {
  const pool = createPool(url, 2, log);
  pools.push(pool);
  return pool;
}

async function emptyPool(): Promise<pg.Pool> {
  return poolFor(await emptyDatabase());
}

/** A copy of the build's migrations folder that a test may change. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'guddu-migrations-'));
  tempDirs.push(dir);
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function recorded(pool: pg.Pool): Promise<{ name: string; checksum: string }[]> {
  const { rows } = await pool.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name');
  return rows;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('migrate', () => {
  it('applies every migration file to an empty database and records its checksum', async () => {
    const files = await readMigrations();
    expect(files.length).toBeGreaterThan(0);
    const pool = await emptyPool();

    const applied = await migrate(pool);

    expect(applied).toEqual(files.map((f) => f.name));
    expect(await recorded(pool)).toEqual(files.map((f) => ({ name: f.name, checksum: f.checksum })));
    expect(await pendingMigrations(pool)).toEqual([]);
  });

  it('applies nothing when run again', async () => {
    const pool = await emptyPool();
    await migrate(pool);
    const before = await recorded(pool);

    expect(await migrate(pool)).toEqual([]);
    expect(await recorded(pool)).toEqual(before);
  });

  it('two processes migrating at once both succeed and each migration runs once', async () => {
    const url = await emptyDatabase();
    const [a, b] = [poolFor(url), poolFor(url)];
    const files = await readMigrations();

    const [fromA, fromB] = await Promise.all([migrate(a), migrate(b)]);

    // One of them did the work while the other waited on the lock, then found nothing to do.
    expect([...fromA, ...fromB].sort()).toEqual(files.map((f) => f.name));
    expect(fromA.length === 0 || fromB.length === 0).toBe(true);
    expect((await recorded(a)).map((r) => r.name)).toEqual(files.map((f) => f.name));
  });

  it('refuses a landed migration whose file changed since it was applied', async () => {
    const dir = await migrationsCopy();
    const pool = await emptyPool();
    await migrate(pool, dir);
    const [first] = await readMigrations(dir);
    await appendFile(join(dir, first!.name), '\n-- an innocent-looking edit\n');

    await expect(migrate(pool, dir)).rejects.toThrow(MigrationError);
    await expect(migrate(pool, dir)).rejects.toThrow(new RegExp(`${first!.name}.*checksum mismatch`));
  });

  it('refuses a database that applied a migration this build does not have', async () => {
    const dir = await migrationsCopy();
    await writeFile(join(dir, '9999_from_a_newer_build.sql'), 'CREATE TABLE newer_build_probe (id int);\n');
    const pool = await emptyPool();
    await migrate(pool, dir);

    // The build's own folder lacks 9999: an older build must not run against this schema.
    await expect(migrate(pool)).rejects.toThrow(MigrationError);
    await expect(migrate(pool)).rejects.toThrow(/9999_from_a_newer_build\.sql.*missing from this build/);
  });

  it('rolls back a failing migration entirely and records nothing for it', async () => {
    const dir = await migrationsCopy();
    await writeFile(join(dir, '9999_broken.sql'), 'CREATE TABLE half_done_probe (id int);\nSELECT no_such_function();\n');
    const pool = await emptyPool();

    await expect(migrate(pool, dir)).rejects.toThrow(/migration 9999_broken\.sql failed/);

    expect((await recorded(pool)).map((r) => r.name)).not.toContain('9999_broken.sql');
    const probe = await pool.query<{ t: string | null }>(`SELECT to_regclass('public.half_done_probe')::text AS t`);
    expect(probe.rows[0]?.t).toBeNull();
    // The earlier files landed, and the lock was released: a fixed build can migrate at once.
    expect(await pendingMigrations(pool, dir)).toEqual(['9999_broken.sql']);
    expect(await migrate(pool)).toEqual([]);
  });

  it('pendingMigrations names a file the database has not applied yet', async () => {
    const pool = await emptyPool();
    const files = await readMigrations();
    expect(await pendingMigrations(pool)).toEqual(files.map((f) => f.name));
    await migrate(pool);
    const dir = await migrationsCopy();
    await writeFile(join(dir, '9999_next.sql'), 'SELECT 1;\n');

    expect(await pendingMigrations(pool, dir)).toEqual(['9999_next.sql']);
    expect(await pendingMigrations(pool)).toEqual([]);
  });
});

/**
 * Every table and column the Kysely `Database` interface declares (each module augments it in
 * its own file), with whether the column's selected type admits null. The mapped type makes
 * this list exhaustive at compile time: a column added to or removed from a table type, or a
 * nullability change, fails `tsc` here until the list says the same; the test then proves the
 * migrations build exactly that.
 */
type Nullability<T> = { [C in keyof Selectable<T>]-?: null extends Selectable<T>[C] ? 'null' : 'not null' };
type ExpectedSchema = { [T in keyof Database]-?: Nullability<Database[T]> };

const EXPECTED: ExpectedSchema = {
  analytics_metric_points: { org_id: 'not null', org_path: 'not null', channel_id: 'not null', delivery_id: 'null', network: 'not null', captured_at: 'not null', impressions: 'null', reach: 'null', reactions: 'null', comments: 'null', shares: 'null', saves: 'null', clicks: 'null', video_views: 'null', watch_time_seconds: 'null', followers: 'null' },
  analytics_metric_rollups: { org_id: 'not null', org_path: 'not null', channel_id: 'not null', delivery_id: 'null', network: 'not null', grain: 'not null', bucket: 'not null', points: 'not null', captured_at: 'not null', impressions: 'null', reach: 'null', reactions: 'null', comments: 'null', shares: 'null', saves: 'null', clicks: 'null', video_views: 'null', watch_time_seconds: 'null', followers: 'null' },
  analytics_rollup_pending: { org_id: 'not null', org_path: 'not null', day: 'not null' },
  listening_comments: {
    id: 'not null', org_id: 'not null', org_path: 'not null', channel_id: 'not null', network: 'not null', external_id: 'not null', parent_external_id: 'null', delivery_id: 'null', message_id: 'null',
    kind: 'not null', body: 'not null', author_handle: 'null', author_cleared_at: 'null', published_at: 'not null', ingested_at: 'not null', lang: 'not null', sentiment: 'not null', sentiment_score: 'null', sentiment_method: 'not null', tsv: 'null',
  },
  listening_cursors: { scope: 'not null', org_id: 'not null', org_path: 'not null', cursor: 'null', polled_at: 'null', next_poll_at: 'not null', last_error: 'null' },
  listening_settings: { org_id: 'not null', org_path: 'not null', spike_k: 'not null', negative_jump: 'not null', min_comments: 'not null', updated_at: 'not null' },
  listening_spike_alerts: {
    id: 'not null', org_id: 'not null', org_path: 'not null', message_id: 'null', kind: 'not null', severity: 'not null', window_start: 'not null', observed: 'not null', baseline: 'not null', threshold: 'not null',
    evidence: 'not null', created_at: 'not null', acknowledged_at: 'null', acknowledged_by: 'null',
  },
  analytics_snapshot_plan: {
    id: 'not null',
    org_id: 'not null',
    org_path: 'not null',
    kind: 'not null',
    channel_id: 'not null',
    network: 'not null',
    delivery_id: 'null',
    message_id: 'null',
    campaign_id: 'null',
    external_id: 'null',
    published_at: 'null',
    story: 'not null',
    step: 'not null',
    next_at: 'null',
    lease_until: 'null',
    failures: 'not null',
    last_error: 'null',
    last_read_at: 'null',
    done_at: 'null',
    created_at: 'not null',
  },
  analytics_dashboards: {
    id: 'not null',
    org_id: 'not null',
    org_path: 'not null',
    title: 'not null',
    widgets: 'not null',
    range_days: 'not null',
    key_sealed: 'not null',
    expires_at: 'not null',
    revoked_at: 'null',
    created_by: 'not null',
    created_at: 'not null',
  },
  organisations: {
    id: 'not null',
    parent_id: 'null',
    ancestry: 'not null',
    name: 'not null',
    kind: 'not null',
    created_at: 'not null',
    updated_at: 'not null',
  },
  users: {
    id: 'not null',
    email: 'not null',
    display_name: 'not null',
    password_hash: 'not null',
    status: 'not null',
    locale: 'not null',
    password_changed_at: 'not null',
    created_at: 'not null',
    updated_at: 'not null',
  },
  memberships: { id: 'not null', org_id: 'not null', user_id: 'not null', role: 'not null', created_at: 'not null', updated_at: 'not null' },
  sessions: {
    id: 'not null',
    org_id: 'not null',
    user_id: 'not null',
    created_at: 'not null',
    last_used_at: 'not null',
    expires_at: 'not null',
    revoked_at: 'null',
    revoke_reason: 'null',
    ip: 'null',
    user_agent: 'null',
    mfa_at: 'null',
    mfa_method: 'null',
    sign_in_method: 'not null',
    sso_provider_id: 'null',
  },
  refresh_tokens: { id: 'not null', org_id: 'not null', session_id: 'not null', token_hash: 'not null', created_at: 'not null', rotated_at: 'null' },
  invitations: {
    id: 'not null',
    org_id: 'not null',
    email: 'not null',
    role: 'not null',
    token_hash: 'not null',
    invited_by: 'null',
    created_at: 'not null',
    expires_at: 'not null',
    accepted_at: 'null',
    accepted_by: 'null',
    revoked_at: 'null',
  },
  auth_throttle: { key: 'not null', window_started_at: 'not null', count: 'not null' },
  mfa_totp: { user_id: 'not null', secret_sealed: 'not null', confirmed_at: 'null', last_used_step: 'null', created_at: 'not null' },
  mfa_recovery_codes: { id: 'not null', user_id: 'not null', code_hash: 'not null', used_at: 'null', created_at: 'not null' },
  mfa_challenges: {
    id: 'not null',
    token_hash: 'not null',
    user_id: 'not null',
    org_id: 'not null',
    expires_at: 'not null',
    attempts: 'not null',
    used_at: 'null',
    sign_in_method: 'not null',
    sso_provider_id: 'null',
  },
  passkeys: {
    id: 'not null',
    user_id: 'not null',
    credential_id: 'not null',
    public_key: 'not null',
    counter: 'not null',
    transports: 'not null',
    name: 'not null',
    device_type: 'not null',
    backed_up: 'not null',
    created_at: 'not null',
    last_used_at: 'null',
  },
  webauthn_challenges: { id: 'not null', challenge_hash: 'not null', purpose: 'not null', user_id: 'null', session_id: 'null', mfa_challenge_id: 'null', expires_at: 'not null', used_at: 'null' },
  identity_providers: {
    id: 'not null',
    org_id: 'not null',
    org_path: 'not null',
    kind: 'not null',
    name: 'not null',
    issuer: 'null',
    client_id: 'null',
    client_secret_sealed: 'null',
    allowed_domains: 'not null',
    role_mapping: 'not null',
    default_role: 'null',
    jit_enabled: 'not null',
    saml_entity_id: 'null',
    saml_sso_url: 'null',
    saml_certificates: 'null',
    saml_idp_initiated: 'not null',
    saml_email_attribute: 'null',
    created_by: 'null',
    created_at: 'not null',
    updated_at: 'not null',
  },
  sso_identities: { id: 'not null', user_id: 'not null', provider_id: 'not null', subject: 'not null', email: 'null', created_at: 'not null' },
  sso_login_states: {
    id: 'not null',
    state_hash: 'not null',
    nonce: 'not null',
    code_verifier_sealed: 'null',
    provider_id: 'not null',
    org_id: 'not null',
    purpose: 'not null',
    user_id: 'null',
    expires_at: 'not null',
    used_at: 'null',
    invitation_id: 'null',
  },
  sign_in_policies: {
    org_id: 'not null',
    org_path: 'not null',
    mfa_required_for: 'not null',
    sso_required_for: 'not null',
    step_up_minutes: 'not null',
    revision: 'not null',
    updated_by: 'null',
    updated_at: 'not null',
  },
  signing_keys: {
    kid: 'not null',
    algorithm: 'not null',
    public_jwk: 'not null',
    private_key_sealed: 'not null',
    created_at: 'not null',
    retired_at: 'null',
  },
  setup_state: { singleton: 'not null', token_hash: 'null', completed_at: 'null' },
  audit_events: {
    id: 'not null',
    org_id: 'not null',
    seq: 'null',
    occurred_at: 'not null',
    actor_type: 'not null',
    actor_id: 'null',
    action: 'not null',
    target_type: 'not null',
    target_id: 'null',
    // Typed `unknown` (any JSON, null included).
    before: 'null',
    after: 'null',
    ip: 'null',
    user_agent: 'null',
    correlation_id: 'null',
    prev_hash: 'null',
    hash: 'null',
    txid: 'null',
    no: 'not null',
    content_hash: 'null',
    chained_at: 'null',
  },
  audit_chain_heads: { org_id: 'not null', seq: 'not null', hash: 'not null' },
  outbox_events: {
    position: 'not null',
    id: 'not null',
    name: 'not null',
    org_id: 'not null',
    aggregate_type: 'not null',
    aggregate_id: 'not null',
    payload: 'not null',
    correlation_id: 'null',
    occurred_at: 'not null',
    published_at: 'null',
    attempts: 'not null',
    next_attempt_at: 'not null',
    last_error: 'null',
    dead_lettered_at: 'null',
  },
  event_consumptions: { consumer: 'not null', event_id: 'not null', processed_at: 'not null' },
  job_workers: { name: 'not null', heartbeat_at: 'not null', released_until: 'not null', taken_over_at: 'null' },
  event_dead_letters: {
    id: 'not null',
    position: 'not null',
    consumer: 'not null',
    event_id: 'not null',
    org_id: 'not null',
    name: 'not null',
    aggregate_type: 'not null',
    aggregate_id: 'not null',
    envelope: 'not null',
    state: 'not null',
    attempts: 'not null',
    last_error: 'null',
    next_attempt_at: 'not null',
    dead_lettered_at: 'null',
    parked_at: 'not null',
  },
  scheduled_jobs: {
    id: 'not null',
    org_id: 'null',
    key: 'not null',
    job_name: 'not null',
    payload: 'not null',
    run_at: 'not null',
    version: 'not null',
    state: 'not null',
    attempts: 'not null',
    done_at: 'null',
    created_at: 'not null',
    updated_at: 'not null',
  },  // Messages (0005, 0007).
  message_words: { org_id: 'not null', org_path: 'not null', word: 'not null' },
  approval_policies: { org_id: 'not null', org_path: 'not null', stages: 'not null', allow_self_approval: 'not null', late_approval: 'not null', expire_after_days: 'null', revision: 'not null', updated_by: 'null', updated_at: 'not null' },
  blackout_days: { id: 'not null', org_id: 'not null', org_path: 'not null', starts_on: 'not null', ends_on: 'not null', zone: 'not null', starts_at: 'not null', ends_at: 'not null', reason: 'not null', created_by: 'null', created_at: 'not null' },
  campaigns: { id: 'not null', org_id: 'not null', org_path: 'not null', name: 'not null', description: 'not null', starts_on: 'null', ends_on: 'null', archived_at: 'null', created_by: 'null', created_at: 'not null', updated_at: 'not null' },
  message_approvals: { id: 'not null', message_id: 'not null', org_id: 'not null', org_path: 'not null', review_round: 'not null', stage: 'not null', language: 'null', decision: 'not null', approver_id: 'not null', version: 'not null', content_hash: 'not null', comment: 'not null', invalidated_at: 'null', created_at: 'not null' },
  message_comments: { id: 'not null', message_id: 'not null', org_id: 'not null', org_path: 'not null', author_id: 'null', body: 'not null', version: 'not null', created_at: 'not null' },
  message_texts: { message_id: 'not null', language: 'not null', channel: 'not null', org_id: 'not null', org_path: 'not null', body: 'not null', tsv: 'null' },
  message_versions: { message_id: 'not null', number: 'not null', org_id: 'not null', org_path: 'not null', content: 'not null', content_hash: 'not null', restored_from: 'null', created_by: 'null', created_at: 'not null' },
  messages: { id: 'not null', org_id: 'not null', org_path: 'not null', campaign_id: 'null', title: 'not null', status: 'not null', revision: 'not null', version: 'not null', content_hash: 'not null', languages: 'not null', channels: 'not null', tags: 'not null', notes: 'not null', scheduled_at: 'null', schedule_local: 'null', schedule_zone: 'null', embargo_until: 'null', review_policy: 'null', review_round: 'not null', submitted_by: 'null', submitted_at: 'null', approved_at: 'null', approved_hash: 'null', schedule_entry_id: 'null', schedule_key: 'null', held_by_suspension: 'null', held_reason: 'null', publishing_started_at: 'null', status_reason: 'null', created_by: 'null', created_at: 'not null', updated_at: 'not null' },
  publishing_suspensions: { id: 'not null', org_id: 'not null', org_path: 'not null', reason: 'not null', suspended_by: 'null', suspended_at: 'not null', resumed_by: 'null', resumed_at: 'null' },
  // Media (0010).
  media_folders: { id: 'not null', org_id: 'not null', org_path: 'not null', parent_id: 'null', name: 'not null', shared_with_subtree: 'not null', created_by: 'null', created_at: 'not null' },
  media_assets: { id: 'not null', org_id: 'not null', org_path: 'not null', folder_id: 'null', kind: 'not null', mime: 'not null', bytes: 'not null', sha256: 'not null', storage_key: 'not null', original_name: 'not null', status: 'not null', stage: 'not null', progress: 'not null', failure: 'null', width: 'null', height: 'null', duration_ms: 'null', probe: 'null', blurhash: 'null', dominant_color: 'null', title: 'not null', alt_text: 'not null', caption: 'not null', credit: 'not null', copyright: 'not null', tags: 'not null', usage_rights: 'not null', expires_at: 'null', focal_x: 'not null', focal_y: 'not null', keep_metadata: 'not null', want_vertical: 'not null', shared_with_subtree: 'not null', created_by: 'null', created_at: 'not null', updated_at: 'not null', search: 'null' },
  media_renditions: { asset_id: 'not null', name: 'not null', org_id: 'not null', org_path: 'not null', mime: 'not null', width: 'null', height: 'null', bytes: 'not null', duration_ms: 'null', storage_key: 'not null', networks: 'not null', created_at: 'not null' },
  channels: {
    id: 'not null', org_id: 'not null', org_path: 'not null', network: 'not null', account_id: 'not null', handle: 'null', display_name: 'not null', base_url: 'not null',
    language: 'null', sandbox: 'not null', status: 'not null', access_token_sealed: 'null', refresh_token_sealed: 'null', access_expires_at: 'null', refresh_expires_at: 'null',
    scopes: 'not null', extra: 'not null', last_refreshed_at: 'null', last_error: 'null', last_error_at: 'null', allowed_user_ids: 'not null', allowed_roles: 'not null',
    shared_with_subtree: 'not null', connected_by: 'null', revision: 'not null', created_at: 'not null', updated_at: 'not null',
  },
  channel_connect_attempts: {
    id: 'not null', org_id: 'not null', org_path: 'not null', user_id: 'not null', session_id: 'not null', network: 'not null', base_url: 'not null', sandbox: 'not null',
    state_hash: 'not null', pkce_verifier_sealed: 'null', redirect_uri: 'not null', expires_at: 'not null', used_at: 'null', candidates: 'null', candidates_sealed: 'null',
    completed_at: 'null', created_at: 'not null',
  },
  mastodon_apps: { base_url: 'not null', redirect_uri: 'not null', client_id: 'not null', client_secret_sealed: 'not null', scopes: 'not null', created_at: 'not null' },
  // Deliveries (0013).
  deliveries: { id: 'not null', org_id: 'not null', org_path: 'not null', message_id: 'not null', version: 'not null', content_hash: 'not null', channel_id: 'not null', network: 'null', idempotency_key: 'not null', state: 'not null', attempts: 'not null', dispatch: 'not null', next_attempt_at: 'null', first_call_at: 'null', external_id: 'null', external_url: 'null', failure_class: 'null', failure_reason: 'null', held_by_suspension: 'null', retract_reason: 'null', published_at: 'null', created_at: 'not null', updated_at: 'not null' },
  delivery_attempts: { id: 'not null', org_id: 'not null', org_path: 'not null', delivery_id: 'not null', number: 'not null', kind: 'not null', started_at: 'not null', ended_at: 'null', outcome: 'null', error_class: 'null', http_status: 'null', vendor_code: 'null', detail: 'null' },
  delivery_rate_limits: { scope: 'not null', bucket: 'not null', remaining: 'not null', reset_at: 'not null' },
  notifications: { id: 'not null', org_id: 'not null', org_path: 'not null', user_id: 'not null', event_id: 'not null', kind: 'not null', urgency: 'not null', subject_type: 'not null', subject_id: 'not null', params: 'not null', read_at: 'null', dispatched_at: 'null', created_at: 'not null' },
  notification_deliveries: { id: 'not null', notification_id: 'not null', org_id: 'not null', org_path: 'not null', user_id: 'not null', event_id: 'not null', kind: 'not null', channel: 'not null', state: 'not null', not_before: 'null', attempts: 'not null', reason: 'null', provider_ref: 'null', bounced_at: 'null', sent_at: 'null', created_at: 'not null', updated_at: 'not null' },
  notification_preferences: { user_id: 'not null', kind: 'not null', channel: 'not null', enabled: 'not null', updated_at: 'not null' },
  notification_settings: { user_id: 'not null', time_zone: 'not null', quiet_start: 'null', quiet_end: 'null', digest: 'not null', phone_sealed: 'null', updated_at: 'not null' },
  notification_mandatory: { org_id: 'not null', org_path: 'not null', kind: 'not null', channel: 'not null', created_by: 'null', created_at: 'not null' },
  notification_push_subscriptions: { id: 'not null', user_id: 'not null', endpoint_hash: 'not null', subscription_sealed: 'not null', created_at: 'not null' },
  notification_vapid_keys: { id: 'not null', public_key: 'not null', private_key_sealed: 'not null', created_at: 'not null' },
  notification_email_bounces: { address: 'not null', type: 'not null', reason: 'not null', source: 'not null', bounces: 'not null', first_at: 'not null', last_at: 'not null' },
  notification_alert_marks: { source: 'not null', seen_until: 'not null' },
  sso_saml_assertions: { provider_id: 'not null', assertion_id: 'not null', handle_hash: 'not null', result_sealed: 'not null', expires_at: 'not null', created_at: 'not null', completed_at: 'null' },
  webhooks: { id: 'not null', org_id: 'not null', org_path: 'not null', url: 'not null', description: 'not null', events: 'not null', enabled: 'not null', secret_sealed: 'not null', disabled_reason: 'null', disabled_at: 'null', consecutive_failures: 'not null', failing_since: 'null', created_by: 'null', revision: 'not null', created_at: 'not null', updated_at: 'not null' },
  webhook_deliveries: { id: 'not null', org_id: 'not null', org_path: 'not null', webhook_id: 'not null', event_id: 'not null', event_name: 'not null', body: 'not null', state: 'not null', attempts: 'not null', next_attempt_at: 'null', lease_until: 'null', created_at: 'not null', updated_at: 'not null' },
  webhook_attempts: { id: 'not null', org_id: 'not null', org_path: 'not null', delivery_id: 'not null', number: 'not null', trigger: 'not null', started_at: 'not null', duration_ms: 'not null', succeeded: 'not null', status_code: 'null', error: 'null', response_body: 'null' },
};

describe('schema', () => {
  it('migrating an empty database gives exactly the tables and columns the Kysely types declare', async () => {
    const pool = await emptyPool();
    await migrate(pool);
    const { rows } = await pool.query<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }>(
      `SELECT c.table_name, c.column_name, c.is_nullable
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'
         -- A partition has its parent's columns; the parent is what the types declare.
         AND NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid WHERE p.relname = c.table_name)`,
    );
    const actual: Record<string, Record<string, string>> = {};
    for (const r of rows) (actual[r.table_name] ??= {})[r.column_name] = r.is_nullable === 'YES' ? 'null' : 'not null';

    expect(Object.keys(actual).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(actual).toEqual(EXPECTED);
  });
});
