'use client';
import { useState } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { usePingWebhook, useRotateSecret, useUpdateWebhook } from '../hooks/use-webhooks';
import type { WebhookView } from '../webhooks.keys';
import { DeliveryLog } from './delivery-log';
import { SecretOnce } from './secret-once';

export function WebhookItem({ hook }: { hook: WebhookView }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const update = useUpdateWebhook();
  const rotate = useRotateSecret();
  const ping = usePingWebhook();
  return (
    <li className="border-t border-slate-200 py-3">
      <p className="break-all font-mono text-sm">{hook.url}</p>
      <p className="text-sm">
        {hook.enabled ? t('webhooks.on') : t('webhooks.off')} · {hook.events.join(', ')}
        {hook.description ? ` · ${hook.description}` : ''}
      </p>
      {!hook.enabled && hook.disabledReason ? <Alert tone="warning">{t('webhooks.disabledBecause', { reason: hook.disabledReason })}</Alert> : null}
      <div className="mt-2 flex flex-wrap gap-2">
        <Button tone="secondary" onClick={() => update.mutate({ id: hook.id, body: { enabled: !hook.enabled } })} disabled={update.isPending}>
          {hook.enabled ? t('webhooks.switchOff') : t('webhooks.switchOn')}
        </Button>
        <Button tone="secondary" onClick={() => ping.mutate(hook.id)} disabled={ping.isPending}>
          {t('webhooks.ping')}
        </Button>
        <Button tone="secondary" onClick={() => rotate.mutate(hook.id)} disabled={rotate.isPending}>
          {t('webhooks.rotate')}
        </Button>
        <Button tone="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('webhooks.hideLog') : t('webhooks.showLog')}
        </Button>
      </div>
      {ping.data ? (
        <Alert tone={ping.data.succeeded ? 'info' : 'warning'}>
          {ping.data.succeeded ? t('webhooks.pingOk', { status: String(ping.data.statusCode) }) : t('webhooks.pingFailed', { error: ping.data.error ?? String(ping.data.statusCode) })}
        </Alert>
      ) : null}
      {rotate.data ? <SecretOnce secret={rotate.data.secret} /> : null}
      {open ? <DeliveryLog webhookId={hook.id} enabled={hook.enabled} /> : null}
    </li>
  );
}
