import { z } from 'zod';

const iso = z.iso.datetime({ offset: true });
const NETWORKS = ['facebook', 'instagram', 'x', 'linkedin', 'youtube', 'mastodon', 'bluesky'] as const;
const SENTIMENTS = ['positive', 'negative', 'neutral', 'unsupported'] as const;

export const IdParams = z.strictObject({ id: z.uuid() });

export const CommentsQuery = z.strictObject({
  orgId: z.uuid().optional().describe('Narrow to this organisation and those below it (default: the current organisation)'),
  messageId: z.uuid().optional(),
  sentiment: z.enum(SENTIMENTS).optional(),
  network: z.enum(NETWORKS).optional(),
  lang: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$|^und$/, 'a BCP 47 tag or und').optional(),
  q: z.string().trim().min(2).max(200).optional().describe('Full-text words, or a fragment matched anywhere (trigram)'),
  from: iso.optional(),
  to: iso.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export const MessageCommentsQuery = CommentsQuery.omit({ messageId: true, orgId: true });

export const CommentView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  channelId: z.uuid(),
  network: z.enum(NETWORKS),
  externalId: z.string(),
  parentExternalId: z.string().nullable(),
  deliveryId: z.uuid().nullable(),
  messageId: z.uuid().nullable(),
  kind: z.enum(['comment', 'mention']),
  body: z.string().describe('As the network gave it, plain text: render as text, never as HTML'),
  authorHandle: z.string().nullable().describe('Null once the retention policy cleared it'),
  publishedAt: z.string(),
  lang: z.string().describe("BCP 47; 'und' when undetermined"),
  sentiment: z.enum(SENTIMENTS),
  sentimentScore: z.number().nullable(),
  sentimentMethod: z.string(),
});
export const CommentList = z.object({
  items: z.array(CommentView),
  nextCursor: z.string().nullable(),
  counts: z.record(z.string(), z.number()).describe('Comments per sentiment for the organisation (or the message), without the other filters'),
});

export const AlertsQuery = z.strictObject({
  messageId: z.uuid().optional(),
  open: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const Evidence = z.object({
  samples: z.array(z.object({ id: z.uuid(), network: z.string(), body: z.string(), sentiment: z.enum(SENTIMENTS), publishedAt: z.string() })),
  terms: z.array(z.object({ term: z.string(), count: z.number() })),
  networks: z.array(z.object({ network: z.string(), count: z.number() })),
  hourly: z.array(z.number()).describe('Comments per hour, the 12 baseline hours then the last'),
  negativeShare: z.object({ lastHour: z.number(), baseline: z.number() }),
});

export const AlertView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  messageId: z.uuid().nullable(),
  kind: z.enum(['volume', 'negative_share']),
  severity: z.enum(['warning', 'critical']),
  windowStart: z.string(),
  observed: z.number(),
  baseline: z.number(),
  threshold: z.number(),
  evidence: Evidence,
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.uuid().nullable(),
  suspendAction: z
    .object({
      method: z.literal('POST'),
      href: z.string(),
      organisationId: z.uuid().describe('Send as the organisation header: suspension applies to it and everything below'),
      body: z.object({ reason: z.string() }),
      permission: z.literal('settings.manage'),
      stepUp: z.literal(true),
    })
    .describe('The one-click path: the existing crisis-suspend route, prefilled'),
});
export const AlertList = z.object({ items: z.array(AlertView) });

export const SpikeSettingsView = z.object({
  k: z.number().describe('The last hour fires above the 12-hour mean by k·σ (and at least double the mean)'),
  negativeJump: z.number().describe('...or when the negative share rises by this much (0–1)'),
  minComments: z.number().int().describe('Hours with fewer comments never fire'),
});
export const SpikeSettingsBody = z.strictObject({
  k: z.number().gt(0).max(20),
  negativeJump: z.number().gt(0).max(1),
  minComments: z.number().int().min(1).max(100_000),
});
