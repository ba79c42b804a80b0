'use client';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { problemText } from '@/features/shell/problem-text';
import { useConnectBluesky } from '../hooks/use-channels';

/** Bluesky has no OAuth consent page for this: a handle and an app password, used once, never kept. */
export function BlueskySection({ sandboxRunning }: { sandboxRunning: boolean }) {
  const { t } = useI18n();
  const connect = useConnectBluesky();
  const [handle, setHandle] = useState('');
  const [appPassword, setAppPassword] = useState('');
  const [service, setService] = useState('');
  const [sandbox, setSandbox] = useState(sandboxRunning);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!handle.trim() || !appPassword) return;
    connect.mutate(
      { handle: handle.trim(), appPassword, sandbox, ...(service.trim() ? { service: service.trim() } : {}) },
      {
        onSuccess: () => {
          setHandle('');
          setAppPassword('');
          setService('');
        },
      },
    );
  };
  return (
    <section aria-labelledby="bluesky-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="bluesky-heading" className="mb-2 text-lg font-semibold">{t('connect.blueskyTitle')}</h2>
      {connect.error ? <Alert>{connect.error instanceof ApiError ? problemText(t, connect.error) : t('errors.unknown_error')}</Alert> : null}
      {connect.isSuccess ? <Alert tone="info">{t('connect.connected')}</Alert> : null}
      <form onSubmit={submit}>
        <TextField label={t('connect.blueskyHandle')} hint={t('connect.blueskyHandleHint')} value={handle} onChange={(e) => setHandle(e.target.value)} autoComplete="off" required />
        <TextField label={t('connect.appPassword')} hint={t('connect.appPasswordHint')} type="password" value={appPassword} onChange={(e) => setAppPassword(e.target.value)} autoComplete="new-password" required />
        {sandbox ? null : <TextField label={t('connect.service')} value={service} onChange={(e) => setService(e.target.value)} />}
        {sandboxRunning ? (
          <label className="mb-3 flex items-center gap-2 text-sm">
            <input type="checkbox" className="focus-visible:outline-2 focus-visible:outline-indigo-700" checked={sandbox} onChange={(e) => setSandbox(e.target.checked)} />
            {t('connect.useSandbox')}
          </label>
        ) : null}
        <Button type="submit" disabled={connect.isPending || !handle.trim() || !appPassword}>{t('connect.connect')}</Button>
      </form>
    </section>
  );
}
