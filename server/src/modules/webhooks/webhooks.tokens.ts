import type { Lookup } from '../../platform/net/public-address.js';

/** How webhooks resolve host names; the system resolver, replaced in tests (DNS rebinding). */
export const WEBHOOK_LOOKUP = Symbol('WEBHOOK_LOOKUP');
export type WebhookLookup = Lookup;
