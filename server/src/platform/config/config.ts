import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads the environment. Everything else receives a parsed `Config`, so a
 * typo in a variable fails the boot with a readable message instead of surfacing later.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** `auto`: readable lines on a terminal, JSON lines otherwise (files, pipes, log shippers). */
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), 'must be a postgres:// URL');
const schemeUrl = (schemes: string[]) =>
  z
    .string()
    .refine(
      (v) => URL.canParse(v) && schemes.includes(new URL(v).protocol.replace(':', '')),
      `must be a URL with scheme ${schemes.join(' or ')}`,
    );
const secretKey = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded');
const seconds = (dflt: number) => z.coerce.number().int().positive().default(dflt);

/** The networks channels connect to; each has its base URL and OAuth client in the environment. */
export const NETWORK_NAMES = ['facebook', 'instagram', 'x', 'linkedin', 'youtube', 'mastodon', 'bluesky'] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

/** GUDDU_<NETWORK>_URL, _CLIENT_ID, _CLIENT_SECRET for each network. */
function networkEnv() {
  const shape: Record<string, z.ZodOptional<z.ZodType<string>>> = {};
  for (const n of NETWORK_NAMES) {
    const up = n.toUpperCase();
    shape[`GUDDU_${up}_URL`] = schemeUrl(['http', 'https']).optional();
    shape[`GUDDU_${up}_CLIENT_ID`] = z.string().min(1).max(500).optional();
    shape[`GUDDU_${up}_CLIENT_SECRET`] = z.string().min(1).max(2000).optional();
  }
  return shape;
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  GUDDU_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: postgresUrl.optional(),
  GUDDU_DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  REDIS_URL: schemeUrl(['redis', 'rediss']).optional(),
  NATS_URL: schemeUrl(['nats', 'tls']).optional(),
  GUDDU_NATS_PREFIX: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, 'lower-case letters, digits and _').default('guddu'),
  GUDDU_SECRET_KEY: secretKey.optional(),
  GUDDU_PREVIOUS_SECRET_KEY: secretKey.optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_FORMAT: z.enum(LOG_FORMATS).default('auto'),
  GUDDU_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  // Which proxies may set X-Forwarded-For: 'false', a number of hops, or addresses/CIDRs.
  // Not 'true': trusting every hop lets any client choose the IP that throttling and audit see.
  GUDDU_TRUST_PROXY: z
    .string()
    .regex(/^(false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, "must be false, a number of proxy hops, or proxy addresses/CIDRs (comma-separated); 'true' is refused")
    .default('false')
    .transform((v): false | number | string => (v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v.replace(/\s+/g, ''))),
  GUDDU_PUBLIC_URL: schemeUrl(['http', 'https']).optional(),
  GUDDU_WEB_DIR: z.string().min(1).optional(),
  GUDDU_ACCESS_TOKEN_TTL_SECONDS: seconds(900),
  GUDDU_REFRESH_TOKEN_TTL_SECONDS: seconds(30 * 24 * 3600),
  GUDDU_INVITATION_TTL_SECONDS: seconds(7 * 24 * 3600),
  GUDDU_LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  GUDDU_LOGIN_ACCOUNT_WINDOW_SECONDS: seconds(15 * 60),
  GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).default(30),
  GUDDU_LOGIN_IP_WINDOW_SECONDS: seconds(60),
  GUDDU_SHUTDOWN_GRACE_SECONDS: seconds(15),
  GUDDU_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10),
  GUDDU_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(4),
  GUDDU_DELIVERY_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  GUDDU_REALTIME_RECHECK_MS: z.coerce.number().int().min(200).max(600_000).default(30_000),
  GUDDU_JOB_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
  GUDDU_JOB_ARM_AHEAD_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  GUDDU_WORKER_STALE_SECONDS: seconds(30),
  GUDDU_WORKER_DEAD_SECONDS: z.coerce.number().int().min(2).max(600).default(10),
  GUDDU_SCHEDULER_SWEEP_SECONDS: seconds(60),
  GUDDU_AUDIT_SEQUENCE_MS: z.coerce.number().int().min(10).max(60_000).default(400),
  GUDDU_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('guddu'),
  GUDDU_OUTBOX_BATCH_AGGREGATES: z.coerce.number().int().min(1).max(1000).default(50),
  GUDDU_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  GUDDU_OUTBOX_RETRY_BASE_MS: z.coerce.number().int().min(10).default(1000),
  GUDDU_OUTBOX_RETRY_MAX_MS: z.coerce.number().int().min(10).default(300_000),
  GUDDU_OUTBOX_RELAY_LANES: z.coerce.number().int().min(1).max(32).default(3),
  GUDDU_OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  GUDDU_SCHEDULE_HORIZON_DAYS: z.coerce.number().int().min(1).max(36_500).default(730),
  GUDDU_REQUEST_TIMEOUT_SECONDS: seconds(60),
  GUDDU_DEAD_LETTER_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  GUDDU_STORAGE: z.enum(['local', 's3']).default('local'),
  GUDDU_S3_ENDPOINT: schemeUrl(['http', 'https']).optional(),
  GUDDU_S3_REGION: z.string().min(1).default('us-east-1'),
  GUDDU_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name').optional(),
  GUDDU_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  GUDDU_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  GUDDU_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
  GUDDU_MEDIA_QUOTA_BYTES: z.coerce.number().int().min(1).default(50 * 1024 ** 3),
  GUDDU_MEDIA_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).max(4 * 1024 ** 3).default(4 * 1024 ** 3),
  GUDDU_MEDIA_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(24 * 3600).default(300),
  GUDDU_SANDBOX: z.enum(['on', 'off']).optional(),
  GUDDU_ANALYTICS_RAW_RETENTION_DAYS: z.coerce.number().int().min(2).max(3650).default(400),
  GUDDU_COMMENT_HANDLE_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  GUDDU_LISTENING_POLL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  GUDDU_ANALYTICS_SNAPSHOT_CADENCE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  GUDDU_SENTIMENT_MODEL_URL: schemeUrl(['http', 'https']).optional(),
  GUDDU_SENTIMENT_MODEL: z.string().min(1).max(200).default('gpt-4o-mini'),
  GUDDU_SENTIMENT_MODEL_API_KEY: z.string().min(1).max(2000).optional(),
  GUDDU_SENTIMENT_MODEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // Notifications (decision 0025): email is "not configured" without an SMTP URL.
  GUDDU_SMTP_URL: schemeUrl(['smtp', 'smtps']).optional(),
  GUDDU_MAIL_FROM: z.string().min(3).max(320).default('Guddu <guddu@localhost>'),
  GUDDU_NOTIFY_MAX_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  // The shared secret a mail provider's bounce webhook sends (Authorization: Bearer); unset: the endpoint answers 404.
  GUDDU_NOTIFY_BOUNCE_SECRET: z.string().min(24, 'at least 24 characters').max(200).optional(),
  ...networkEnv(),
  GUDDU_WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  GUDDU_WEBHOOKS_RETRY_SCHEDULE: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?){0,29}$/, 'comma-separated seconds, e.g. 5,300,1800')
    .default('5,300,1800,7200,18000,36000,36000'),
  GUDDU_WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  GUDDU_WEBHOOKS_DISABLE_AFTER_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  GUDDU_WEBHOOKS_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(10_000).default(10),
  GUDDU_SMS_URL: schemeUrl(['http', 'https']).optional(),
  GUDDU_SMS_ACCOUNT_SID: z.string().regex(/^AC[0-9a-f]{32}$/i, 'a Twilio account SID (AC + 32 hex)').optional(),
  GUDDU_SMS_AUTH_TOKEN: z.string().min(8).max(200).optional(),
  GUDDU_SMS_FROM: z.string().min(3).max(40).optional(),
  GUDDU_SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  GUDDU_BOOTSTRAP_ORG: z.string().trim().min(1).max(200).optional(),
  GUDDU_BOOTSTRAP_EMAIL: z.email().optional(),
  GUDDU_BOOTSTRAP_PASSWORD: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Set in distributed mode; embedded mode starts its own PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  dbPoolSize: number;
  redisUrl: string | undefined;
  natsUrl: string | undefined;
  /** Subjects are `<prefix>.<event>`, streams `<PREFIX>_<DOMAIN>`: installations sharing a NATS stay apart. */
  natsPrefix: string;
  /** 32-byte key; in embedded mode generated into the data dir when not given. */
  secretKey: Buffer | undefined;
  /**
   * While rotating GUDDU_SECRET_KEY: the key being replaced. Secrets it sealed still open, and
   * `guddu reseal-secrets` seals them all again under the new key; then it can be dropped.
   */
  previousSecretKey: Buffer | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  logFormat: LogFormat;
  bodyLimitBytes: number;
  /** Fastify's trustProxy: false, a hop count, or a list of proxy addresses/CIDRs. */
  trustProxy: false | number | string;
  publicUrl: string;
  /** The console's static export (web/out), served on every path outside /api. */
  webDir: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  invitationTtlSeconds: number;
  loginThrottle: {
    maxFailuresPerAccount: number;
    accountWindowSeconds: number;
    maxAttemptsPerIp: number;
    ipWindowSeconds: number;
  };
  shutdownGraceSeconds: number;
  /** The longest the audit sequencer waits between batches while there is nothing to chain. */
  auditSequenceMs: number;
  /**
   * Background jobs. `lockMs` bounds how long a job held by a killed worker waits before it is
   * retried; `staleAfterMs` is how long a worker may go without polling before /readyz fails;
   * a job enqueued to run at an instant is taken up to `armAheadMs` early and held until then
   * (decision 0007), so a burst due together starts on time. A worker silent for `deadAfterMs`
   * has its held jobs taken over by another (decision 0013).
   */
  jobs: { concurrency: number; lockMs: number; armAheadMs: number; staleAfterMs: number; deadAfterMs: number; sweepMs: number; redisPrefix: string };
  /**
   * Network calls a process makes at once for deliveries (GUDDU_DELIVERY_CONCURRENCY), inside
   * the job worker's run slots: whatever the burst, no more calls than this start together.
   * Each call holds a database connection (the gate's lock) and briefly a second, so it is
   * capped below half of GUDDU_DB_POOL_SIZE. A call gets `callTimeoutMs` before its answer
   * counts as lost (a create is then reconciled, never resent blindly).
   */
  deliveries: { concurrency: number; callTimeoutMs: number };
  /** How often each API process re-checks the sessions of its open sockets (signed out, deactivated). */
  realtimeRecheckMs: number;
  /**
   * The outbox relay locks this many aggregates per round (all their pending events go in that
   * round); smaller rounds let several relays share a burst on few aggregates. An event whose
   * delivery fails waits `retryBaseMs` doubling up to `retryMaxMs` between attempts, and is
   * dead-lettered after `maxAttempts` (decision 0006); so does a JetStream subscriber's failing
   * event (decision 0013). A dead letter nobody redrives or discards is pruned after
   * `deadLetterRetentionMs`, as if discarded. A relay runs `relayLanes` rounds at once (capped at
   * a quarter of the pool: each round holds a connection while its deliveries take others), and
   * idle lanes look for events every `pollMs` when no commit notification woke them (decision 0034).
   */
  outbox: { aggregatesPerBatch: number; maxAttempts: number; retryBaseMs: number; retryMaxMs: number; deadLetterRetentionMs: number; relayLanes: number; pollMs: number };
  /** Where media bytes live (decision 0015): a directory under the data dir, or an S3 bucket. */
  storage: StorageConfig;
  /**
   * Media limits: an organisation's stored bytes (`quotaBytes`), one upload (`maxUploadBytes`,
   * at most 4 GiB), and how long a signed download URL lives.
   */
  media: { quotaBytes: number; maxUploadBytes: number; urlTtlSeconds: number };
  bootstrap: { organisation: string; email: string; password: string } | undefined;
  /**
   * Whether the sandbox networks (the loopback simulators) run inside this process and channels
   * may connect to them. GUDDU_SANDBOX; on by default in embedded mode, off with DATABASE_URL.
   */
  sandbox: boolean;
  /** GUDDU_SANDBOX was set: the sandbox starts even in a process that runs no server (tests, tools). */
  sandboxExplicit: boolean;
  /**
   * Per network: a base URL that replaces all of the network's hosts (undefined: the real hosts),
   * and the OAuth client Guddu is registered as (Mastodon registers itself per instance; Bluesky
   * needs none).
   */
  networks: Record<NetworkName, { url: string | undefined; clientId: string | undefined; clientSecret: string | undefined }>;
  /** A schedule or an embargo further ahead than this is refused: a year-9999 date is a typo, not a plan. */
  scheduleHorizonDays: number;
  /** A client gets this long to send a whole request (headers and body) before a 408. */
  requestTimeoutSeconds: number;
  /**
   * An OpenAI-compatible model that replaces the offline sentiment lexicon (decision 0024).
   * Undefined unless GUDDU_SENTIMENT_MODEL_URL is set: by default no comment leaves the server.
   */
  /** Raw metric snapshots are dropped (whole daily partitions) after this; rollups are kept. */
  analytics: { rawRetentionDays: number; /** After +30 d, a post's metrics are read this often until the retention horizon. */ snapshotCadenceDays: number };
  /**
   * Listening (decision 0029): comment authors' handles are cleared `handleRetentionDays` after
   * ingest (0: at the next sweep); a post's comments are read every `pollMs` in its first day,
   * hourly after, for 30 days.
   */
  listening: { handleRetentionDays: number; pollMs: number };
  sentimentModel: { url: string; model: string; apiKey: string | undefined; timeoutMs: number } | undefined;
  /**
   * Outgoing webhooks (decision 0026). `allowPrivate` lets them reach loopback and private
   * addresses and plain http (a receiver on the operator's own network, tests); the delay before
   * each retry; the call timeout; auto-disable once every attempt has failed for `disableAfterMs`
   * and at least `disableAfterFailures` times in a row.
   */
  webhooks: { allowPrivate: boolean; retryDelaysMs: number[]; timeoutMs: number; disableAfterMs: number; disableAfterFailures: number };
  /**
   * A Twilio-compatible SMS provider (GUDDU_SMS_URL, _ACCOUNT_SID, _AUTH_TOKEN, _FROM; decision
   * 0026). Undefined: the sandbox simulator when the sandbox runs, else no SMS.
   */
  sms: { url: string; accountSid: string; authToken: string; from: string; timeoutMs: number } | undefined;
  smsTimeoutMs: number;
  /**
   * Notifications: the SMTP server (undefined: email is not configured), the From address, and
   * how many non-urgent sends one person gets per channel per minute before the rest wait, and
   * the bounce webhook's shared secret (undefined: no webhook).
   */
  notifications: { smtpUrl: string | undefined; mailFrom: string; maxPerMinute: number; bounceSecret: string | undefined };
}

