import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import { ChannelsConnect } from './channels-connect.service.js';
import { ChannelsService } from './channels.service.js';
import * as dto from './channels.dto.js';

const T = ['channels'];
const CONNECT_ERRORS = ['sandbox_off', 'network_not_configured', 'wrong_connect_flow', 'connect_failed'];

@Controller('api/v1/channels')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly connect: ChannelsConnect,
  ) {}

  @Get()
  @Route({ summary: 'Connected accounts here, below, and shared from above, with their token health (never a token)', access: 'content.read', tags: T, query: dto.ChannelQuery, response: dto.ChannelList })
  list(@Ctx() ctx: RequestContext, @Query() q: z.infer<typeof dto.ChannelQuery>) {
    return this.channels.list(ctx, q);
  }

  @Post('connect')
  @Route({ summary: 'Start connecting an account: answers the network URL to send the officer to (state and PKCE held here, 10 minutes, single use)', access: 'channels.manage', tags: T, body: dto.ConnectBody, response: dto.ConnectStarted, status: 201, errors: CONNECT_ERRORS })
  start(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.ConnectBody>) {
    return this.connect.start(ctx, b);
  }

  @Get('callback/:network')
  @HttpCode(302)
  @Route({ summary: 'The network\'s answer as a redirect (for API clients): checks the state against this session, exchanges the code, then redirects to the console (/channels/?connected= or ?attempt= to choose accounts)', access: 'channels.manage', tags: T, params: dto.NetworkParams, query: dto.CallbackQuery, status: 302, errors: ['connect_state_invalid', ...CONNECT_ERRORS] })
  async callback(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.NetworkParams>, @Query() q: z.infer<typeof dto.CallbackQuery>, @Res({ passthrough: true }) reply: FastifyReply) {
    const { location } = await this.connect.callback(ctx, p.network, q);
    void reply.header('location', location).header('cache-control', 'no-store');
  }

  @Post('callback/:network')
  @HttpCode(200)
  @Route({ summary: 'The network\'s answer handed on by the console\'s landing page (the redirect URI): the same checks as the GET, answered as JSON', access: 'channels.manage', tags: T, params: dto.NetworkParams, body: dto.CallbackBody, response: dto.CallbackDone, errors: ['connect_state_invalid', ...CONNECT_ERRORS] })
  callbackFromConsole(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.NetworkParams>, @Body() b: z.infer<typeof dto.CallbackBody>) {
    return this.connect.callback(ctx, p.network, b);
  }

  @Get('connect/:id')
  @Route({ summary: 'A connect attempt: the accounts the network returned, to choose from', access: 'channels.manage', tags: T, params: dto.IdParams, response: dto.AttemptView, errors: ['connect_attempt_not_found'] })
  attempt(@Param() p: z.infer<typeof dto.IdParams>) {
    return this.connect.attempt(p.id);
  }

  @Post('connect/:id/accounts')
  @Route({ summary: 'Add the chosen accounts of a connect attempt (Facebook Pages, LinkedIn organisations)', access: 'channels.manage', tags: T, params: dto.IdParams, body: dto.ChooseBody, response: dto.ChannelsAdded, status: 201, errors: ['connect_attempt_not_found', 'connect_state_invalid', 'account_not_offered'] })
  choose(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.ChooseBody>) {
    return this.connect.choose(ctx, p.id, b.accountIds);
  }

  @Post('bluesky')
  @Route({ summary: 'Connect a Bluesky account with its handle and an app password (the password opens a session and is not kept)', access: 'channels.manage', tags: T, body: dto.BlueskyBody, response: dto.ChannelView, status: 201, errors: ['credentials_refused', 'sandbox_off', 'connect_failed'] })
  bluesky(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.BlueskyBody>) {
    return this.connect.bluesky(ctx, b);
  }

  @Get(':id')
  @Route({ summary: 'One connected account and its token health', access: 'content.read', tags: T, params: dto.IdParams, response: dto.ChannelView, errors: ['channel_not_found'] })
  get(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    return this.channels.get(ctx, p.id);
  }

  @Patch(':id')
  @Route({ summary: 'Name, posting language, sharing with the subtree, access restrictions', access: 'channels.manage', tags: T, params: dto.IdParams, body: dto.UpdateBody, response: dto.ChannelView, errors: ['channel_not_found', 'channel_read_only', 'stale_revision'] })
  update(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.UpdateBody>) {
    return this.channels.update(ctx, p.id, b);
  }

  @Post(':id/refresh')
  @HttpCode(200)
  @Route({ summary: 'Refresh (or check) the token now', access: 'channels.manage', tags: T, params: dto.IdParams, response: dto.ChannelView, errors: ['channel_not_found', 'channel_read_only', 'channel_unavailable', 'channel_refresh_failed'] })
  refresh(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    return this.channels.refresh(ctx, p.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Route({ summary: 'Disconnect: revoke at the network where it can, wipe the tokens; the record stays', access: 'channels.manage', tags: T, params: dto.IdParams, status: 204, errors: ['channel_not_found', 'channel_read_only'] })
  async disconnect(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    await this.channels.disconnect(ctx, p.id);
  }
}
