import { z } from 'zod';

const kind = z.enum(['ministry', 'division', 'mission', 'other']);

export const OrganisationView = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  name: z.string(),
  kind,
  depth: z.number().int().describe('0 for a root organisation'),
  createdAt: z.string(),
});
export const OrganisationList = z.object({ items: z.array(OrganisationView) });
export const CreateOrganisationBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: kind.default('other'),
  parentId: z.uuid().optional().describe('Defaults to the organisation acted in'),
});
export const UpdateOrganisationBody = z
  .strictObject({ name: z.string().trim().min(1).max(200).optional(), kind: kind.optional() })
  .refine((v) => v.name !== undefined || v.kind !== undefined, 'give name or kind');
export const OrgIdParams = z.strictObject({ id: z.uuid() });
