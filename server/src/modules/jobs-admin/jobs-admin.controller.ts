import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import { JobIdParams, JobList, JobsQuery } from './jobs-admin.dto.js';
import { JobsAdminService } from './jobs-admin.service.js';

@Controller('api/v1/admin/jobs')
export class JobsAdminController {
  constructor(private readonly jobs: JobsAdminService) {}

  @Get()
  @Route({ summary: "List this organisation's permanently failed jobs, newest first", access: 'jobs.manage', tags: ['admin'], query: JobsQuery, response: JobList })
  async list(@Ctx() ctx: RequestContext, @Query() q: JobsQuery) {
    return { items: await this.jobs.listFailed(ctx, q.limit) };
  }

  @Post(':id/retry')
  @HttpCode(204)
  @Route({ summary: 'Run a failed job again (audited)', access: 'jobs.manage', tags: ['admin'], params: JobIdParams, status: 204, errors: ['job_not_found', 'job_not_failed'] })
  async retry(@Ctx() ctx: RequestContext, @Param() p: JobIdParams) {
    await this.jobs.retry(ctx, p.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Route({ summary: 'Discard a failed job (audited)', access: 'jobs.manage', tags: ['admin'], params: JobIdParams, status: 204, errors: ['job_not_found', 'job_not_failed'] })
  async discard(@Ctx() ctx: RequestContext, @Param() p: JobIdParams) {
    await this.jobs.discard(ctx, p.id);
  }
}
