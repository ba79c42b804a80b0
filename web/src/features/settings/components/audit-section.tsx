'use client';
import { useI18n } from '@/lib/i18n/i18n';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { useAudit } from '../hooks/use-settings';

export function AuditSection() {
  const { t, locale } = useI18n();
  const allowed = can(useMe().data, 'audit.read');
  const audit = useAudit(allowed);
  if (!allowed) return null;
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'long' });
  return (
    <section aria-labelledby="audit-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="audit-heading" className="mb-2 text-lg font-semibold">{t('settings.auditTitle')}</h2>
      <table className="w-full text-left text-sm">
        <thead>
          <tr>
            <th scope="col">{t('settings.auditWhen')}</th>
            <th scope="col">{t('settings.auditAction')}</th>
            <th scope="col">{t('settings.auditTarget')}</th>
          </tr>
        </thead>
        <tbody>
          {(audit.data?.items ?? []).map((e) => (
            <tr key={e.id} className="border-t border-slate-200">
              <td>{format.format(new Date(e.occurredAt))}</td>
              <td><code>{e.action}</code></td>
              <td>{e.targetType}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
