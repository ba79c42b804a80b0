import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Route } from '../../platform/http/route.decorator.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { AuditCheckpoints } from './audit.checkpoints.js';
import { AuditPage, AuditQuery, ChainReportView, CheckpointBody, CheckpointCheckView, SignedCheckpointView } from './audit.dto.js';
import { AuditService } from './audit.service.js';

@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  @Get()
  @Route({ summary: 'List audit events, newest first', access: 'audit.read', tags: ['audit'], query: AuditQuery, response: AuditPage })
  async list(@Ctx() ctx: RequestContext, @Query() q: AuditQuery) {
    const prefix = q.action?.endsWith('*') ? q.action.slice(0, -1) : undefined;
    const items = await this.audit.list(
      orgOf(ctx),
      {
        action: prefix === undefined ? q.action : undefined,
        actionPrefix: prefix,
        actorId: q.actorId,
        targetType: q.targetType,
        targetId: q.targetId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        beforeNo: q.cursor ? Number(q.cursor) : undefined,
      },
      q.limit,
    );
    const last = items.at(-1);
    return { items, nextCursor: items.length === q.limit && last ? String(last.no) : null };
  }

  @Get('verify')
  @Route({ summary: "Verify the organisation's audit hash chain", access: 'audit.verify', tags: ['audit'], response: ChainReportView })
  verify(@Ctx() ctx: RequestContext) {
    return this.audit.verify(orgOf(ctx));
  }

  @Get('checkpoint')
  @Route({ summary: "A signed checkpoint of the organisation's chain head, to keep outside Guddu", access: 'audit.verify', tags: ['audit'], response: SignedCheckpointView })
  checkpoint(@Ctx() ctx: RequestContext) {
    return this.checkpoints.sign(orgOf(ctx));
  }

  @Post('checkpoint/verify')
  @HttpCode(200)
  @Route({ summary: 'Check a signed checkpoint against the chain', access: 'audit.verify', tags: ['audit'], body: CheckpointBody, response: CheckpointCheckView })
  verifyCheckpoint(@Ctx() ctx: RequestContext, @Body() body: CheckpointBody) {
    return this.checkpoints.check(orgOf(ctx), body.jws);
  }
}
