'use client';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { browserZone } from '@/lib/time/zones';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { problemText } from '@/features/shell/problem-text';
import { useAddBlackout, useBlackouts } from '../hooks/use-settings';

export function BlackoutsSection() {
  const t = useT();
  const list = useBlackouts();
  const add = useAddBlackout();
  const zone = browserZone();
  const [form, setForm] = useState({ startsOn: '', endsOn: '', reason: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ ...form, zone }, { onSuccess: () => setForm({ startsOn: '', endsOn: '', reason: '' }) });
  };
  return (
    <section aria-labelledby="blackouts-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="blackouts-heading" className="mb-2 text-lg font-semibold">{t('settings.blackoutsTitle')}</h2>
      <ul className="mb-3 text-sm">
        {(list.data?.items ?? []).map((b) => (
          <li key={b.id}>{t('settings.blackoutLine', { from: b.startsOn, to: b.endsOn, zone: b.zone, reason: b.reason })}</li>
        ))}
      </ul>
      {add.error ? <Alert>{add.error instanceof ApiError ? problemText(t, add.error) : t('errors.unknown_error')}</Alert> : null}
      <form onSubmit={submit} className="grid gap-2 sm:grid-cols-3" noValidate>
        <TextField label={t('settings.startsOn')} type="date" value={form.startsOn} onChange={(e) => setForm({ ...form, startsOn: e.target.value })} />
        <TextField label={t('settings.endsOn')} type="date" value={form.endsOn} onChange={(e) => setForm({ ...form, endsOn: e.target.value })} />
        <TextField label={t('settings.reason')} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} hint={t('settings.zoneIs', { zone })} />
        <div>
          <Button type="submit" disabled={add.isPending}>{t('settings.addBlackout')}</Button>
        </div>
      </form>
    </section>
  );
}
