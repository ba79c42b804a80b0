import { Injectable } from '@nestjs/common';
import { sql, type Selectable, type Updateable } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { MessageContent } from './message-content.js';
import type { MessageStatus } from './message-status.js';
import './messages.tables.js';
import type { MessagesTable } from './messages.tables.js';

export type MessageRow = Omit<Selectable<MessagesTable>, 'schedule_local'> & { schedule_local: string | null };

export interface VersionRow {
  number: number;
  content: MessageContent;
  content_hash: string;
  restored_from: number | null;
  created_by: string | null;
  created_at: Date;
}

const MESSAGE_COLUMNS = [
  'id',
  'org_id',
  'org_path',
  'campaign_id',
  'title',
  'status',
  'revision',
  'version',
  'content_hash',
  'languages',
  'channels',
  'tags',
  'notes',
  'scheduled_at',
  'schedule_zone',
  'embargo_until',
  'review_policy',
  'review_round',
  'submitted_by',
  'submitted_at',
  'approved_at',
  'approved_hash',
  'schedule_entry_id',
  'schedule_key',
  'held_by_suspension',
  'held_reason',
  'publishing_started_at',
  'status_reason',
  'created_by',
  'created_at',
  'updated_at',
] as const;
// `timestamp` has no zone: read it as the wall-clock text it is, never as a host-local Date.
const scheduleLocal = sql<string | null>`to_char(schedule_local, 'YYYY-MM-DD"T"HH24:MI:SS')`.as('schedule_local');

export type MessagePatch = Omit<Updateable<MessagesTable>, 'revision' | 'updated_at' | 'org_id' | 'created_by'>;