export type StorageConfig =
  | { kind: 'local'; directory: string }
  | { kind: 's3'; endpoint: string | undefined; region: string; bucket: string; accessKeyId: string | undefined; secretAccessKey: string | undefined; forcePathStyle: boolean };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function networksOf(e: Record<string, string | undefined>): Config['networks'] {
  const out = {} as Config['networks'];
  for (const n of NETWORK_NAMES) {
    const up = n.toUpperCase();
    out[n] = { url: e[`GUDDU_${up}_URL`]?.replace(/\/+$/, ''), clientId: e[`GUDDU_${up}_CLIENT_ID`], clientSecret: e[`GUDDU_${up}_CLIENT_SECRET`] };
  }
  return out;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings are treated as unset: `FOO= npm start` should mean "no FOO".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const bootstrapVars = [e.GUDDU_BOOTSTRAP_ORG, e.GUDDU_BOOTSTRAP_EMAIL, e.GUDDU_BOOTSTRAP_PASSWORD];
  const bootstrapSet = bootstrapVars.filter((v) => v !== undefined).length;
  if (bootstrapSet !== 0 && bootstrapSet !== 3) {
    throw new ConfigError([
      'GUDDU_BOOTSTRAP_ORG, GUDDU_BOOTSTRAP_EMAIL and GUDDU_BOOTSTRAP_PASSWORD must be set together',
    ]);
  }
  if (e.DATABASE_URL && !e.GUDDU_SECRET_KEY) {
    throw new ConfigError([
      'GUDDU_SECRET_KEY: required with DATABASE_URL (replicas must share it); generate one with `openssl rand -base64 32`',
    ]);
  }
  const smsVars = [e.GUDDU_SMS_URL, e.GUDDU_SMS_ACCOUNT_SID, e.GUDDU_SMS_AUTH_TOKEN, e.GUDDU_SMS_FROM];
  const smsSet = smsVars.filter((v) => v !== undefined).length;
  if (smsSet !== 0 && smsSet !== 4) {
    throw new ConfigError(['GUDDU_SMS_URL, GUDDU_SMS_ACCOUNT_SID, GUDDU_SMS_AUTH_TOKEN and GUDDU_SMS_FROM must be set together']);
  }
  if (e.GUDDU_STORAGE === 's3' && !e.GUDDU_S3_BUCKET) {
    throw new ConfigError(['GUDDU_S3_BUCKET: required with GUDDU_STORAGE=s3']);
  }
  if ((e.GUDDU_S3_ACCESS_KEY_ID === undefined) !== (e.GUDDU_S3_SECRET_ACCESS_KEY === undefined)) {
    throw new ConfigError(['GUDDU_S3_ACCESS_KEY_ID and GUDDU_S3_SECRET_ACCESS_KEY must be set together']);
  }
  const dataDir = resolve(e.GUDDU_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    dbPoolSize: e.GUDDU_DB_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    natsUrl: e.NATS_URL,
    natsPrefix: e.GUDDU_NATS_PREFIX,
    secretKey: e.GUDDU_SECRET_KEY ? Buffer.from(e.GUDDU_SECRET_KEY, 'base64') : undefined,
    previousSecretKey: e.GUDDU_PREVIOUS_SECRET_KEY ? Buffer.from(e.GUDDU_PREVIOUS_SECRET_KEY, 'base64') : undefined,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    bodyLimitBytes: e.GUDDU_BODY_LIMIT_BYTES,
    trustProxy: e.GUDDU_TRUST_PROXY,
    publicUrl: e.GUDDU_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    // Four levels up from server/{src,dist}/platform/config is the repository.
    webDir: e.GUDDU_WEB_DIR ? resolve(e.GUDDU_WEB_DIR) : fileURLToPath(new URL('../../../../web/out', import.meta.url)),
    accessTokenTtlSeconds: e.GUDDU_ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.GUDDU_REFRESH_TOKEN_TTL_SECONDS,
    invitationTtlSeconds: e.GUDDU_INVITATION_TTL_SECONDS,
    loginThrottle: {
      maxFailuresPerAccount: e.GUDDU_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      accountWindowSeconds: e.GUDDU_LOGIN_ACCOUNT_WINDOW_SECONDS,
      maxAttemptsPerIp: e.GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP,
      ipWindowSeconds: e.GUDDU_LOGIN_IP_WINDOW_SECONDS,
    },
    shutdownGraceSeconds: e.GUDDU_SHUTDOWN_GRACE_SECONDS,
    scheduleHorizonDays: e.GUDDU_SCHEDULE_HORIZON_DAYS,
    requestTimeoutSeconds: e.GUDDU_REQUEST_TIMEOUT_SECONDS,
    analytics: { rawRetentionDays: e.GUDDU_ANALYTICS_RAW_RETENTION_DAYS, snapshotCadenceDays: e.GUDDU_ANALYTICS_SNAPSHOT_CADENCE_DAYS },
    listening: { handleRetentionDays: e.GUDDU_COMMENT_HANDLE_RETENTION_DAYS, pollMs: e.GUDDU_LISTENING_POLL_SECONDS * 1000 },
    sentimentModel: e.GUDDU_SENTIMENT_MODEL_URL
      ? { url: e.GUDDU_SENTIMENT_MODEL_URL, model: e.GUDDU_SENTIMENT_MODEL, apiKey: e.GUDDU_SENTIMENT_MODEL_API_KEY, timeoutMs: e.GUDDU_SENTIMENT_MODEL_TIMEOUT_MS }
      : undefined,
    webhooks: {
      allowPrivate: e.GUDDU_WEBHOOKS_ALLOW_PRIVATE === 'true',
      retryDelaysMs: e.GUDDU_WEBHOOKS_RETRY_SCHEDULE.split(',').map((v) => Math.round(Number(v) * 1000)),
      timeoutMs: e.GUDDU_WEBHOOKS_TIMEOUT_MS,
      disableAfterMs: Math.round(e.GUDDU_WEBHOOKS_DISABLE_AFTER_HOURS * 3600_000),
      disableAfterFailures: e.GUDDU_WEBHOOKS_DISABLE_AFTER_FAILURES,
    },
    sms:
      smsSet === 4
        ? { url: e.GUDDU_SMS_URL!.replace(/\/+$/, ''), accountSid: e.GUDDU_SMS_ACCOUNT_SID!, authToken: e.GUDDU_SMS_AUTH_TOKEN!, from: e.GUDDU_SMS_FROM!, timeoutMs: e.GUDDU_SMS_TIMEOUT_MS }
        : undefined,
    smsTimeoutMs: e.GUDDU_SMS_TIMEOUT_MS,
    auditSequenceMs: e.GUDDU_AUDIT_SEQUENCE_MS,
    realtimeRecheckMs: e.GUDDU_REALTIME_RECHECK_MS,
    deliveries: { concurrency: Math.max(1, Math.min(e.GUDDU_DELIVERY_CONCURRENCY, Math.floor(e.GUDDU_DB_POOL_SIZE / 2) - 1)), callTimeoutMs: e.GUDDU_DELIVERY_CALL_TIMEOUT_MS },
    jobs: {
      concurrency: e.GUDDU_JOB_CONCURRENCY,
      lockMs: e.GUDDU_JOB_LOCK_MS,
      armAheadMs: e.GUDDU_JOB_ARM_AHEAD_SECONDS * 1000,
      staleAfterMs: e.GUDDU_WORKER_STALE_SECONDS * 1000,
      deadAfterMs: e.GUDDU_WORKER_DEAD_SECONDS * 1000,
      sweepMs: e.GUDDU_SCHEDULER_SWEEP_SECONDS * 1000,
      // Installations (or test files) sharing one Redis keep their queues apart by prefix.
      redisPrefix: e.GUDDU_REDIS_PREFIX,
    },
    outbox: {
      aggregatesPerBatch: e.GUDDU_OUTBOX_BATCH_AGGREGATES,
      maxAttempts: e.GUDDU_OUTBOX_MAX_ATTEMPTS,
      retryBaseMs: e.GUDDU_OUTBOX_RETRY_BASE_MS,
      retryMaxMs: Math.max(e.GUDDU_OUTBOX_RETRY_MAX_MS, e.GUDDU_OUTBOX_RETRY_BASE_MS),
      deadLetterRetentionMs: e.GUDDU_DEAD_LETTER_RETENTION_DAYS * 24 * 3600_000,
      relayLanes: Math.max(1, Math.min(e.GUDDU_OUTBOX_RELAY_LANES, Math.floor(e.GUDDU_DB_POOL_SIZE / 4))),
      pollMs: e.GUDDU_OUTBOX_POLL_MS,
    },
    storage:
      e.GUDDU_STORAGE === 's3'
        ? { kind: 's3', endpoint: e.GUDDU_S3_ENDPOINT, region: e.GUDDU_S3_REGION, bucket: e.GUDDU_S3_BUCKET!, accessKeyId: e.GUDDU_S3_ACCESS_KEY_ID, secretAccessKey: e.GUDDU_S3_SECRET_ACCESS_KEY, forcePathStyle: e.GUDDU_S3_FORCE_PATH_STYLE === 'true' }
        : { kind: 'local', directory: resolve(dataDir, 'media') },
    media: { quotaBytes: e.GUDDU_MEDIA_QUOTA_BYTES, maxUploadBytes: e.GUDDU_MEDIA_MAX_UPLOAD_BYTES, urlTtlSeconds: e.GUDDU_MEDIA_URL_TTL_SECONDS },
    sandbox: e.GUDDU_SANDBOX ? e.GUDDU_SANDBOX === 'on' : !e.DATABASE_URL,
    sandboxExplicit: e.GUDDU_SANDBOX !== undefined,
    networks: networksOf(e as unknown as Record<string, string | undefined>),
    notifications: { smtpUrl: e.GUDDU_SMTP_URL, mailFrom: e.GUDDU_MAIL_FROM, maxPerMinute: e.GUDDU_NOTIFY_MAX_PER_MINUTE, bounceSecret: e.GUDDU_NOTIFY_BOUNCE_SECRET },
    bootstrap:
      bootstrapSet === 3
        ? {
            organisation: e.GUDDU_BOOTSTRAP_ORG!,
            email: e.GUDDU_BOOTSTRAP_EMAIL!,
            password: e.GUDDU_BOOTSTRAP_PASSWORD!,
          }
        : undefined,
  };
}
