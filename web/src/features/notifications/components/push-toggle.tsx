'use client';
import { useT } from '@/lib/i18n/i18n';
import { ApiError } from '@/lib/api/errors';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { problemText } from '@/features/shell/problem-text';
import { useBrowserPush, useSetBrowserPush } from '../hooks/use-notification-preferences';
import { PushUnavailableError, pushSupported } from '../push-browser';

/** "Enable browser notifications" for this browser only; other browsers of the person keep theirs. */
export function PushToggle({ publicKey, subscriptions }: { publicKey: string | null; subscriptions: number }) {
  const t = useT();
  const here = useBrowserPush();
  const set = useSetBrowserPush();
  if (!pushSupported() || !publicKey) return <p className="text-sm">{t('notificationSettings.pushUnsupported')}</p>;
  const on = here.data === true;
  const error = set.error;
  return (
    <div>
      <p className="mb-2 text-sm" role="status">
        {on ? t('notificationSettings.pushOn') : t('notificationSettings.pushOff')} {t('notificationSettings.pushCount', { count: subscriptions })}
      </p>
      {error ? (
        <Alert>
          {error instanceof PushUnavailableError
            ? t(`notificationSettings.push_${error.reason}`)
            : error instanceof ApiError
              ? problemText(t, error)
              : t('notificationSettings.pushFailed', { reason: error.message })}
        </Alert>
      ) : null}
      <Button tone={on ? 'secondary' : 'primary'} disabled={set.isPending || here.isLoading} onClick={() => set.mutate({ on: !on, publicKey })}>
        {on ? t('notificationSettings.pushDisable') : t('notificationSettings.pushEnable')}
      </Button>
    </div>
  );
}
