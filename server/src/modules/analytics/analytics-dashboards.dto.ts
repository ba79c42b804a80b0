import { z } from 'zod';

export const DASHBOARD_WIDGETS = ['reach_over_time', 'top_posts', 'sentiment_share'] as const;

export const IdParams = z.strictObject({ id: z.uuid() });

export const DashboardBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  widgets: z.array(z.enum(DASHBOARD_WIDGETS)).min(1).max(3).refine((w) => new Set(w).size === w.length, 'each widget once'),
  rangeDays: z.number().int().min(1).max(400).default(30).describe('The dashboard shows the last N days'),
  expiresInDays: z.number().int().min(1).max(365).default(30).describe('The link stops working after this; revoke ends it sooner'),
});

export const DashboardView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  title: z.string(),
  widgets: z.array(z.enum(DASHBOARD_WIDGETS)),
  rangeDays: z.number().int(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  url: z.string().describe('The signed public link (a page anyone with it can open)'),
  embed: z.string().describe('An iframe to paste into a web page'),
});

export const DashboardList = z.object({ items: z.array(DashboardView) });

export const PublicQuery = z.strictObject({
  exp: z.string().regex(/^\d{1,12}$/),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
