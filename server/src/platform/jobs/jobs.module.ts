import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobHandlers } from './job-handlers.js';
import { JobQueue } from './job-queue.js';
import { JobWorker } from './job-worker.js';
import { WorkerRegistryRepository } from './worker-registry.repository.js';

/**
 * Background jobs on BullMQ (decision 0007). Every role gets the queue (to enqueue) and the
 * boot-time handler check; only roles that run background work start the worker.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [JobHandlers, JobQueue, JobWorker, WorkerRegistryRepository],
  exports: [JobHandlers, JobQueue, JobWorker],
})
export class JobsModule {}
