import { Inject, Injectable } from '@nestjs/common';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { PublishingValidation, type PublishingProblem } from '../publishing/publishing-validation.service.js';
import { ApprovalsRepository } from './approvals/approvals.repository.js';
import { contentHash, languagesOf, mediaOf, normaliseContent, renditionPicks, textsOf, type MessageContent } from './message-content.js';
import { MEDIA_ATTACHMENTS, type MediaAttachmentsPort } from './media-attachments.port.js';
import { EDITABLE, type MessageStatus } from './message-status.js';
import { MessageLifecycle } from './message-lifecycle.service.js';
import { messageError } from './messages.errors.js';
import { MessagesRepository, type MessageRow } from './messages.repository.js';
import { ScheduleHorizon } from './schedule-horizon.js';
import { wordDiff } from './word-diff.js';

export interface CreateMessage {
  orgId?: string | undefined;
  campaignId?: string | null | undefined;
  title: string;
  content: MessageContent;
  tags?: string[] | undefined;
  notes?: string | undefined;
  embargoUntil?: Date | null | undefined;
}
export type EditMessage = Partial<Omit<CreateMessage, 'orgId'>>;

/**
 * A message as a write left it, with the content of its current version: what the write just
 * stored, so that answering the request does not read back what this transaction wrote.
 */
export interface MessageWithContent {
  message: MessageRow;
  content: MessageContent;
}

