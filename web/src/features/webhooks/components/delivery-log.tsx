'use client';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { problemText } from '@/features/shell/problem-text';
import { useDeliveries, useRedeliver } from '../hooks/use-webhooks';

/** The delivery log of one webhook, newest first; each row's last attempt and a redeliver button. */
export function DeliveryLog({ webhookId, enabled }: { webhookId: string; enabled: boolean }) {
  const t = useT();
  const list = useDeliveries(webhookId);
  const redeliver = useRedeliver();
  const items = list.data?.items ?? [];
  return (
    <div className="mt-3">
      {redeliver.error ? <Alert>{redeliver.error instanceof ApiError ? problemText(t, redeliver.error) : t('errors.unknown_error')}</Alert> : null}
      {items.length === 0 ? (
        <p className="text-sm text-slate-700">{t('webhooks.noDeliveries')}</p>
      ) : (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t('webhooks.deliveriesTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('webhooks.event')}</th>
              <th scope="col">{t('webhooks.state')}</th>
              <th scope="col">{t('webhooks.lastAttempt')}</th>
              <th scope="col">
                <span className="sr-only">{t('webhooks.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => {
              const last = d.attemptLog.at(-1);
              return (
                <tr key={d.id} className="border-t border-slate-200">
                  <td className="py-1 font-mono">{d.eventName}</td>
                  <td>{t(`webhooks.states.${d.state}`)}</td>
                  <td>
                    {last
                      ? t('webhooks.attemptLine', { count: d.attempts, status: last.statusCode === null ? '—' : String(last.statusCode), ms: last.durationMs })
                      : t('webhooks.notYet')}
                    {last?.error ? <span className="block text-xs text-slate-700">{last.error}</span> : null}
                  </td>
                  <td>
                    {d.eventName !== 'webhooks.ping' ? (
                      <Button tone="secondary" disabled={!enabled || redeliver.isPending} onClick={() => redeliver.mutate({ id: webhookId, deliveryId: d.id })} aria-label={t('webhooks.redeliverOne', { event: d.eventName })}>
                        {t('webhooks.redeliver')}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
