import { describe, expect, it } from 'vitest';
import { matches, validPattern, webhookEventNames } from './webhook-events.js';

describe('webhook event filters', () => {
  it('accept exact names, a domain wildcard and *, and nothing that can never match', () => {
    expect(validPattern('messages.published')).toBe(true);
    expect(validPattern('publishing.*')).toBe(true);
    expect(validPattern('*')).toBe(true);
    expect(validPattern('messages.nope')).toBe(false);
    expect(validPattern('webhooks.*')).toBe(false);
    expect(validPattern('messages')).toBe(false);
  });

  it('match by name or domain, never an event outside the list', () => {
    expect(matches(['messages.*'], 'messages.published')).toBe(true);
    expect(matches(['messages.published'], 'messages.created')).toBe(false);
    expect(matches(['channels.*', 'identity.user_deactivated'], 'identity.user_deactivated')).toBe(true);
    expect(matches(['*'], 'webhooks.disabled')).toBe(false);
    expect(webhookEventNames()).toContain('publishing.delivery_failed');
  });
});
