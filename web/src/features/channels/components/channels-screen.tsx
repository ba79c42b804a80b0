'use client';
import { useSearchParams } from 'next/navigation';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { PageHeading } from '@/ui/page-heading';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { problemText } from '@/features/shell/problem-text';
import { useChannels } from '../hooks/use-channels';
import { BlueskySection } from './bluesky-section';
import { ChannelList } from './channel-list';
import { ChooseAccounts } from './choose-accounts';
import { ConnectSection } from './connect-section';

/**
 * The organisation's connected accounts. The network's OAuth callback lands here with
 * `?connected=<id>` (done) or `?attempt=<id>` (several accounts offered: choose).
 */
export function ChannelsScreen() {
  const { t } = useI18n();
  const params = useSearchParams();
  const attempt = params.get('attempt');
  const connected = params.get('connected');
  const me = useMe().data;
  const channels = useChannels();
  const manage = can(me, 'channels.manage');
  return (
    <>
      <PageHeading>{t('connect.title')}</PageHeading>
      <p className="mb-4 text-sm">{t('connect.intro')}</p>
      {connected ? <Alert tone="info">{t('connect.connected')}</Alert> : null}
      {channels.error ? <Alert>{channels.error instanceof ApiError ? problemText(t, channels.error) : t('errors.unknown_error')}</Alert> : null}
      {attempt && manage ? <ChooseAccounts attemptId={attempt} /> : null}
      {channels.data ? <ChannelList channels={channels.data.items} manage={manage} /> : channels.isPending ? <p role="status">{t('shell.loading')}</p> : null}
      {manage && channels.data ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <ConnectSection sandboxRunning={channels.data.sandbox} />
          <BlueskySection sandboxRunning={channels.data.sandbox} />
        </div>
      ) : null}
    </>
  );
}
