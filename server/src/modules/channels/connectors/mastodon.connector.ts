import { ConnectorError, type ConnectorEnv, type OAuthConnector } from './connector.js';
import { errorText, need, networkCall, scopesOf, str } from './network-http.js';

export const MASTODON_SCOPES = ['read', 'write'];

const instance = (env: ConnectorEnv): string => {
  if (!env.baseUrl) throw new Error('a Mastodon connector needs its instance');
  return env.baseUrl;
};

/**
 * Mastodon: every instance is its own authorisation server, so Guddu registers an app on each
 * (POST /api/v1/apps, once, kept in mastodon_apps) and uses that app's client here. PKCE S256.
 * Tokens do not expire and cannot be refreshed: a "refresh" checks the token still works.
 */
export const mastodonConnector: OAuthConnector = {
  network: 'mastodon',
  flow: 'oauth',
  defaultBaseUrl: 'https://mastodon.social',
  scopes: MASTODON_SCOPES,
  pkce: true,
  refreshes: false,

  authorizeUrl(env, p) {
    const q = new URLSearchParams({ client_id: env.clientId, redirect_uri: env.redirectUri, response_type: 'code', scope: this.scopes.join(' '), state: p.state, code_challenge: p.codeChallenge ?? '', code_challenge_method: 'S256' });
    return `${instance(env)}/oauth/authorize?${q.toString()}`;
  },

  async exchange(env, p) {
    const res = await networkCall(`${instance(env)}/oauth/token`, { form: { grant_type: 'authorization_code', code: p.code, client_id: env.clientId, client_secret: env.clientSecret, redirect_uri: env.redirectUri, code_verifier: p.codeVerifier, scope: this.scopes.join(' ') } });
    if (res.status !== 200) throw new ConnectorError('refused', `${new URL(instance(env)).host} refused the code: ${errorText(res.body)}`);
    const accessToken = need(res.body, 'access_token', 'Mastodon token');
    const me = await networkCall(`${instance(env)}/api/v1/accounts/verify_credentials`, { headers: { authorization: `Bearer ${accessToken}` } });
    if (me.status !== 200) throw new ConnectorError('refused', `${new URL(instance(env)).host} did not say who signed in: ${errorText(me.body)}`);
    const username = need(me.body, 'username', 'Mastodon account');
    return [{
      accountId: need(me.body, 'id', 'Mastodon account'),
      handle: `@${username}@${new URL(instance(env)).host}`,
      displayName: str(me.body.display_name) ?? username,
      tokens: { accessToken, accessExpiresAt: null, scopes: scopesOf(res.body.scope, /\s+/) },
      extra: { instance: instance(env) },
    }];
  },

  async refresh(env, held) {
    const me = await networkCall(`${instance(env)}/api/v1/accounts/verify_credentials`, { headers: { authorization: `Bearer ${held.accessToken}` } });
    if (me.status === 401 || me.status === 403) throw new ConnectorError('revoked', `${new URL(instance(env)).host} refused the token: ${errorText(me.body)}`);
    if (me.status !== 200) throw new ConnectorError('transient', `${new URL(instance(env)).host} answered ${me.status}`);
    return { accessToken: held.accessToken, accessExpiresAt: null, scopes: [] };
  },

  async revoke(env, held) {
    await networkCall(`${instance(env)}/oauth/revoke`, { form: { client_id: env.clientId, client_secret: env.clientSecret, token: held.accessToken } });
  },
};

/** Registers Guddu on an instance; the secret goes sealed into mastodon_apps. */
export async function registerMastodonApp(base: string, redirectUri: string, website: string): Promise<{ clientId: string; clientSecret: string }> {
  const res = await networkCall(`${base}/api/v1/apps`, { form: { client_name: 'Guddu', redirect_uris: redirectUri, scopes: MASTODON_SCOPES.join(' '), website } });
  if (res.status !== 200) throw new ConnectorError('refused', `${new URL(base).host} refused to register Guddu: ${errorText(res.body)}`);
  return { clientId: need(res.body, 'client_id', 'Mastodon app'), clientSecret: need(res.body, 'client_secret', 'Mastodon app') };
}
