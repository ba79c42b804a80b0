import type { ListeningRepository } from './listening.repository.js';

type CommentRow = Awaited<ReturnType<ListeningRepository['listComments']>>[number];
type AlertRow = NonNullable<Awaited<ReturnType<ListeningRepository['alert']>>>;

export function commentView(c: CommentRow) {
  return {
    id: c.id,
    orgId: c.org_id,
    channelId: c.channel_id,
    network: c.network as 'facebook',
    externalId: c.external_id,
    parentExternalId: c.parent_external_id,
    deliveryId: c.delivery_id,
    messageId: c.message_id,
    kind: c.kind,
    body: c.body,
    authorHandle: c.author_handle,
    publishedAt: c.published_at.toISOString(),
    lang: c.lang,
    sentiment: c.sentiment,
    sentimentScore: c.sentiment_score,
    sentimentMethod: c.sentiment_method,
  };
}

/** Keyset cursor: the last row's time and id, opaque to clients. */
export function cursorOf(rows: readonly CommentRow[], limit: number): string | null {
  const last = rows.at(-1);
  if (rows.length < limit || !last) return null;
  return Buffer.from(`${last.published_at.toISOString()}|${last.id}`).toString('base64url');
}

export function parseCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const t = Date.parse(at ?? '');
  if (Number.isNaN(t) || !id || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return { at: new Date(t), id };
}

export function alertView(a: AlertRow) {
  const what = a.kind === 'volume' ? `${a.observed} comments in an hour against about ${a.baseline}` : `negative share ${Math.round(a.observed * 100)}% against ${Math.round(a.baseline * 100)}%`;
  return {
    id: a.id,
    orgId: a.org_id,
    messageId: a.message_id,
    kind: a.kind,
    severity: a.severity,
    windowStart: a.window_start.toISOString(),
    observed: a.observed,
    baseline: a.baseline,
    threshold: a.threshold,
    evidence: a.evidence,
    createdAt: a.created_at.toISOString(),
    acknowledgedAt: a.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: a.acknowledged_by,
    suspendAction: {
      method: 'POST' as const,
      href: '/api/v1/publishing/suspensions',
      organisationId: a.org_id,
      body: { reason: `Spike in public reaction (${a.kind === 'volume' ? 'volume' : 'negative share'}): ${what}; alert ${a.id}` },
      permission: 'settings.manage' as const,
      stepUp: true as const,
    },
  };
}
