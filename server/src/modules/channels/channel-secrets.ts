import { Injectable } from '@nestjs/common';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Candidate } from './channels.tables.js';
import type { DiscoveredAccount } from './connectors/connector.js';

export type TokenKind = 'access' | 'refresh';

/**
 * Sealing of everything secret the channels module stores. Each sealed value is bound (as the
 * cipher's associated data) to where it belongs, so a token copied into another channel's row,
 * or an access token moved into the refresh column, fails to open instead of being used.
 */
@Injectable()
export class ChannelSecrets {
  constructor(private readonly box: SecretBox) {}

  static tokenContext(channelId: string, kind: TokenKind): string {
    return `channel:${channelId}:${kind}`;
  }

  sealToken(channelId: string, kind: TokenKind, token: string): string {
    return this.box.seal(token, ChannelSecrets.tokenContext(channelId, kind));
  }

  openToken(channelId: string, kind: TokenKind, sealed: string): string {
    return this.box.open(sealed, ChannelSecrets.tokenContext(channelId, kind));
  }

  sealVerifier(attemptId: string, verifier: string): string {
    return this.box.seal(verifier, `connect-attempt:${attemptId}:pkce`);
  }

  openVerifier(attemptId: string, sealed: string): string {
    return this.box.open(sealed, `connect-attempt:${attemptId}:pkce`);
  }

  /** The accounts an attempt found, tokens included, kept until the officer chooses. */
  sealCandidates(attemptId: string, accounts: DiscoveredAccount[]): { public: Candidate[]; sealed: string } {
    return {
      public: accounts.map((a) => ({ accountId: a.accountId, handle: a.handle, displayName: a.displayName })),
      sealed: this.box.seal(JSON.stringify(accounts), `connect-attempt:${attemptId}:candidates`),
    };
  }

  openCandidates(attemptId: string, sealed: string): DiscoveredAccount[] {
    return JSON.parse(this.box.open(sealed, `connect-attempt:${attemptId}:candidates`)) as DiscoveredAccount[];
  }

  static mastodonContext(baseUrl: string): string {
    return `mastodon-app:${baseUrl}`;
  }

  sealMastodonSecret(baseUrl: string, secret: string): string {
    return this.box.seal(secret, ChannelSecrets.mastodonContext(baseUrl));
  }

  openMastodonSecret(baseUrl: string, sealed: string): string {
    return this.box.open(sealed, ChannelSecrets.mastodonContext(baseUrl));
  }
}
