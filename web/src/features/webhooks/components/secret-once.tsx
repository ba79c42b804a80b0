'use client';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';

/** A signing secret, shown this once: Guddu keeps it sealed and never returns it again. */
export function SecretOnce({ secret }: { secret: string }) {
  const t = useT();
  return (
    <Alert tone="warning">
      <p className="mb-1 font-medium">{t('webhooks.secretOnce')}</p>
      <code className="block break-all rounded bg-white px-2 py-1 font-mono text-sm" aria-label={t('webhooks.secretLabel')}>
        {secret}
      </code>
    </Alert>
  );
}
