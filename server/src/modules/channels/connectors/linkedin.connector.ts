import { ConnectorError, hostOf, type ConnectorEnv, type OAuthConnector, type TokenSet } from './connector.js';
import { errorText, expiryOf, need, networkCall, scopesOf, str } from './network-http.js';

const WWW = 'https://www.linkedin.com';
const API = 'https://api.linkedin.com';
/** Roles that may post as the organisation. */
const POSTING_ROLES = new Set(['ADMINISTRATOR', 'CONTENT_ADMINISTRATOR', 'DIRECT_SPONSORED_CONTENT_POSTER']);

/** LinkedIn versions are monthly and retire after a year: ask for last month's. */
function versionAt(now: number): string {
  const d = new Date(now - 31 * 24 * 3600_000);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function tokensOf(body: Record<string, unknown>, now: number): TokenSet {
  return {
    accessToken: need(body, 'access_token', 'LinkedIn token'),
    refreshToken: str(body.refresh_token),
    accessExpiresAt: expiryOf(body, now),
    refreshExpiresAt: expiryOf(body, now, 'refresh_token_expires_in'),
    scopes: scopesOf(body.scope),
  };
}

const rest = (env: ConnectorEnv, token: string) => ({ authorization: `Bearer ${token}`, 'linkedin-version': versionAt(env.now()), 'x-restli-protocol-version': '2.0.0' });

/**
 * LinkedIn organisation pages: the member signs in, and every organisation they administer comes
 * back for the officer to choose from. Tokens last 60 days; only partner apps get refresh tokens
 * (which never extend past their first year), so most channels are re-authorised before expiry.
 */
export const linkedinConnector: OAuthConnector = {
  network: 'linkedin',
  flow: 'oauth',
  defaultBaseUrl: API,
  scopes: ['openid', 'profile', 'w_organization_social', 'r_organization_social', 'rw_organization_admin'],
  pkce: false,
  refreshes: true,

  authorizeUrl(env, p) {
    const q = new URLSearchParams({ response_type: 'code', client_id: env.clientId, redirect_uri: env.redirectUri, state: p.state, scope: this.scopes.join(' ') });
    return `${hostOf(env, WWW)}/oauth/v2/authorization?${q.toString()}`;
  },

  async exchange(env, p) {
    const res = await networkCall(`${hostOf(env, WWW)}/oauth/v2/accessToken`, { form: { grant_type: 'authorization_code', code: p.code, redirect_uri: env.redirectUri, client_id: env.clientId, client_secret: env.clientSecret } });
    if (res.status !== 200) throw new ConnectorError('refused', `LinkedIn refused the code: ${errorText(res.body)}`);
    const tokens = tokensOf(res.body, env.now());
    const acls = await networkCall(`${hostOf(env, API)}/rest/organizationAcls?q=roleAssignee&state=APPROVED`, { headers: rest(env, tokens.accessToken) });
    if (acls.status !== 200 || !Array.isArray(acls.body.elements)) throw new ConnectorError('refused', `LinkedIn did not list the organisations: ${errorText(acls.body)}`);
    const orgs = (acls.body.elements as Record<string, unknown>[]).filter((e) => POSTING_ROLES.has(String(e.role)));
    if (orgs.length === 0) throw new ConnectorError('refused', 'This LinkedIn member administers no organisation page');
    const member = str(orgs[0]?.roleAssignee) ?? '';
    return orgs.map((e) => {
      const urn = need(e, 'organization', 'LinkedIn organisation');
      const name = str((e['organization~'] as Record<string, unknown> | undefined)?.localizedName);
      return { accountId: urn, handle: null, displayName: name ?? `LinkedIn organisation ${urn.split(':').pop() ?? urn}`, tokens, extra: { member, role: String(e.role) } };
    });
  },

  async refresh(env, held) {
    if (!held.refreshToken) throw new ConnectorError('revoked', 'LinkedIn gave no refresh token: re-authorise before the 60 days run out');
    const res = await networkCall(`${hostOf(env, WWW)}/oauth/v2/accessToken`, { form: { grant_type: 'refresh_token', refresh_token: held.refreshToken, client_id: env.clientId, client_secret: env.clientSecret } });
    if (res.status !== 200) throw new ConnectorError('revoked', `LinkedIn refused the refresh token: ${errorText(res.body)}`);
    return tokensOf(res.body, env.now());
  },
};
