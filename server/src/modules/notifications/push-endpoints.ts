import { NotPublicError, resolvePublic } from '../../platform/net/public-address.js';

/**
 * Where Guddu may send a browser's push messages. A push endpoint is a URL the browser (so a
 * user) hands over and Guddu POSTs to for every notification: by default only a public address,
 * called at the address checked (no second resolution), as webhooks do.
 *
 * There is deliberately no setting for this: the only way to reach a push service on loopback
 * is to replace this provider's instance inside the process, as the wire test does with its
 * local push service (and the certificate authority it trusts). An operator cannot turn it on.
 */
export interface PushEndpoints {
  /** The one address to connect to for this host, or a NotPublicError. */
  resolve(host: string): Promise<{ address: string; family: 4 | 6 }>;
  /** Extra certificate authorities to trust (PEM); the system's otherwise. */
  ca: string | undefined;
}

export const PUSH_ENDPOINTS = Symbol('PUSH_ENDPOINTS');

export function publicPushEndpoints(): PushEndpoints {
  return {
    async resolve(host) {
      const [first] = await resolvePublic(host);
      if (!first) throw new NotPublicError(host, []);
      return first;
    },
    ca: undefined,
  };
}
