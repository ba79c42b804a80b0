'use client';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { problemText } from '@/features/shell/problem-text';
import { OAUTH_NETWORKS, type Network } from '../channels.keys';
import { useStartConnect } from '../hooks/use-channels';

/**
 * Connecting is a round trip through the network's consent page: the server answers where to
 * send the officer, and the network's callback brings them back to /channels/?connected=….
 */
export function ConnectSection({ sandboxRunning }: { sandboxRunning: boolean }) {
  const { t } = useI18n();
  const start = useStartConnect();
  const [network, setNetwork] = useState<Network>('x');
  const [instance, setInstance] = useState('');
  const [sandbox, setSandbox] = useState(sandboxRunning);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate(
      { network, sandbox, ...(network === 'mastodon' && instance.trim() ? { instance: instance.trim() } : {}) },
      { onSuccess: (a) => window.location.assign(a.authorizeUrl) },
    );
  };
  return (
    <section aria-labelledby="connect-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="connect-heading" className="mb-2 text-lg font-semibold">{t('connect.connectTitle')}</h2>
      {start.error ? <Alert>{start.error instanceof ApiError ? problemText(t, start.error) : t('errors.unknown_error')}</Alert> : null}
      {start.isSuccess ? <Alert tone="info">{t('connect.connecting')}</Alert> : null}
      <form onSubmit={submit}>
        <div className="mb-3">
          <label htmlFor="connect-network" className="block text-sm font-medium text-slate-900">{t('connect.chooseNetwork')}</label>
          <select
            id="connect-network"
            className="mt-1 block rounded border border-slate-500 bg-white px-2 py-1.5 focus-visible:outline-2 focus-visible:outline-indigo-700"
            value={network}
            onChange={(e) => setNetwork(e.target.value as Network)}
          >
            {OAUTH_NETWORKS.map((n) => (
              <option key={n} value={n}>{t(`channels.${n}`)}</option>
            ))}
          </select>
        </div>
        {network === 'mastodon' && !sandbox ? <TextField label={t('connect.instance')} hint={t('connect.instanceHint')} value={instance} onChange={(e) => setInstance(e.target.value)} /> : null}
        {sandboxRunning ? (
          <label className="mb-3 flex items-center gap-2 text-sm">
            <input type="checkbox" className="focus-visible:outline-2 focus-visible:outline-indigo-700" checked={sandbox} onChange={(e) => setSandbox(e.target.checked)} />
            {t('connect.useSandbox')}
          </label>
        ) : null}
        <Button type="submit" disabled={start.isPending || start.isSuccess}>{t('connect.connect')}</Button>
      </form>
    </section>
  );
}
