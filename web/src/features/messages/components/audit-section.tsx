'use client';
import { useI18n } from '@/lib/i18n/i18n';
import { useMessageAudit } from '../hooks/use-message-history';
import { Instant } from './instant';

/** The message's own audit records, newest first; for those who may read the audit log. */
export function AuditSection({ id }: { id: string }) {
  const { t } = useI18n();
  const audit = useMessageAudit(id, true);
  const items = audit.data?.items ?? [];
  return (
    <section aria-labelledby="audit-heading" className="mb-6">
      <h2 id="audit-heading" className="mb-2 text-lg font-semibold">{t('detail.audit')}</h2>
      {audit.isError ? <p className="text-sm">{t('errors.unknown_error')}</p> : null}
      <ol className="space-y-1 text-sm">
        {items.map((e) => (
          <li key={e.id}>
            <Instant at={e.occurredAt} /> · <code>{e.action}</code> · {e.actorType === 'system' ? t('detail.bySystem') : t('detail.byUser', { id: (e.actorId ?? '').slice(0, 8) })}
          </li>
        ))}
      </ol>
    </section>
  );
}
