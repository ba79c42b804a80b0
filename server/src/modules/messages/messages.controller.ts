import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import { MessageLifecycle } from './message-lifecycle.service.js';
import { TRANSITION_ERROR_CODES } from './messages.errors.js';
import * as dto from './messages.dto.js';
import type { MessageRow } from './messages.repository.js';
import { MessagesService, type MessageWithContent } from './messages.service.js';
import { messageDetail, messageView, revisionFrom, setEtag } from './messages.views.js';

const T = ['messages'];
const EDIT_ERRORS = ['message_not_found', 'precondition_required', 'stale_revision', 'message_not_editable', 'campaign_not_found', 'embargoed', ...TRANSITION_ERROR_CODES];

@Controller('api/v1/messages')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly lifecycle: MessageLifecycle,
  ) {}

  private async detail(reply: FastifyReply, m: MessageRow) {
    setEtag(reply, m);
    const v = await this.messages.version(m.id, m.version);
    return messageDetail(m, v.content, await this.messages.publishingProblems(v.content));
  }

  /** After a write: the service hands back the content it stored, so nothing is read again. */
  private written(reply: FastifyReply, w: MessageWithContent) {
    setEtag(reply, w.message);
    return messageDetail(w.message, w.content);
  }

  @Get()
  @Route({ summary: 'Messages of this organisation and below, newest first', access: 'content.read', tags: T, query: dto.ListMessagesQuery, response: dto.MessageList })
  async list(@Query() q: z.infer<typeof dto.ListMessagesQuery>) {
    const after = q.cursor ? { createdAt: new Date(Number(q.cursor.slice(0, 13))), id: q.cursor.slice(14) } : undefined;
    const rows = await this.messages.list({ status: q.status, campaignId: q.campaignId, after, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: page.map(messageView), nextCursor: rows.length > q.limit && last ? `${String(last.created_at.getTime()).padStart(13, '0')}.${last.id}` : null };
  }

  @Post()
  @Route({ summary: 'Create a message (version 1, draft)', access: 'content.write', tags: T, body: dto.CreateMessageBody, response: dto.MessageDetail, status: 201, errors: ['campaign_not_found', 'embargo_beyond_horizon', 'media_not_attachable', 'rendition_not_available'] })
  async create(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.CreateMessageBody>, @Res({ passthrough: true }) reply: FastifyReply) {
    const w = await this.messages.create(ctx, { ...b, embargoUntil: b.embargoUntil === undefined ? undefined : b.embargoUntil === null ? null : new Date(b.embargoUntil) });
    void reply.status(201);
    return this.written(reply, w);
  }

  @Get(':id')
  @Route({ summary: 'One message with its current content; the ETag is its revision', access: 'content.read', tags: T, params: dto.IdParams, response: dto.MessageDetail, errors: ['message_not_found'] })
  async get(@Param() p: z.infer<typeof dto.IdParams>, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.detail(reply, await this.messages.get(p.id));
  }

  @Patch(':id')
  @Route({ summary: 'Edit (If-Match required); new content appends a version and invalidates approvals', access: 'content.write', tags: T, params: dto.IdParams, body: dto.EditMessageBody, response: dto.MessageDetail, errors: [...EDIT_ERRORS, 'embargo_beyond_horizon', 'media_not_attachable', 'rendition_not_available'] })
  async edit(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.EditMessageBody>, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const revision = revisionFrom(ifMatch);
    const w = await this.messages.edit(ctx, p.id, revision, { ...b, embargoUntil: b.embargoUntil === undefined ? undefined : b.embargoUntil === null ? null : new Date(b.embargoUntil) });
    return this.written(reply, w);
  }

  @Get(':id/versions')
  @Route({ summary: 'Every version, newest first', access: 'content.read', tags: T, params: dto.IdParams, response: dto.VersionList, errors: ['message_not_found'] })
  async versions(@Param() p: z.infer<typeof dto.IdParams>) {
    const rows = await this.messages.versions(p.id);
    return { items: rows.map((v) => ({ number: v.number, contentHash: v.content_hash, restoredFrom: v.restored_from, createdBy: v.created_by, createdAt: v.created_at.toISOString() })) };
  }

  @Get(':id/versions/:number')
  @Route({ summary: 'One version with its content', access: 'content.read', tags: T, params: dto.VersionParams, response: dto.VersionDetail, errors: ['message_not_found', 'version_not_found'] })
  async version(@Param() p: z.infer<typeof dto.VersionParams>) {
    const v = await this.messages.version(p.id, p.number);
    return { number: v.number, contentHash: v.content_hash, restoredFrom: v.restored_from, createdBy: v.created_by, createdAt: v.created_at.toISOString(), content: v.content };
  }

  @Get(':id/diff')
  @Route({ summary: 'Word-level diff between two versions, per language and channel', access: 'content.read', tags: T, params: dto.IdParams, query: dto.DiffQuery, response: dto.DiffView, errors: ['message_not_found', 'version_not_found'] })
  diff(@Param() p: z.infer<typeof dto.IdParams>, @Query() q: z.infer<typeof dto.DiffQuery>) {
    return this.messages.diff(p.id, q.from, q.to);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @Route({ summary: 'Restore an old version as a new one (If-Match required)', access: 'content.write', tags: T, params: dto.IdParams, body: dto.RestoreBody, response: dto.MessageDetail, errors: [...EDIT_ERRORS, 'version_not_found', 'media_not_attachable', 'rendition_not_available'] })
  async restore(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.RestoreBody>, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.written(reply, await this.messages.restore(ctx, p.id, revisionFrom(ifMatch), b.version));
  }

  @Put(':id/schedule')
  @Route({
    summary: 'Set when it goes out: a wall-clock time in an IANA zone (If-Match required); an approved message becomes scheduled',
    access: 'content.write',
    tags: T,
    params: dto.IdParams,
    body: dto.ScheduleBody,
    response: dto.MessageDetail,
    errors: [...EDIT_ERRORS, 'invalid_zone', 'schedule_in_past', 'schedule_beyond_horizon', 'schedule_in_blackout'],
  })
  async schedule(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.ScheduleBody>, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const input = b.local !== undefined ? { local: b.local, zone: b.zone } : { at: new Date(b.at!), zone: b.zone };
    return this.detail(reply, await this.lifecycle.setSchedule(ctx, p.id, revisionFrom(ifMatch), input));
  }

  @Delete(':id/schedule')
  @Route({ summary: 'Clear the time (a scheduled message goes back to approved)', access: 'content.write', tags: T, params: dto.IdParams, response: dto.MessageDetail, errors: EDIT_ERRORS })
  async unschedule(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.detail(reply, await this.lifecycle.setSchedule(ctx, p.id, revisionFrom(ifMatch), null));
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Route({ summary: 'Send for review under the approval policy in force', access: 'content.write', tags: T, params: dto.IdParams, body: dto.TransitionBody, response: dto.MessageDetail, errors: [...EDIT_ERRORS, 'channel_text_too_long', 'content_not_publishable', 'media_not_attachable', 'rendition_not_available', 'alt_text_missing'] })
  async submit(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.detail(reply, await this.lifecycle.submit(ctx, p.id, ifMatch === undefined ? undefined : revisionFrom(ifMatch)));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Route({ summary: 'Withdraw: it will not be published', access: 'content.publish', tags: T, params: dto.IdParams, body: dto.TransitionBody, response: dto.MessageDetail, errors: EDIT_ERRORS })
  async withdraw(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.TransitionBody>, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.detail(reply, await this.lifecycle.simple(ctx, p.id, 'withdraw', undefined, b.reason));
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Route({ summary: 'Reopen a withdrawn message as a draft', access: 'content.write', tags: T, params: dto.IdParams, body: dto.TransitionBody, response: dto.MessageDetail, errors: EDIT_ERRORS })
  async reopen(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.TransitionBody>, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.detail(reply, await this.lifecycle.simple(ctx, p.id, 'reopen', undefined, b.reason));
  }

  @Post(':id/archive')
  @HttpCode(200)
  @Route({ summary: 'Archive a finished, withdrawn or draft message', access: 'content.write', tags: T, params: dto.IdParams, body: dto.TransitionBody, response: dto.MessageDetail, errors: EDIT_ERRORS })
  async archive(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.TransitionBody>, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.detail(reply, await this.lifecycle.simple(ctx, p.id, 'archive', undefined, b.reason));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Route({ summary: 'Publish a failed message again (its approved content only)', access: 'content.publish', tags: T, params: dto.IdParams, body: dto.TransitionBody, response: dto.MessageDetail, errors: [...EDIT_ERRORS, 'approval_incomplete'] })
  async retry(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.detail(reply, await this.lifecycle.simple(ctx, p.id, 'retry'));
  }

  @Get(':id/comments')
  @Route({ summary: 'Comments, oldest first', access: 'content.read', tags: T, params: dto.IdParams, response: dto.CommentList, errors: ['message_not_found'] })
  async comments(@Param() p: z.infer<typeof dto.IdParams>) {
    const rows = await this.messages.comments(p.id);
    return { items: rows.map((c) => ({ id: c.id, authorId: c.author_id, body: c.body, version: c.version, createdAt: c.created_at.toISOString() })) };
  }

  @Post(':id/comments')
  @Route({ summary: 'Comment on the message (tied to its current version)', access: 'content.read', tags: T, params: dto.IdParams, body: dto.CommentBody, response: dto.CommentView, status: 201, errors: ['message_not_found'] })
  async comment(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.CommentBody>) {
    const c = await this.messages.addComment(ctx, p.id, b.body);
    return { id: c.id, authorId: c.author_id, body: c.body, version: c.version, createdAt: c.created_at.toISOString() };
  }
}
