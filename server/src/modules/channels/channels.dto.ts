import { z } from 'zod';
import { ROLES } from '../../platform/access/permissions.js';
import { CHANNELS, LanguageTag } from '../messages/messages.dto.js';


const NetworkName = z.enum(CHANNELS);
/**
 * A server of the officer's choosing (a Mastodon instance, a Bluesky PDS) that Guddu will call:
 * an https origin on port 443 with a host name, never an address, so the field cannot aim Guddu at its own
 * network. "mastodon.social" is read as https://mastodon.social.
 */
export function publicOrigin(v: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`;
  if (!URL.canParse(withScheme)) return undefined;
  const url = new URL(withScheme);
  // "host." is the same host as "host": the dot would only slip past the checks below.
  const host = url.hostname.replace(/\.$/, '');
  const address = /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[');
  // Only the https default port: any other turns the field into a probe of arbitrary services.
  if (url.protocol !== 'https:' || url.port !== '' || address || !host.includes('.') || host.endsWith('.localhost') || url.username || url.password) return undefined;
  return `https://${host}`;
}
const PublicServer = z
  .string()
  .trim()
  .min(3)
  .max(300)
  .refine((v) => publicOrigin(v) !== undefined, 'an https host name (such as mastodon.social), not an address');

export const IdParams = z.strictObject({ id: z.uuid() });
export const NetworkParams = z.strictObject({ network: NetworkName });

export const ChannelQuery = z.strictObject({
  network: NetworkName.optional(),
  status: z.enum(['active', 'needs_reauth', 'revoked', 'disconnected']).optional(),
});

export const ConnectBody = z
  .strictObject({
    network: NetworkName,
    instance: PublicServer.optional().describe('Mastodon: the instance, as a host name (mastodon.social) or https URL'),
    sandbox: z.boolean().optional().describe('Connect a sandbox account (the loopback simulators); the default when the sandbox is running'),
  })
  .refine((b) => b.network !== 'bluesky', { message: 'Bluesky connects with a handle and an app password: POST /api/v1/channels/bluesky', path: ['network'] });

export const ConnectStarted = z.object({
  attemptId: z.uuid(),
  authorizeUrl: z.string().describe('Send the officer here; the network sends them back to the callback'),
  expiresAt: z.string(),
});

/** What the network appends to the redirect; other parameters are ignored. */
export const CallbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});

/** The same answer, handed on by the console's landing page. */
export const CallbackBody = z.strictObject(CallbackQuery.shape);
export const CallbackDone = z.object({ location: z.string().describe('Where the console goes next: /channels/?connected=<id>, or ?attempt=<id> to choose among several accounts') });

export const Candidate = z.object({ accountId: z.string(), handle: z.string().nullable(), displayName: z.string() });
export const AttemptView = z.object({ id: z.uuid(), network: NetworkName, sandbox: z.boolean(), candidates: z.array(Candidate), completed: z.boolean(), expiresAt: z.string() });

export const ChooseBody = z.strictObject({ accountIds: z.array(z.string().min(1).max(300)).min(1).max(100) });

export const BlueskyBody = z.strictObject({
  handle: z.string().trim().min(3).max(253).describe('The account handle (name.bsky.social) or DID'),
  appPassword: z.string().min(1).max(100).describe('An app password made for Guddu in Bluesky settings; used once to open a session, never stored'),
  service: PublicServer.optional().describe('The account\'s PDS when not bsky.social'),
  sandbox: z.boolean().optional(),
});

export const UpdateBody = z
  .strictObject({
    displayName: z.string().trim().min(1).max(200).optional(),
    language: LanguageTag.nullable().optional().describe('The language this account posts in (BCP 47); null: the message\'s first language'),
    sharedWithSubtree: z.boolean().optional().describe('Usable by every organisation below this one'),
    access: z
      .strictObject({
        userIds: z.array(z.uuid()).max(500),
        roles: z.array(z.enum(ROLES)).max(ROLES.length),
      })
      .optional()
      .describe('Who may publish through it; both empty: everyone the message routes let in'),
    revision: z.number().int().min(1).optional().describe('The revision read; refused (412) when the channel changed since'),
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'revision'), 'nothing to change');

const Health = z.object({
  status: z.enum(['active', 'needs_reauth', 'revoked', 'disconnected']),
  accessExpiresAt: z.string().nullable(),
  refreshExpiresAt: z.string().nullable(),
  lastRefreshedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  reauthorisableBy: z.object({ organisationId: z.uuid(), roles: z.array(z.string()) }),
});

export const ChannelView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  network: NetworkName,
  accountId: z.string(),
  handle: z.string().nullable(),
  displayName: z.string(),
  baseUrl: z.string(),
  language: z.string().nullable(),
  sandbox: z.boolean(),
  status: z.enum(['active', 'needs_reauth', 'revoked', 'disconnected']),
  scopes: z.array(z.string()),
  health: Health,
  access: z.object({ userIds: z.array(z.uuid()), roles: z.array(z.string()) }),
  sharedWithSubtree: z.boolean(),
  readOnly: z.boolean(),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ChannelList = z.object({ items: z.array(ChannelView), sandbox: z.boolean().describe('Whether sandbox networks are running here') });
export const ChannelsAdded = z.object({ items: z.array(ChannelView) });
