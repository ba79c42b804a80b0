import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { DatabaseHealth } from '../../platform/database/database-health.js';
import { JobWorker } from '../../platform/jobs/job-worker.js';
import { EventsStatus } from '../../platform/events/events-status.js';
import { Route } from '../../platform/http/route.decorator.js';

const Health = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() });

/** Liveness says the process answers; readiness says it can serve (database up, schema current). */
@Controller()
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly worker: JobWorker,
    private readonly events: EventsStatus,
  ) {}

  @Get('healthz')
  @Route({ summary: 'Liveness: the process is up', access: 'public', tags: ['health'], response: Health })
  live() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Route({ summary: 'Readiness: database reachable, migrations applied, job worker polling', access: 'public', tags: ['health'], response: Health })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const checks: Record<string, string> = {};
    try {
      await this.database.ping();
      checks.database = 'ok';
      const pending = await this.database.pendingMigrations();
      checks.migrations = pending.length === 0 ? 'ok' : `pending: ${pending.join(', ')}`;
    } catch (err) {
      checks.database = `unreachable: ${(err as Error).message}`;
    }
    // A process that runs jobs is ready only while its worker keeps reaching its queue: "up"
    // is not enough (a worker that lost its connection would otherwise look healthy).
    if (this.worker.enabled()) {
      const w = this.worker.health();
      checks.worker = w.ready ? 'ok' : w.running ? `stale: last poll ${Math.round((w.sinceLastPollMs ?? 0) / 1000)}s ago` : 'stopped';
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    // Reported, never blocking: with NATS down the API still accepts work and the outbox
    // buffers it; an operator alerts on the backlog age instead.
    if (checks.database === 'ok') checks.events = await this.events.describe().catch((err: Error) => `unknown: ${err.message}`);
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}
