import { z } from 'zod';
import { ApprovalPolicyInput } from './approvals/approval-policy.js';
import { CHANNELS, LanguageTag, LIMITS, MessageContentInput } from './message-content.js';
import { MESSAGE_STATUSES } from './message-status.js';

/** The networks a message can target, for modules that build on messages (publishing, channels). */
export { CHANNELS, type Channel, type MessageContent } from './message-content.js';
/** One notion of a language tag and of a message's media, for every module (channels, media, publishing). */
export { LanguageTag, mediaOf } from './message-content.js';
// Publishing's providers measure a post's text by the same rules the editor shows.
export { checkChannelLimit, type ChannelTextField } from './text-metrics.js';

const tag = z.string().trim().min(1).max(64);
const iso = z.iso.datetime({ offset: true });
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'a wall-clock time YYYY-MM-DDTHH:mm[:ss]');
const zone = z.string().min(1).max(64).describe('IANA time zone, e.g. Europe/Paris');

export const IdParams = z.strictObject({ id: z.uuid() });
export const VersionParams = z.strictObject({ id: z.uuid(), number: z.coerce.number().int().min(1).max(1_000_000) });

export const CreateMessageBody = z.strictObject({
  orgId: z.uuid().optional().describe('An organisation in your subtree; defaults to the one acted in'),
  campaignId: z.uuid().nullable().optional(),
  title: z.string().trim().min(1).max(300).describe('Working title, never published'),
  content: MessageContentInput,
  tags: z.array(tag).max(LIMITS.tags).optional(),
  notes: z.string().max(20_000).optional().describe('Internal notes, never published'),
  embargoUntil: iso.nullable().optional().describe('Nothing is published or previewed publicly before this instant'),
});

export const EditMessageBody = z
  .strictObject({
    campaignId: z.uuid().nullable().optional(),
    title: z.string().trim().min(1).max(300).optional(),
    content: MessageContentInput.optional().describe('The whole new content; a new version when it differs'),
    tags: z.array(tag).max(LIMITS.tags).optional(),
    notes: z.string().max(20_000).optional(),
    embargoUntil: iso.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const ScheduleBody = z
  .strictObject({
    local: localTime.optional().describe('Wall-clock time in `zone` ("09:00 in Paris" stays 09:00 across DST)'),
    at: iso.optional().describe('Or an instant; it is shown in `zone`'),
    zone,
  })
  .refine((b) => (b.local === undefined) !== (b.at === undefined), 'give exactly one of local or at');

export const TransitionBody = z.strictObject({ reason: z.string().trim().max(2000).optional() });
export const RestoreBody = z.strictObject({ version: z.number().int().min(1) });
export const CommentBody = z.strictObject({ body: z.string().trim().min(1).max(5000) });
export const DiffQuery = z.strictObject({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });

export const ListMessagesQuery = z.strictObject({
  status: z.enum(MESSAGE_STATUSES).optional(),
  campaignId: z.uuid().optional(),
  cursor: z.string().regex(/^[0-9]{13}\.[0-9a-f-]{36}$/, 'not a cursor from this API').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const DecisionBody = z.strictObject({
  decision: z.enum(['approved', 'changes_requested']),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'the contentHash of the message as you read it').describe('The content you reviewed: a decision on content that changed since is refused (412)'),
  stage: z.number().int().min(0).max(9).optional().describe('Defaults to the stage open now'),
  language: LanguageTag.optional().describe('For a per-language stage: the language signed'),
  comment: z.string().trim().max(5000).default(''),
});

export const PolicyBody = ApprovalPolicyInput;


// ---- Views

const scheduleView = z.object({ at: z.string(), local: z.string(), zone: z.string() }).nullable();
export const MessageView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  campaignId: z.uuid().nullable(),
  title: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  statusReason: z.string().nullable(),
  revision: z.number().int().describe('The ETag; send it back as If-Match to edit'),
  version: z.number().int(),
  contentHash: z.string(),
  languages: z.array(z.string()),
  channels: z.array(z.enum(CHANNELS)),
  tags: z.array(z.string()),
  notes: z.string(),
  schedule: scheduleView,
  embargoUntil: z.string().nullable(),
  reviewRound: z.number().int(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  held: z.enum(['suspended', 'late_approval', 'blackout']).nullable().describe('Why a due message is waiting'),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const contentView = z.record(z.string(), z.unknown());
export const MessageDetail = MessageView.extend({
  content: contentView,
  checks: z.array(z.object({ channel: z.string(), language: z.string(), field: z.string(), limit: z.number(), used: z.number(), ok: z.boolean() })).describe('Each text against its network limit'),
  publishing: z.array(z.object({ channel: z.enum(CHANNELS), language: z.string(), field: z.enum(['text', 'link', 'media', 'options']), code: z.string(), message: z.string() })).describe('What each targeted network would refuse as the content stands; submitting is refused until it is empty'),
});
export const MessageList = z.object({ items: z.array(MessageView), nextCursor: z.string().nullable() });
const versionMeta = z.object({ number: z.number().int(), contentHash: z.string(), restoredFrom: z.number().int().nullable(), createdBy: z.uuid().nullable(), createdAt: z.string() });
export const VersionList = z.object({ items: z.array(versionMeta) });
export const VersionDetail = versionMeta.extend({ content: contentView });
export const DiffView = z.object({
  from: z.object({ number: z.number().int(), contentHash: z.string() }),
  to: z.object({ number: z.number().int(), contentHash: z.string() }),
  bodies: z.array(
    z.object({
      language: z.string(),
      channel: z.string().nullable(),
      status: z.enum(['added', 'removed', 'changed', 'unchanged']),
      parts: z.array(z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() })),
    }),
  ),
  otherChanges: z.array(z.string()),
});
export const CommentView = z.object({ id: z.uuid(), authorId: z.uuid().nullable(), body: z.string(), version: z.number().int(), createdAt: z.string() });
export const CommentList = z.object({ items: z.array(CommentView) });

export const PolicyView = z.object({
  policy: z.record(z.string(), z.unknown()),
  inheritedFrom: z.uuid().nullable().describe('The organisation whose policy applies; null: the built-in default'),
  own: z.boolean(),
  revision: z.number().int().nullable(),
});
export const ApprovalsView = z.object({
  reviewRound: z.number().int(),
  contentHash: z.string(),
  complete: z.boolean(),
  currentStage: z.number().int().nullable(),
  stages: z.array(
    z.object({
      index: z.number().int(),
      name: z.string(),
      done: z.boolean(),
      unsatisfiable: z.boolean(),
      parts: z.array(z.object({ language: z.string().nullable(), approvedBy: z.array(z.uuid()), required: z.number().int(), done: z.boolean() })),
    }),
  ),
  decisions: z.array(
    z.object({
      id: z.uuid(),
      reviewRound: z.number().int(),
      stage: z.number().int(),
      language: z.string().nullable(),
      decision: z.enum(['approved', 'changes_requested']),
      approverId: z.uuid(),
      version: z.number().int(),
      contentHash: z.string(),
      comment: z.string(),
      counts: z.boolean().describe('Made on the current content in the current round and not invalidated'),
      invalidatedAt: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});
