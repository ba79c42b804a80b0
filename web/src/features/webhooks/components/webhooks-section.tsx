'use client';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { problemText } from '@/features/shell/problem-text';
import { useCreateWebhook, useWebhooks } from '../hooks/use-webhooks';
import { parseEvents } from '../webhooks.keys';
import { SecretOnce } from './secret-once';
import { WebhookItem } from './webhook-item';

/** Settings → Webhooks: the organisation's endpoints, a form to add one, each one's log. */
export function WebhooksSection() {
  const t = useT();
  const list = useWebhooks();
  const create = useCreateWebhook();
  const [form, setForm] = useState({ url: '', events: 'messages.*', description: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ url: form.url, events: parseEvents(form.events), description: form.description, enabled: true }, { onSuccess: () => setForm({ url: '', events: 'messages.*', description: '' }) });
  };
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="webhooks-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="webhooks-heading" className="mb-2 text-lg font-semibold">{t('webhooks.title')}</h2>
      <p className="mb-3 text-sm">{t('webhooks.explain')}</p>
      {items.length === 0 ? <p className="text-sm text-slate-700">{t('webhooks.none')}</p> : <ul className="mb-3">{items.map((h) => <WebhookItem key={h.id} hook={h} />)}</ul>}
      {create.error ? <Alert>{create.error instanceof ApiError ? problemText(t, create.error) : t('errors.unknown_error')}</Alert> : null}
      {create.data ? <SecretOnce secret={create.data.secret} /> : null}
      <form onSubmit={submit} className="grid gap-2 sm:grid-cols-3" noValidate>
        <TextField label={t('webhooks.url')} type="url" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} hint={t('webhooks.urlHint')} />
        <TextField label={t('webhooks.events')} value={form.events} onChange={(e) => setForm({ ...form, events: e.target.value })} hint={t('webhooks.eventsHint')} />
        <TextField label={t('webhooks.description')} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
        <div>
          <Button type="submit" disabled={create.isPending}>{t('webhooks.add')}</Button>
        </div>
      </form>
    </section>
  );
}
