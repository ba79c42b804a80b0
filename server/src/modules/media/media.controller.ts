import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import { MediaDelivery } from './media-delivery.js';
import { MediaLibrary } from './media-library.service.js';
import { MediaProcessing } from './media-processing.service.js';
import { MediaProgress } from './media-progress.js';
import * as dto from './media.dto.js';

const T = ['media'];

@Controller('api/v1/media')
export class MediaController {
  constructor(
    private readonly library: MediaLibrary,
    private readonly processing: MediaProcessing,
    private readonly delivery: MediaDelivery,
    private readonly progress: MediaProgress,
  ) {}

  @Get('assets')
  @Route({ summary: 'Search and filter the media library (this organisation, its subtree, and shared from above)', access: 'content.read', tags: T, query: dto.AssetQuery, response: dto.AssetList })
  list(@Ctx() ctx: RequestContext, @Query() q: z.infer<typeof dto.AssetQuery>) {
    return this.library.list(ctx, q);
  }

  @Get('assets/:id')
  @Route({ summary: 'One asset: metadata, renditions with signed URLs and network fit, and the messages that use it', access: 'content.read', tags: T, params: dto.IdParams, response: dto.AssetDetail, errors: ['asset_not_found'] })
  get(@Param() p: z.infer<typeof dto.IdParams>) {
    return this.library.get(p.id);
  }

  @Patch('assets/:id')
  @Route({ summary: 'Edit metadata: title, alt text per language, caption, credit, copyright, tags, usage rights, expiry, focal point, folder, sharing', access: 'content.write', tags: T, params: dto.IdParams, body: dto.MetadataBody, response: dto.AssetView, errors: ['asset_not_found', 'asset_read_only', 'folder_not_found'] })
  update(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.MetadataBody>) {
    return this.library.update(ctx, p.id, b);
  }

  @Delete('assets/:id')
  @HttpCode(204)
  @Route({ summary: 'Delete an asset and its renditions (refused while a scheduled message uses it)', access: 'content.write', tags: T, params: dto.IdParams, status: 204, errors: ['asset_not_found', 'asset_in_use', 'asset_read_only'] })
  async delete(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    await this.library.delete(ctx, p.id);
  }

  @Post('assets/:id/cancel')
  @HttpCode(200)
  @Route({ summary: 'Stop processing an asset (a running transcode is killed)', access: 'content.write', tags: T, params: dto.IdParams, response: dto.AssetView, errors: ['asset_not_found', 'not_cancellable'] })
  cancel(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    return this.processing.cancel(ctx, p.id);
  }

  @Get('assets/:id/progress')
  @Route({ summary: 'Processing stage and percentage as server-sent events (`event: progress`), ending with the final state', access: 'content.read', tags: T, params: dto.IdParams, errors: ['asset_not_found'] })
  async watch(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.library.get(p.id);
    void reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-store').header('x-accel-buffering', 'no');
    return this.progress.stream({ orgId: orgOf(ctx), userId: userOf(ctx).id }, p.id);
  }

  @Get('folders')
  @Route({ summary: 'Media folders here, below, and shared from above', access: 'content.read', tags: T, response: dto.FolderList })
  folders() {
    return this.library.listFolders();
  }

  @Post('folders')
  @Route({ summary: 'Create a media folder', access: 'content.write', tags: T, body: dto.FolderBody, response: dto.FolderView, status: 201, errors: ['folder_not_found'] })
  createFolder(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.FolderBody>) {
    return this.library.createFolder(ctx, b);
  }

  @Get('files')
  @Route({ summary: 'Download through a signed, short-lived link (no session needed; Range supported)', access: 'public', tags: T, query: dto.TokenQuery, errors: ['link_invalid', 'range_not_satisfiable'] })
  async file(@Query() p: z.infer<typeof dto.TokenQuery>, @Headers('range') range: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const d = await this.delivery.open(p.token, range);
    void reply.code(d.status).headers(d.headers);
    return d.body;
  }
}
