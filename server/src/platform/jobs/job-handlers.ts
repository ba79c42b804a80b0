import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { decoratedMethods } from '../discovery/decorated-methods.js';
import { declaredJobs } from './job-catalog.js';
import { JOB_HANDLER } from './job-handler.decorator.js';
import type { JobContext } from './jobs.types.js';

export type BoundHandler = (payload: unknown, ctx: JobContext) => Promise<unknown>;

export class JobRegistryError extends Error {
  override name = 'JobRegistryError';
}

/**
 * Finds every `@JobHandler` method among the application's providers, once, at boot, and
 * refuses a job declared without a handler, handled twice, or handled but never declared.
 */
@Injectable()
export class JobHandlers {
  private handlers = new Map<string, BoundHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const found = new Map<string, string[]>();
    const bound = new Map<string, BoundHandler>();
    for (const { meta: name, fn, where } of decoratedMethods<string>(this.discovery, this.scanner, this.reflector, JOB_HANDLER)) {
      found.set(name, [...(found.get(name) ?? []), where]);
      bound.set(name, fn as BoundHandler);
    }
    assertCoverage(new Set(declaredJobs().keys()), found);
    this.handlers = bound;
  }

  get(name: string): BoundHandler {
    const handler = this.handlers.get(name);
    if (!handler) throw new JobRegistryError(`no handler for job "${name}"`);
    return handler;
  }
}

/** Exported for its unit test: the boot rule on its own. */
export function assertCoverage(declared: ReadonlySet<string>, found: ReadonlyMap<string, string[]>): void {
  const problems: string[] = [];
  for (const name of declared) {
    const where = found.get(name) ?? [];
    if (where.length === 0) problems.push(`job "${name}" has no @JobHandler`);
    if (where.length > 1) problems.push(`job "${name}" has ${where.length} handlers: ${where.join(', ')}`);
  }
  for (const [name, where] of found) {
    if (!declared.has(name)) problems.push(`@JobHandler("${name}") in ${where.join(', ')} handles a job that was never declared`);
  }
  if (problems.length) throw new JobRegistryError(`job handlers do not match the declared jobs:\n  - ${problems.join('\n  - ')}`);
}
