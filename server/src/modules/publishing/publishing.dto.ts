import { z } from 'zod';

const iso = z.iso.datetime({ offset: true });
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'a wall-clock time YYYY-MM-DDTHH:mm[:ss]');
const zone = z.string().min(1).max(64).describe('IANA time zone, e.g. Europe/Paris');
const localDate = z.iso.date();

export const IdParams = z.strictObject({ id: z.uuid() });

export const SuspendBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const ResumeBody = z.strictObject({
  decisions: z
    .array(
      z.discriminatedUnion('action', [
        z.strictObject({ messageId: z.uuid(), action: z.literal('publish') }),
        z.strictObject({ messageId: z.uuid(), action: z.literal('withdraw') }),
        z.strictObject({ messageId: z.uuid(), action: z.literal('reschedule'), local: localTime, zone }),
      ]),
    )
    .max(5000)
    .default([]),
});
// Years a calendar can hold: a day after the last one must still be a four-digit year.
const blackoutDate = localDate.refine((d) => d >= '2000-01-01' && d <= '2199-12-31', 'a date between 2000 and 2199');
export const BlackoutBody = z
  .strictObject({ startsOn: blackoutDate, endsOn: blackoutDate, zone, reason: z.string().trim().min(1).max(500) })
  .refine((b) => b.endsOn >= b.startsOn, 'endsOn is before startsOn')
  .refine((b) => Date.parse(b.endsOn) - Date.parse(b.startsOn) <= 366 * 86_400_000, 'at most a year');
export const BlackoutQuery = z.strictObject({ from: iso.optional(), to: iso.optional() });

// ---- Views

export const SuspensionView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  reason: z.string(),
  suspendedBy: z.uuid().nullable(),
  suspendedAt: z.string(),
  resumedBy: z.uuid().nullable(),
  resumedAt: z.string().nullable(),
});
export const SuspensionStatus = z.object({ suspended: z.boolean(), suspension: SuspensionView.nullable() });
export const SuspensionList = z.object({ items: z.array(SuspensionView) });
export const HeldView = z.object({ suspension: SuspensionView, held: z.array(z.object({ id: z.uuid(), title: z.string(), scheduledAt: z.string().nullable(), orgId: z.uuid() })) });
export const ResumeView = z.object({ suspension: SuspensionView, outcomes: z.array(z.object({ messageId: z.uuid(), action: z.string() })) });
export const BlackoutView = z.object({ id: z.uuid(), orgId: z.uuid(), startsOn: z.string(), endsOn: z.string(), zone: z.string(), startsAt: z.string(), endsAt: z.string(), reason: z.string() });
export const BlackoutCreated = z.object({ blackout: BlackoutView, conflicts: z.array(z.object({ id: z.uuid(), title: z.string(), scheduledAt: z.string() })).describe('Messages already scheduled into these days: move or withdraw them') });
export const BlackoutList = z.object({ items: z.array(BlackoutView) });
