import { sql } from 'kysely';
import { expect } from 'vitest';
import { totpCode, totpStep } from '../src/modules/identity/totp.js';
import { call, PASSWORD, type TestApp } from './harness.js';

/** The code an authenticator app shows now, or `offset` steps (30 s each) away. */
export const codeNow = (secret: string, offset = 0) => totpCode(secret, totpStep(Date.now()) + offset);

/**
 * The clock moving on: the last used step goes back, so the next codes are new to the server.
 * Tests need this to use a factor more than the window allows in one step.
 */
export async function letTimePass(t: TestApp, userId: string): Promise<void> {
  await sql`UPDATE mfa_totp SET last_used_step = last_used_step - 10 WHERE user_id = ${userId}`.execute(t.runtime.db);
}

/** Enrols and confirms an authenticator for a signed-in user; the confirming code is the current one. */
export async function enrolTotp(t: TestApp, token: string, org?: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const start = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/totp', token, ...(org ? { org } : {}) });
  expect(start.statusCode, start.body).toBe(200);
  const { secret } = start.json<{ secret: string }>();
  const confirm = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', token, payload: { code: await codeNow(secret) }, ...(org ? { org } : {}) });
  expect(confirm.statusCode, confirm.body).toBe(200);
  return { secret, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
}

export interface Pair {
  accessToken: string;
  refreshToken: string;
  organisationId: string;
}

/** Both steps of a sign-in with a second factor. */
export async function signInWithCode(t: TestApp, email: string, code: string | (() => Promise<string>)): Promise<Pair> {
  const first = await call(t, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
  expect(first.statusCode, first.body).toBe(200);
  const { challengeToken } = first.json<{ challengeToken: string }>();
  const second = await call(t, {
    method: 'POST',
    url: '/api/v1/auth/mfa/verify',
    payload: { challengeToken, code: typeof code === 'string' ? code : await code() },
  });
  expect(second.statusCode, second.body).toBe(200);
  return second.json<Pair>();
}