/** Messages, their immutable versions, their search texts and comments. RLS scopes every query. */
@Injectable()
export class MessagesRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  async insert(m: { orgId: string; campaignId: string | null; title: string; content: MessageContent; hash: string; languages: string[]; tags: string[]; notes: string; createdBy: string | null; embargoUntil: Date | null }): Promise<MessageRow> {
    return this.db
      .insertInto('messages')
      .values({
        org_id: m.orgId,
        campaign_id: m.campaignId,
        title: m.title,
        content_hash: m.hash,
        languages: m.languages,
        channels: m.content.channels,
        tags: m.tags,
        notes: m.notes,
        created_by: m.createdBy,
        scheduled_at: null,
        schedule_local: null,
        schedule_zone: null,
        embargo_until: m.embargoUntil,
        review_policy: null,
        submitted_by: null,
        submitted_at: null,
        approved_at: null,
        approved_hash: null,
        schedule_entry_id: null,
        schedule_key: null,
        held_by_suspension: null,
        held_reason: null,
        publishing_started_at: null,
        status_reason: null,
      })
      .returning([...MESSAGE_COLUMNS, scheduleLocal])
      .executeTakeFirstOrThrow();
  }

  async find(id: string, opts: { lock?: boolean } = {}): Promise<MessageRow | undefined> {
    let q = this.db.selectFrom('messages').select([...MESSAGE_COLUMNS, scheduleLocal]).where('id', '=', id);
    if (opts.lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /** Applies `patch` only if the row is still at `revision` (optimistic concurrency); bumps the revision. */
  async update(id: string, revision: number, patch: MessagePatch): Promise<MessageRow | undefined> {
    return this.db
      .updateTable('messages')
      .set({ ...patch, revision: sql<number>`revision + 1`, updated_at: new Date() })
      .where('id', '=', id)
      .where('revision', '=', revision)
      .returning([...MESSAGE_COLUMNS, scheduleLocal])
      .executeTakeFirst();
  }

  async list(q: { status?: MessageStatus | undefined; campaignId?: string | undefined; after?: { createdAt: Date; id: string } | undefined; limit: number }): Promise<MessageRow[]> {
    let query = this.db.selectFrom('messages').select([...MESSAGE_COLUMNS, scheduleLocal]);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.campaignId) query = query.where('campaign_id', '=', q.campaignId);
    if (q.after) {
      const a = q.after;
      query = query.where((eb) => eb.or([eb('created_at', '<', a.createdAt), eb.and([eb('created_at', '=', a.createdAt), eb('id', '<', a.id)])]));
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  }

  async insertVersion(v: { messageId: string; orgId: string; number: number; content: MessageContent; hash: string; restoredFrom: number | null; createdBy: string | null }): Promise<void> {
    await this.db
      .insertInto('message_versions')
      .values({ message_id: v.messageId, org_id: v.orgId, number: v.number, content: JSON.stringify(v.content), content_hash: v.hash, restored_from: v.restoredFrom, created_by: v.createdBy })
      .execute();
  }

  async findVersion(messageId: string, number: number): Promise<VersionRow | undefined> {
    const row = await this.db
      .selectFrom('message_versions')
      .select(['number', 'content', 'content_hash', 'restored_from', 'created_by', 'created_at'])
      .where('message_id', '=', messageId)
      .where('number', '=', number)
      .executeTakeFirst();
    return row as VersionRow | undefined;
  }

  async listVersions(messageId: string): Promise<Omit<VersionRow, 'content'>[]> {
    return this.db
      .selectFrom('message_versions')
      .select(['number', 'content_hash', 'restored_from', 'created_by', 'created_at'])
      .where('message_id', '=', messageId)
      .orderBy('number', 'desc')
      .execute();
  }

  /** The search rows follow the current version: replaced on every save. */
  async replaceTexts(messageId: string, orgId: string, texts: { language: string; channel: string; body: string }[]): Promise<void> {
    await this.db.deleteFrom('message_texts').where('message_id', '=', messageId).execute();
    await this.insertTexts(messageId, orgId, texts);
  }

  /** The texts of a message that has none yet (just created): no delete to send first. */
  async insertTexts(messageId: string, orgId: string, texts: { language: string; channel: string; body: string }[]): Promise<void> {
    if (texts.length === 0) return;
    await this.db
      .insertInto('message_texts')
      .values(texts.map((t) => ({ message_id: messageId, org_id: orgId, language: t.language, channel: t.channel, body: t.body })))
      .execute();
  }

  async insertComment(c: { messageId: string; orgId: string; authorId: string | null; body: string; version: number }) {
    return this.db
      .insertInto('message_comments')
      .values({ message_id: c.messageId, org_id: c.orgId, author_id: c.authorId, body: c.body, version: c.version })
      .returning(['id', 'author_id', 'body', 'version', 'created_at'])
      .executeTakeFirstOrThrow();
  }

  async listComments(messageId: string) {
    return this.db
      .selectFrom('message_comments')
      .select(['id', 'author_id', 'body', 'version', 'created_at'])
      .where('message_id', '=', messageId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** The organisation with its ancestors, root first. */
  async orgPath(orgId: string): Promise<string[]> {
    const r = await sql<{ path: string[] | null }>`SELECT guddu_org_path(${orgId}::uuid) AS path`.execute(this.db);
    return r.rows[0]?.path ?? [orgId];
  }

  /** The organisation of a live (not archived) campaign the caller can see. */
  async campaignOrg(id: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('campaigns').select('org_id').where('id', '=', id).where('archived_at', 'is', null).executeTakeFirst();
    return row?.org_id;
  }

  /** Messages held by a crisis suspension; locked in id order when a resume is about to decide them. */
  async heldBy(suspensionId: string, opts: { lock?: boolean } = {}): Promise<{ id: string; title: string; scheduled_at: Date | null; org_id: string }[]> {
    const q = this.db.selectFrom('messages').select(['id', 'title', 'scheduled_at', 'org_id']).where('held_by_suspension', '=', suspensionId);
    if (opts.lock) return q.orderBy('id').forUpdate().execute();
    return q.orderBy('scheduled_at').execute();
  }

  /** Messages of the organisation's subtree already scheduled into a new blackout: the caller must act on them. */
  async scheduledWithin(orgId: string, from: Date, to: Date): Promise<{ id: string; title: string; scheduled_at: Date }[]> {
    const rows = await this.db
      .selectFrom('messages')
      .select(['id', 'title', 'scheduled_at'])
      .where(sql<boolean>`org_path @> ARRAY[${orgId}::uuid]`)
      .where('status', 'in', ['scheduled', 'approved', 'in_review', 'draft', 'changes_requested'])
      .where('scheduled_at', '>=', from)
      .where('scheduled_at', '<', to)
      .orderBy('scheduled_at')
      .execute();
    return rows as { id: string; title: string; scheduled_at: Date }[];
  }
}
