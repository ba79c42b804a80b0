import { json, param, Reply } from '../harness/http.js';
import { type NetworkContext } from '../harness/network.js';
import { redirectWith } from '../harness/oauth.js';
import { type Route } from '../harness/router.js';

/**
 * Google OAuth 2.0 as YouTube uses it (contract §5.2): a refresh token only with
 * `access_type=offline` and only on first consent (or `prompt=consent`), refresh without
 * rotation, `invalid_grant` after revocation, and refresh tokens that die after 7 days for apps
 * still in "Testing" (client flag `testing`).
 */
export const YOUTUBE_SCOPES = ['https://www.googleapis.com/auth/youtube.upload', 'https://www.googleapis.com/auth/youtube', 'https://www.googleapis.com/auth/youtube.readonly', 'https://www.googleapis.com/auth/youtube.force-ssl', 'https://www.googleapis.com/auth/yt-analytics.readonly'];
const ACCESS_TTL = 3_599_000;
const DAY = 86_400_000;

export function youtubeOAuthRoutes(ctx: NetworkContext, defaultChannel: () => string | undefined): Route[] {
  const { tokens, oauth } = ctx;
  const consented = new Set<string>();
  const oauthError = (status: number, error: string, description: string) => new Reply(json(status, { error, error_description: description }));

  return [
    {
      method: 'GET',
      pattern: '/o/oauth2/v2/auth',
      handler: (req) => {
        const q = req.query;
        const client = oauth.client(q.get('client_id') ?? undefined);
        const redirectUri = q.get('redirect_uri') ?? '';
        if (!client) throw oauthError(401, 'invalid_client', 'The OAuth client was not found.');
        if (!oauth.redirectAllowed(client, redirectUri)) throw oauthError(400, 'redirect_uri_mismatch', 'The redirect URI in the request does not match the ones authorized for the OAuth client.');
        if (q.get('response_type') !== 'code') throw oauthError(400, 'unsupported_response_type', 'response_type must be code');
        const scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
        if (scopes.length === 0 || scopes.some((s) => !YOUTUBE_SCOPES.includes(s) && !['openid', 'email', 'profile'].includes(s))) throw oauthError(400, 'invalid_scope', 'Some requested scopes were invalid.');
        const state = q.get('state') ?? undefined;
        if (oauth.consent === 'deny') return { status: 302, headers: { location: redirectWith(redirectUri, { error: 'access_denied', state }) } };
        const channel = q.get('sim_account') ?? defaultChannel();
        if (!channel) throw oauthError(400, 'invalid_request', 'No channel to sign in as; seed one with POST /__sim/accounts');
        const key = `${client.clientId}:${channel}`;
        const offline = q.get('access_type') === 'offline' && (!consented.has(key) || q.get('prompt')?.includes('consent') === true);
        consented.add(key);
        const challenge = q.get('code_challenge') ?? undefined;
        const code = oauth.issueCode({ clientId: client.clientId, redirectUri, scopes, accountId: channel, codeChallenge: challenge, codeChallengeMethod: q.get('code_challenge_method') ?? 'plain', ttlMs: 10 * 60_000, extras: { offline: String(offline) } });
        return { status: 302, headers: { location: redirectWith(redirectUri, { state, code: code.code, scope: scopes.join(' ') }) } };
      },
    },
    {
      method: 'POST',
      pattern: '/token',
      handler: (req) => {
        const client = oauth.client(param(req, 'client_id'));
        if (!client || client.clientSecret !== param(req, 'client_secret')) throw oauthError(401, 'invalid_client', 'Unauthorized');
        const grant = param(req, 'grant_type');
        if (grant === 'authorization_code') {
          const redeemed = oauth.redeem(param(req, 'code'), client.clientId, param(req, 'redirect_uri'), param(req, 'code_verifier'));
          if (!redeemed.ok) throw oauthError(400, 'invalid_grant', redeemed.reason === 'pkce' ? 'Invalid code verifier.' : 'Bad Request');
          const access = tokens.issue({ accountId: redeemed.code.accountId, clientId: client.clientId, scopes: redeemed.code.scopes, ttlMs: ACCESS_TTL, prefix: 'ya29.' });
          const refresh = redeemed.code.extras.offline === 'true'
            ? tokens.issue({ kind: 'refresh', accountId: redeemed.code.accountId, clientId: client.clientId, scopes: redeemed.code.scopes, ttlMs: client.flags.testing ? 7 * DAY : null, prefix: '1//', family: access.family })
            : undefined;
          return json(200, { access_token: access.token, expires_in: 3599, scope: access.scopes.join(' '), token_type: 'Bearer', ...(refresh ? { refresh_token: refresh.token } : {}) });
        }
        if (grant === 'refresh_token') {
          const check = tokens.check(param(req, 'refresh_token'));
          if (check.status !== 'valid' || check.record.kind !== 'refresh' || check.record.clientId !== client.clientId) throw oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
          // No rotation: the same refresh token keeps working and is not returned again.
          const access = tokens.issue({ accountId: check.record.accountId, clientId: client.clientId, scopes: check.record.scopes, ttlMs: ACCESS_TTL, prefix: 'ya29.', family: check.record.family });
          return json(200, { access_token: access.token, expires_in: 3599, scope: access.scopes.join(' '), token_type: 'Bearer' });
        }
        throw oauthError(400, 'unsupported_grant_type', 'Invalid grant_type');
      },
    },
    {
      method: 'POST',
      pattern: '/revoke',
      handler: (req) => {
        const check = tokens.check(param(req, 'token'));
        if (check.status !== 'valid') throw oauthError(400, 'invalid_token', 'Token expired or revoked');
        tokens.revokeFamily(check.record.family);
        return json(200, {});
      },
    },
  ];
}
