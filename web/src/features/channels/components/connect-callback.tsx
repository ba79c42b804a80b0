'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { api } from '@/lib/api/client';
import { ApiError, unwrap } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { PageHeading } from '@/ui/page-heading';
import { problemText } from '@/features/shell/problem-text';
import type { Network } from '../channels.keys';

/**
 * Where a network sends the officer back after consent. The network's redirect is a cross-site
 * navigation, so it carries no SameSite=Strict session cookie; this page's own call to the API
 * is same-origin and does. The code and state go on once (the state is single use), and the
 * address bar loses them at once so a reload or the history cannot replay them.
 */
export function ConnectCallback({ network }: { network: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const [failure, setFailure] = useState<unknown>(null);
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    const answer = Object.fromEntries(new URLSearchParams(window.location.search));
    window.history.replaceState(null, '', window.location.pathname);
    const pick = (k: string) => (typeof answer[k] === 'string' ? answer[k] : undefined);
    const body = { code: pick('code'), state: pick('state'), error: pick('error'), error_description: pick('error_description') };
    api
      .POST('/api/v1/channels/callback/{network}', { params: { path: { network: network as Network } }, body })
      .then(unwrap)
      .then((done) => router.replace(done.location))
      .catch(setFailure);
  }, [network, router]);

  return (
    <>
      <PageHeading>{t('connect.title')}</PageHeading>
      {failure ? (
        <>
          <Alert>
            {t('connect.finishFailed')} {failure instanceof ApiError ? problemText(t, failure) : t('errors.unknown_error')}
          </Alert>
          <p className="mt-4">
            <Link className="underline" href="/channels/">
              {t('connect.backToChannels')}
            </Link>
          </p>
        </>
      ) : (
        <p role="status">{t('connect.finishing')}</p>
      )}
    </>
  );
}
