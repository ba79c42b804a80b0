'use client';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { problemText } from '@/features/shell/problem-text';
import { useFailures, useMandates, usePreferences, useSetMandate } from '../hooks/use-notification-preferences';
import { CHANNELS } from '../notifications.keys';


/** Settings → which kinds nobody here may switch off (per channel); an inherited mandate is shown, not changeable here. */
export function MandatesSection() {
  const { t } = useI18n();
  const mandates = useMandates();
  const set = useSetMandate();
  // The kinds as this server knows them (the preferences view lists every one).
  const kinds = usePreferences().data?.kinds.map((k) => k.kind) ?? [];
  const items = mandates.data?.items ?? [];
  const find = (kind: string, channel: string) => items.find((m) => m.kind === kind && m.channel === channel);
  return (
    <section aria-labelledby="mandates-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="mandates-heading" className="mb-2 text-lg font-semibold">{t('notificationSettings.mandatesTitle')}</h2>
      <p className="mb-3 text-sm">{t('notificationSettings.mandatesExplain')}</p>
      {set.error ? <Alert>{set.error instanceof ApiError ? problemText(t, set.error) : t('errors.unknown_error')}</Alert> : null}
      <table className="w-full text-left text-sm">
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-2 pr-3">{t('notificationSettings.kind')}</th>
            {CHANNELS.map((c) => <th key={c} scope="col" className="py-2 pr-3">{t(`notificationSettings.channel.${c}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {kinds.map((kind) => (
            <tr key={kind} className="border-b border-slate-200">
              <th scope="row" className="py-2 pr-3 font-normal">{t(`notificationSettings.kinds.${kind}`)}</th>
              {CHANNELS.map((c) => {
                const m = find(kind, c);
                return (
                  <td key={c} className="py-2 pr-3">
                    <input
                      type="checkbox"
                      className="h-4 w-4"
                      aria-label={t('notificationSettings.mandateLabel', { kind: t(`notificationSettings.kinds.${kind}`), channel: t(`notificationSettings.channel.${c}`) })}
                      checked={Boolean(m)}
                      disabled={m?.inherited === true || set.isPending || !mandates.isSuccess}
                      onChange={(e) => set.mutate({ kind, channel: c, on: e.target.checked })}
                    />
                    {m?.inherited ? <span className="ml-1 text-xs text-slate-700">{t('notificationSettings.inherited')}</span> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Settings → what did not reach people (failed or bounced), newest first, here and below. */
export function FailuresSection() {
  const { t, locale } = useI18n();
  const failures = useFailures();
  const items = failures.data?.items ?? [];
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section aria-labelledby="failures-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="failures-heading" className="mb-2 text-lg font-semibold">{t('notificationSettings.failuresTitle')}</h2>
      {failures.isSuccess && items.length === 0 ? <p className="text-sm">{t('notificationSettings.failuresNone')}</p> : null}
      {items.length > 0 ? (
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col" className="py-2 pr-3">{t('notificationSettings.when')}</th>
              <th scope="col" className="py-2 pr-3">{t('notificationSettings.recipient')}</th>
              <th scope="col" className="py-2 pr-3">{t('notificationSettings.kind')}</th>
              <th scope="col" className="py-2 pr-3">{t('notificationSettings.channelColumn')}</th>
              <th scope="col" className="py-2 pr-3">{t('notificationSettings.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.id} className="border-b border-slate-200 align-top">
                <td className="py-2 pr-3"><time dateTime={f.updatedAt}>{when.format(new Date(f.updatedAt))}</time></td>
                <td className="py-2 pr-3">{f.recipient}</td>
                <td className="py-2 pr-3">{t(`notificationSettings.kinds.${f.kind}`)}</td>
                <td className="py-2 pr-3">{t(`notificationSettings.channel.${f.channel}`)}</td>
                <td className="py-2 pr-3">
                  {f.bouncedAt ? <span className="mr-1 rounded bg-red-100 px-1 text-xs text-red-900">{t('notificationSettings.bounced')}</span> : null}
                  {f.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
