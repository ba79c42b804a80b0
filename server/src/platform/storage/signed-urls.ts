import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived download links that need no session: the token names an object and an expiry and
 * is signed with a key derived from the installation's secret key, so any replica can check it.
 * A `<video>` tag or a network's fetcher can follow the link; nobody can forge or extend one.
 */
export class SignedUrls {
  private readonly key: Buffer;

  constructor(secretKey: Buffer) {
    this.key = createHmac('sha256', secretKey).update('guddu.media.download.v1').digest();
  }

  sign(subject: string, ttlSeconds: number, now = Date.now()): { token: string; expiresAt: Date } {
    const exp = Math.floor(now / 1000) + ttlSeconds;
    const body = Buffer.from(`${subject}|${exp}`).toString('base64url');
    return { token: `${body}.${this.mac(body)}`, expiresAt: new Date(exp * 1000) };
  }

  /** The subject of a valid, unexpired token; undefined otherwise (never says which). */
  verify(token: string, now = Date.now()): string | undefined {
    const [body, mac] = token.split('.');
    if (!body || !mac || token.split('.').length !== 2) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const decoded = Buffer.from(body, 'base64url').toString('utf8');
    const bar = decoded.lastIndexOf('|');
    const subject = decoded.slice(0, bar);
    const exp = Number(decoded.slice(bar + 1));
    if (bar <= 0 || !Number.isInteger(exp) || exp * 1000 < now) return undefined;
    return subject;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
