'use client';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { browserZone, timeZones } from '@/lib/time/zones';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { PageHeading } from '@/ui/page-heading';
import { problemText } from '@/features/shell/problem-text';
import { usePreferences, useSavePreferences } from '../hooks/use-notification-preferences';
import { CHANNELS, type Preferences, type PreferencesBody } from '../notifications.keys';
import { KindChoices, choiceKey, type Choices } from './kind-choices';
import { PushToggle } from './push-toggle';

/** Notification preferences: which kinds reach the person by which channel, quiet hours, digest, this browser's push. */
export function PreferencesScreen() {
  const t = useT();
  const prefs = usePreferences();
  // Here, not in the form: a save remounts the form with the server's answer, and the outcome stays shown.
  const save = useSavePreferences();
  return (
    <>
      <PageHeading>{t('notificationSettings.title')}</PageHeading>
      <p className="mb-4 text-sm">
        {t('notificationSettings.intro')}{' '}
        <Link href="/notifications/" className="text-indigo-800 underline">{t('notificationSettings.back')}</Link>
      </p>
      {prefs.error ? <Alert>{prefs.error instanceof ApiError ? problemText(t, prefs.error) : t('errors.unknown_error')}</Alert> : null}
      {prefs.data ? <PreferencesForm key={JSON.stringify(prefs.data)} prefs={prefs.data} save={save} /> : <p>{t('shell.loading')}</p>}
      {prefs.data ? (
        <section aria-labelledby="push-heading" className="mt-6 rounded border border-slate-300 bg-white p-4">
          <h2 id="push-heading" className="mb-2 text-lg font-semibold">{t('notificationSettings.pushTitle')}</h2>
          <PushToggle publicKey={prefs.data.channels.push.publicKey} subscriptions={prefs.data.channels.push.subscriptions} />
        </section>
      ) : null}
    </>
  );
}

/** Keyed by the server's view: a save answers the new view, and the form starts again from it. */
function PreferencesForm({ prefs, save }: { prefs: Preferences; save: ReturnType<typeof useSavePreferences> }) {
  const t = useT();
  const [choices, setChoices] = useState<Choices>({});
  const [zone, setZone] = useState(prefs.timeZone === 'UTC' && !prefs.quietHours ? browserZone() : prefs.timeZone);
  const [quiet, setQuiet] = useState(prefs.quietHours !== null);
  const [start, setStart] = useState(prefs.quietHours?.start ?? '22:00');
  const [end, setEnd] = useState(prefs.quietHours?.end ?? '07:00');
  const [digest, setDigest] = useState(prefs.digest);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const changed: NonNullable<PreferencesBody['choices']> = prefs.kinds.flatMap((k) =>
      CHANNELS.filter((c) => !k[c].mandatory && choices[choiceKey(k.kind, c)] !== undefined).map((c) => ({ kind: k.kind, channel: c, enabled: choices[choiceKey(k.kind, c)]! })),
    );
    save.mutate({ timeZone: zone, quietHours: quiet ? { start, end } : null, digest, choices: changed });
  };
  const zones = timeZones();
  return (
    <form onSubmit={submit} noValidate className="space-y-6">
      <section aria-labelledby="choices-heading" className="rounded border border-slate-300 bg-white p-4">
        <h2 id="choices-heading" className="mb-2 text-lg font-semibold">{t('notificationSettings.choicesTitle')}</h2>
        <KindChoices prefs={prefs} choices={choices} onChange={(kind, channel, on) => setChoices({ ...choices, [choiceKey(kind, channel)]: on })} />
      </section>
      <section aria-labelledby="quiet-heading" className="rounded border border-slate-300 bg-white p-4">
        <h2 id="quiet-heading" className="mb-2 text-lg font-semibold">{t('notificationSettings.quietTitle')}</h2>
        <label className="mb-3 block text-sm font-medium">
          {t('notificationSettings.zone')}
          <select className="mt-1 block rounded border border-slate-500 bg-white px-2 py-1.5" value={zone} onChange={(e) => setZone(e.target.value)}>
            {(zones.includes(zone) ? zones : [zone, ...zones]).map((z) => (
              <option key={z} value={z}>{z}</option>
            ))}
          </select>
        </label>
        <label className="mb-2 inline-flex items-center gap-2 text-sm">
          <input type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} className="h-4 w-4" />
          {t('notificationSettings.quietOn')}
        </label>
        {quiet ? (
          <div className="flex flex-wrap gap-4">
            <label className="text-sm font-medium">
              {t('notificationSettings.quietStart')}
              <input type="time" className="mt-1 block rounded border border-slate-500 px-2 py-1" value={start} onChange={(e) => setStart(e.target.value)} required />
            </label>
            <label className="text-sm font-medium">
              {t('notificationSettings.quietEnd')}
              <input type="time" className="mt-1 block rounded border border-slate-500 px-2 py-1" value={end} onChange={(e) => setEnd(e.target.value)} required />
            </label>
          </div>
        ) : null}
        <p className="mt-2 text-xs text-slate-700">{t('notificationSettings.quietHint', { zone })}</p>
      </section>
      <section aria-labelledby="digest-heading" className="rounded border border-slate-300 bg-white p-4">
        <h2 id="digest-heading" className="mb-2 text-lg font-semibold">{t('notificationSettings.digestTitle')}</h2>
        <fieldset>
          <legend className="mb-1 text-sm">{t('notificationSettings.digestExplain')}</legend>
          {(['off', 'daily', 'weekly'] as const).map((d) => (
            <label key={d} className="mr-4 inline-flex items-center gap-1 text-sm">
              <input type="radio" name="digest" value={d} checked={digest === d} onChange={() => setDigest(d)} />
              {t(`notificationSettings.digest.${d}`)}
            </label>
          ))}
        </fieldset>
      </section>
      {save.error ? <Alert>{save.error instanceof ApiError ? problemText(t, save.error) : t('errors.unknown_error')}</Alert> : null}
      {save.isSuccess ? <Alert tone="info">{t('notificationSettings.saved')}</Alert> : null}
      <Button type="submit" disabled={save.isPending}>{t('notificationSettings.save')}</Button>
    </form>
  );
}
