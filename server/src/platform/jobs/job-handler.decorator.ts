import { SetMetadata } from '@nestjs/common';
import type { GudduJobs, JobContext, JobName } from './jobs.types.js';

export const JOB_HANDLER = Symbol('guddu.job-handler');

export type JobHandlerFn<N extends JobName> = (payload: GudduJobs[N], ctx: JobContext) => Promise<unknown>;

/**
 * Marks a provider method as the handler of one job. The signature is checked against the
 * job's payload type; boot fails if a declared job has no handler or more than one.
 */
export function JobHandler<N extends JobName>(name: N) {
  return <T extends JobHandlerFn<N>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>) => {
    SetMetadata(JOB_HANDLER, name)(target, key, descriptor);
    return descriptor;
  };
}
