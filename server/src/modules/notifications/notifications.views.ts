import type { NotificationKind, Urgency } from './notification-kinds.js';

interface ViewRow {
  id: string;
  org_id: string;
  kind: NotificationKind;
  urgency: Urgency;
  subject_type: string;
  subject_id: string;
  params: Record<string, string | number>;
  read_at: Date | null;
  created_at: Date;
}

/** The wire shape of one notification: the console renders the sentence from kind and params in its own language. */
export function notificationView(r: ViewRow) {
  return {
    id: r.id,
    organisationId: r.org_id,
    kind: r.kind,
    urgency: r.urgency,
    subject: { type: r.subject_type, id: r.subject_id },
    params: r.params,
    read: r.read_at !== null,
    createdAt: r.created_at.toISOString(),
  };
}
