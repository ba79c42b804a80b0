import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software authenticator for tests: a real ECDSA P-256 key (node:crypto) that builds the
 * attestation and assertion bytes a browser would send, signed for real, so the server's
 * verification runs end to end against something it can also refuse.
 */

// Just enough CBOR (RFC 8949) for COSE keys and "none" attestation objects.
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    return Buffer.concat([head(3, s.length), s]);
  }
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), Buffer.from(v)]);
  return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface Ceremony {
  challenge: string;
  rpId?: string;
  /** Overrides, for tests of what must be refused. */
  origin?: string;
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly coseKey: Buffer;
  counter = 0;

  constructor(
    readonly origin: string,
    readonly rpId: string,
    /** The user handle the server gave at registration (base64url); sent back as a discoverable credential does. */
    public userHandle?: string,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.coseKey = cbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** navigator.credentials.create(), as JSON. */
  register(options: { challenge: string; rp: { id?: string }; user?: { id: string } }, over: Partial<Ceremony> = {}) {
    if (options.user) this.userHandle = options.user.id;
    const rpId = over.rpId ?? options.rp.id ?? this.rpId;
    const clientDataJSON = JSON.stringify({ type: 'webauthn.create', challenge: over.challenge ?? options.challenge, origin: over.origin ?? this.origin, crossOrigin: false });
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([UP | UV | AT]), this.counterBytes(), Buffer.alloc(16), idLen, this.credentialId, this.coseKey]);
    const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal' as const] },
      clientExtensionResults: {},
    };
  }

  /** navigator.credentials.get(), as JSON; the counter moves on unless `counter` says otherwise. */
  assert(options: { challenge: string; rpId?: string }, over: Partial<Ceremony> & { counter?: number; userVerified?: boolean; withUserHandle?: boolean } = {}) {
    this.counter = over.counter ?? this.counter + 1;
    const rpId = over.rpId ?? options.rpId ?? this.rpId;
    const clientDataJSON = JSON.stringify({ type: 'webauthn.get', challenge: over.challenge ?? options.challenge, origin: over.origin ?? this.origin, crossOrigin: false });
    const flags = UP | (over.userVerified === false ? 0 : UV);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([flags]), this.counterBytes()]);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(over.withUserHandle !== false && this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
    };
  }

  private counterBytes(): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(this.counter);
    return b;
  }
}
