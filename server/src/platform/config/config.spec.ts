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
