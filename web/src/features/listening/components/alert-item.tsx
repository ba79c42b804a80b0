'use client';
import Link from 'next/link';
import { useI18n } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { ConfirmDialog } from '@/ui/confirm-dialog';
import type { AlertView } from '../listening.keys';

/** One spike: what was seen against what was usual, the evidence, and the two things to do. */
export function AlertItem({ alert, canSuspend, onAcknowledge, onSuspend, busy }: { alert: AlertView; canSuspend: boolean; onAcknowledge: () => void; onSuspend: () => void; busy: boolean }) {
  const { t, locale } = useI18n();
  const when = (at: string) => new Intl.DateTimeFormat(locale === 'hi' ? 'hi-IN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
  const pct = (v: number) => Math.round(v * 100);
  const e = alert.evidence;
  const what =
    alert.kind === 'volume'
      ? t('listening.alertVolume', { observed: alert.observed, baseline: Math.round(alert.baseline * 10) / 10 })
      : t('listening.alertNegative', { observed: pct(alert.observed), baseline: pct(alert.baseline) });
  return (
    <li className={`rounded border-l-4 bg-white p-3 ${alert.severity === 'critical' ? 'border-red-700' : 'border-amber-600'} border border-slate-300`}>
      <h3 className="font-semibold">
        {`${t(`listening.severity.${alert.severity}`)}: ${what}`}
      </h3>
      <p className="text-sm text-slate-800">
        {t('listening.window', { when: when(alert.windowStart) })}
        {alert.messageId ? (
          <>
            {' · '}
            <Link className="text-indigo-800 underline" href={`/messages/view/?id=${alert.messageId}`}>{t('listening.openMessage')}</Link>
          </>
        ) : null}
        {alert.acknowledgedAt ? ` · ${t('listening.acknowledged', { when: when(alert.acknowledgedAt) })}` : ''}
      </p>
      <details className="mt-2">
        <summary className="cursor-pointer text-sm text-indigo-800 underline">{t('listening.evidence')}</summary>
        <div className="mt-2 grid gap-3 text-sm sm:grid-cols-3">
          <div>
            <h4 className="font-medium">{t('listening.terms')}</h4>
            <ul>{e.terms.map((x) => <li key={x.term}>{t('listening.termCount', { term: x.term, count: x.count })}</li>)}</ul>
          </div>
          <div>
            <h4 className="font-medium">{t('listening.networks')}</h4>
            <ul>{e.networks.map((x) => <li key={x.network}>{t('listening.termCount', { term: x.network, count: x.count })}</li>)}</ul>
          </div>
          <div>
            <h4 className="font-medium">{t('listening.hourly')}</h4>
            <p>{e.hourly.join(' · ')}</p>
          </div>
        </div>
        <h4 className="mt-2 text-sm font-medium">{t('listening.samples')}</h4>
        <ul className="list-disc pl-5 text-sm">
          {e.samples.map((s) => (
            <li key={s.id}>
              <span className="whitespace-pre-wrap">{s.body}</span> <span className="text-slate-800">({t(`analytics.sentiments.${s.sentiment}`)})</span>
            </li>
          ))}
        </ul>
      </details>
      <div className="mt-3 flex flex-wrap gap-2">
        {alert.acknowledgedAt ? null : (
          <Button tone="secondary" disabled={busy} onClick={onAcknowledge}>{t('listening.acknowledge')}</Button>
        )}
        {canSuspend ? (
          <ConfirmDialog
            trigger={<Button tone="danger" disabled={busy}>{t('listening.suspend')}</Button>}
            title={t('listening.suspendTitle')}
            description={
              <>
                <p>{t('listening.suspendConfirm')}</p>
                <p className="mt-2 font-medium">{alert.suspendAction.body.reason}</p>
              </>
            }
            confirm={t('listening.suspend')}
            cancel={t('settings.cancel')}
            onConfirm={onSuspend}
          />
        ) : null}
      </div>
    </li>
  );
}
