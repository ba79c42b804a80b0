import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has working defaults for embedded mode', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.trustProxy).toBe(false);
    expect(c.scheduleHorizonDays).toBe(730);
    expect(c.requestTimeoutSeconds).toBe(60);
  });

  it('names the variable in a bad value', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });

  it('requires the secret key with DATABASE_URL (replicas must share it)', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db' })).toThrow(/GUDDU_SECRET_KEY/);
  });

  it('requires the bootstrap variables together', () => {
    expect(() => loadConfig({ GUDDU_BOOTSTRAP_ORG: 'MEA' })).toThrow(/set together/);
  });

  it('trusts proxies by hop count or address, never blindly', () => {
    expect(loadConfig({ GUDDU_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ GUDDU_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
    expect(() => loadConfig({ GUDDU_TRUST_PROXY: 'true' })).toThrow(/GUDDU_TRUST_PROXY/);
  });

  it('keeps dead letters 30 days unless told otherwise, and refuses a retention of none', () => {
    expect(loadConfig({}).outbox.deadLetterRetentionMs).toBe(30 * 24 * 3600_000);
    expect(loadConfig({ GUDDU_DEAD_LETTER_RETENTION_DAYS: '7' }).outbox.deadLetterRetentionMs).toBe(7 * 24 * 3600_000);
    expect(loadConfig({}).sentimentModel).toBeUndefined();
    expect(loadConfig({ GUDDU_SENTIMENT_MODEL_URL: 'http://llm.internal/v1' }).sentimentModel).toMatchObject({ url: 'http://llm.internal/v1', model: 'gpt-4o-mini' });
    expect(() => loadConfig({ GUDDU_ANALYTICS_RAW_RETENTION_DAYS: '1' })).toThrow(/GUDDU_ANALYTICS_RAW_RETENTION_DAYS/);
    expect(() => loadConfig({ GUDDU_DEAD_LETTER_RETENTION_DAYS: '0' })).toThrow(/GUDDU_DEAD_LETTER_RETENTION_DAYS/);
  });

  it('takes over a silent worker after 10 s unless told otherwise, never in under 2 s', () => {
    expect(loadConfig({}).jobs.deadAfterMs).toBe(10_000);
    expect(() => loadConfig({ GUDDU_WORKER_DEAD_SECONDS: '1' })).toThrow(/GUDDU_WORKER_DEAD_SECONDS/);
  });
});

describe('webhooks and SMS settings', () => {
  it('default to https-only webhooks retried over about a day, and no SMS provider', () => {
    const c = loadConfig({});
    expect(c.webhooks).toEqual({ allowPrivate: false, retryDelaysMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000], timeoutMs: 10_000, disableAfterMs: 24 * 3600_000, disableAfterFailures: 10 });
    expect(c.sms).toBeUndefined();
  });

  it('reads a retry schedule in seconds and requires the SMS variables together', () => {
    expect(loadConfig({ GUDDU_WEBHOOKS_RETRY_SCHEDULE: '0.5,60' }).webhooks.retryDelaysMs).toEqual([500, 60_000]);
    expect(() => loadConfig({ GUDDU_WEBHOOKS_RETRY_SCHEDULE: '5,,60' })).toThrow(/GUDDU_WEBHOOKS_RETRY_SCHEDULE/);
    expect(() => loadConfig({ GUDDU_SMS_URL: 'https://api.twilio.com' })).toThrow(/must be set together/);
    const sms = loadConfig({ GUDDU_SMS_URL: 'https://api.twilio.com/', GUDDU_SMS_ACCOUNT_SID: `AC${'a'.repeat(32)}`, GUDDU_SMS_AUTH_TOKEN: 'token-123456', GUDDU_SMS_FROM: '+15005550006' }).sms;
    expect(sms).toMatchObject({ url: 'https://api.twilio.com', from: '+15005550006', timeoutMs: 10_000 });
  });
});
