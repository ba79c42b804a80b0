'use client';
import { useState } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { problemText } from '@/features/shell/problem-text';
import { useAcknowledgeAlert, useAlerts, useSuspendFromAlert } from '../hooks/use-listening';
import { AlertItem } from './alert-item';

/** Spike alerts here and below (a ministry sees its missions'), newest first. */
export function AlertsSection() {
  const t = useT();
  const me = useMe().data;
  const [openOnly, setOpenOnly] = useState(false);
  const alerts = useAlerts(openOnly);
  const ack = useAcknowledgeAlert();
  const suspend = useSuspendFromAlert();
  const error = alerts.error ?? ack.error ?? suspend.error;
  const items = alerts.data?.items ?? [];
  return (
    <section aria-labelledby="alerts-heading" className="mb-6">
      <h2 id="alerts-heading" className="mb-1 text-lg font-semibold">{t('listening.alerts')}</h2>
      <label className="mb-2 inline-flex items-center gap-2 text-sm">
        <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} />
        {t('listening.openOnly')}
      </label>
      {error ? <Alert>{error instanceof ApiError ? problemText(t, error) : t('errors.unknown_error')}</Alert> : null}
      {suspend.isSuccess ? <Alert tone="info">{t('listening.suspended')}</Alert> : null}
      {alerts.data && items.length === 0 ? <p className="text-sm text-slate-800">{t('listening.noAlerts')}</p> : null}
      <ul className="space-y-3">
        {items.map((a) => (
          <AlertItem key={a.id} alert={a} canSuspend={can(me, 'settings.manage')} busy={ack.isPending || suspend.isPending} onAcknowledge={() => ack.mutate(a.id)} onSuspend={() => suspend.mutate(a)} />
        ))}
      </ul>
    </section>
  );
}
