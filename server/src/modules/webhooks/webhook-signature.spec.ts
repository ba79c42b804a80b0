import { describe, expect, it } from 'vitest';
import { newWebhookSecret, sign, signedHeaders } from './webhook-signature.js';

describe('Standard Webhooks signatures', () => {
  it('match the specification’s published example', () => {
    // From the Standard Webhooks specification (spec/standard-webhooks.md, "Signature scheme").
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('make a fresh 32-byte secret each time and sign with the attempt’s time', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newWebhookSecret()).not.toBe(a);
    const h = signedHeaders(a, 'id-1', '{}', 1_700_000_000_500);
    expect(h['webhook-timestamp']).toBe('1700000000');
    expect(h['webhook-signature']).toBe(sign(a, 'id-1', 1_700_000_000, '{}'));
  });
});