/**
 * A message's content and its history: create, edit under optimistic concurrency, versions,
 * diff, restore, comments. Status changes go through MessageLifecycle.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly repo: MessagesRepository,
    private readonly approvals: ApprovalsRepository,
    private readonly lifecycle: MessageLifecycle,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
    private readonly horizon: ScheduleHorizon,
    @Inject(MEDIA_ATTACHMENTS) private readonly media: MediaAttachmentsPort,
    private readonly validation: PublishingValidation,
  ) {}

  /** What each targeted network would refuse in this content (shown on save, refused at submit). */
  publishingProblems(content: MessageContent): Promise<PublishingProblem[]> {
    return this.validation.check(content);
  }

  async get(id: string, opts: { lock?: boolean } = {}): Promise<MessageRow> {
    const msg = await this.repo.find(id, opts);
    if (!msg) throw messageError('message_not_found', 'No such message');
    return msg;
  }

  list(q: { status?: MessageStatus | undefined; campaignId?: string | undefined; after?: { createdAt: Date; id: string } | undefined; limit: number }) {
    return this.repo.list(q);
  }

  async create(ctx: RequestContext, input: CreateMessage): Promise<MessageWithContent> {
    const orgId = input.orgId ?? orgOf(ctx);
    this.horizon.assertEmbargo(input.embargoUntil);
    const content = normaliseContent(input.content);
    // The organisation's path matters only to a campaign or media check: most messages have
    // neither, and skip the round trip.
    if (input.campaignId || mediaOf(content).length > 0) {
      const orgPath = await this.repo.orgPath(orgId);
      if (input.campaignId) await this.checkCampaign(input.campaignId, orgPath);
      await this.assertMedia(content, { orgId, orgPath });
    }
    const hash = contentHash(content);
    const createdBy = userOf(ctx).id;
    const msg = await this.repo.insert({
      orgId,
      campaignId: input.campaignId ?? null,
      title: input.title,
      content,
      hash,
      languages: languagesOf(content),
      tags: input.tags ?? [],
      notes: input.notes ?? '',
      createdBy,
      embargoUntil: input.embargoUntil ?? null,
    });
    await this.repo.insertVersion({ messageId: msg.id, orgId: msg.org_id, number: 1, content, hash, restoredFrom: null, createdBy });
    await this.repo.insertTexts(msg.id, msg.org_id, textsOf(content));
    await this.audit.record(ctx, { action: 'message.created', targetType: 'message', targetId: msg.id, after: { title: msg.title, orgId: msg.org_id, version: 1, contentHash: hash } });
    await this.events.emit(ctx, 'messages.created', { messageId: msg.id, version: 1, contentHash: hash }, { aggregateType: 'message', aggregateId: msg.id });
    return { message: msg, content };
  }

  /**
   * Applies an edit made against `revision` (the client's If-Match). New content appends a
   * version; if that changes what was approved, the approvals stop counting and the message goes
   * back to review (a scheduled one is unscheduled).
   */
  async edit(ctx: RequestContext, id: string, revision: number, patch: EditMessage, restoredFrom: number | null = null): Promise<MessageWithContent> {
    const msg = await this.get(id, { lock: true });
    if (msg.revision !== revision) throw messageError('stale_revision', `The message is at revision ${msg.revision}, not ${revision}; reload it`, { current: msg.revision });
    if (!EDITABLE.has(msg.status)) throw messageError('message_not_editable', `A ${msg.status} message cannot be edited`, { status: msg.status });
    if (patch.campaignId) await this.checkCampaign(patch.campaignId, msg.org_path);
    this.horizon.assertEmbargo(patch.embargoUntil);

    const content = patch.content ? normaliseContent(patch.content) : undefined;
    const hash = content ? contentHash(content) : msg.content_hash;
    const contentChanged = hash !== msg.content_hash;
    if (content && contentChanged) await this.assertMedia(content, { orgId: msg.org_id, orgPath: msg.org_path });
    const number = contentChanged ? msg.version + 1 : msg.version;
    if (content && contentChanged) {
      await this.repo.insertVersion({ messageId: id, orgId: msg.org_id, number, content, hash, restoredFrom, createdBy: userOf(ctx).id });
      await this.repo.replaceTexts(id, msg.org_id, textsOf(content));
    }
    let updated = await this.repo.update(id, msg.revision, {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.tags !== undefined ? { tags: patch.tags } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      ...(patch.campaignId !== undefined ? { campaign_id: patch.campaignId } : {}),
      ...(patch.embargoUntil !== undefined ? { embargo_until: patch.embargoUntil } : {}),
      ...(content && contentChanged ? { version: number, content_hash: hash, languages: languagesOf(content), channels: content.channels } : {}),
    });
    if (!updated) throw messageError('stale_revision', 'The message changed while this edit was made; reload it');
    const invalidated = contentChanged ? await this.approvals.invalidateOtherThan(id, hash) : 0;
    await this.audit.record(ctx, {
      action: restoredFrom === null ? 'message.edited' : 'message.restored',
      targetType: 'message',
      targetId: id,
      before: { title: msg.title, version: msg.version, contentHash: msg.content_hash, tags: msg.tags, campaignId: msg.campaign_id, embargoUntil: msg.embargo_until },
      after: { title: updated.title, version: updated.version, contentHash: updated.content_hash, tags: updated.tags, campaignId: updated.campaign_id, embargoUntil: updated.embargo_until, restoredFrom, approvalsInvalidated: invalidated },
    });
    if (contentChanged) {
      await this.events.emit(ctx, 'messages.edited', { messageId: id, version: number, contentHash: hash, approvalsInvalidated: invalidated }, { aggregateType: 'message', aggregateId: id });
      if (updated.status === 'approved' || updated.status === 'scheduled') updated = await this.lifecycle.reopenAfterEdit(ctx, updated);
    }
    if (patch.embargoUntil !== undefined && updated.status === 'scheduled') await this.lifecycle.checkEmbargo(updated);
    return { message: updated, content: content && contentChanged ? content : await this.currentContent(updated) };
  }

  /** The content of the message's current version (the row is known to exist). */
  private async currentContent(msg: MessageRow): Promise<MessageContent> {
    const v = await this.repo.findVersion(msg.id, msg.version);
    if (!v) throw messageError('version_not_found', `Message has no version ${msg.version}`);
    return v.content;
  }

  async versions(id: string) {
    await this.get(id);
    return this.repo.listVersions(id);
  }

  async version(id: string, number: number) {
    await this.get(id);
    const v = await this.repo.findVersion(id, number);
    if (!v) throw messageError('version_not_found', `Message has no version ${number}`);
    return v;
  }

  /** Word-level diff of every body (and variant body) between two versions, plus what else changed. */
  async diff(id: string, from: number, to: number) {
    const [a, b] = await Promise.all([this.version(id, from), this.version(id, to)]);
    const texts = (c: MessageContent) => new Map(textsOf(c).map((t) => [`${t.channel}|${t.language}`, t]));
    const ta = texts(a.content);
    const tb = texts(b.content);
    const keys = [...new Set([...ta.keys(), ...tb.keys()])].sort();
    const bodies = keys.map((k) => {
      const [channel, language] = k.split('|') as [string, string];
      const before = ta.get(k)?.body ?? '';
      const after = tb.get(k)?.body ?? '';
      return { language, channel: channel || null, status: !ta.has(k) ? 'added' : !tb.has(k) ? 'removed' : before === after ? 'unchanged' : 'changed', parts: wordDiff(before, after, language) };
    });
    const changed = (['link', 'media', 'channels', 'variants'] as const).filter((f) => JSON.stringify(a.content[f]) !== JSON.stringify(b.content[f]));
    return { from: { number: a.number, contentHash: a.content_hash }, to: { number: b.number, contentHash: b.content_hash }, bodies, otherChanges: changed };
  }

  /** Restore writes a new version with an old version's content; history is never rewritten. */
  async restore(ctx: RequestContext, id: string, revision: number, number: number): Promise<MessageWithContent> {
    const v = await this.version(id, number);
    return this.edit(ctx, id, revision, { content: v.content }, number);
  }

  async addComment(ctx: RequestContext, id: string, body: string) {
    const msg = await this.get(id);
    const comment = await this.repo.insertComment({ messageId: id, orgId: msg.org_id, authorId: userOf(ctx).id, body, version: msg.version });
    await this.audit.record(ctx, { action: 'message.commented', targetType: 'message', targetId: id, after: { commentId: comment.id, version: msg.version } });
    return comment;
  }

  async comments(id: string) {
    await this.get(id);
    return this.repo.listComments(id);
  }

  /** Every asset (main and per network) is attachable, and each network's chosen rendition exists and fits it. */
  private async assertMedia(content: MessageContent, owner: { orgId: string; orgPath: string[] }): Promise<void> {
    await this.media.assertAttachable(mediaOf(content), owner);
    await this.media.assertRenditions(renditionPicks(content));
  }

  /** A message joins a campaign of its own organisation or one above it, never a sibling's. */
  private async checkCampaign(id: string, messageOrgPath: string[]): Promise<void> {
    const campaignOrg = await this.repo.campaignOrg(id);
    if (!campaignOrg || !messageOrgPath.includes(campaignOrg)) throw messageError('campaign_not_found', 'No such campaign for this message’s organisation');
  }
}
