import { z } from 'zod';

export const JobsQuery = z.strictObject({
  state: z.enum(['failed']).default('failed').describe('Only permanently failed jobs are listed for now'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type JobsQuery = z.infer<typeof JobsQuery>;

export const JobIdParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9._-]{1,250}$/, 'not a job id') });
export type JobIdParams = z.infer<typeof JobIdParams>;

export const JobView = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  attemptsMade: z.number().int(),
  failedReason: z.string().nullable(),
  correlationId: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).describe('The payload: ids, never whole rows'),
});
export type JobView = z.infer<typeof JobView>;

export const JobList = z.object({ items: z.array(JobView) });
