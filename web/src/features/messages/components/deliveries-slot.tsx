'use client';
import { useState } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { useChannels } from '@/features/channels/hooks/use-channels';
import { problemText } from '@/features/shell/problem-text';
import type { Delivery, MessageDetail } from '../messages.keys';
import { useDeliveries, useRetryDelivery } from '../hooks/use-deliveries';
import { CHANNELS, type Channel } from '../content';
import { Instant } from './instant';
import { RetractSection } from './retract-section';

const isNetwork = (n: string | null): n is Channel => (CHANNELS as readonly (string | null)[]).includes(n);
const RETRACTABLE = new Set<MessageDetail['status']>(['published', 'partially_published']);
// A post link is followed only when it is a web address: the network's text is never trusted as markup or script.
const webUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

/** Where the message went: per channel its state, attempts, the post's link or the failure reason. */
export function DeliveriesSlot({ message }: { message: MessageDetail }) {
  const { t } = useI18n();
  const me = useMe().data;
  const deliveries = useDeliveries(message.id);
  const channels = useChannels();
  const retry = useRetryDelivery(message.id);
  const [retried, setRetried] = useState(false);
  const items = deliveries.data?.items ?? [];
  const names = new Map((channels.data?.items ?? []).map((c) => [c.id, c.displayName]));
  const channelName = (d: Delivery) => names.get(d.channelId) ?? d.channelId;
  const error = deliveries.error ?? retry.error;
  return (
    <section aria-labelledby="deliveries-heading" className="mb-6">
      <h2 id="deliveries-heading" className="mb-2 text-lg font-semibold">{t('detail.deliveries')}</h2>
      {error ? <Alert>{error instanceof ApiError ? problemText(t, error) : t('errors.unknown_error')}</Alert> : null}
      {retried ? <Alert tone="info">{t('detail.retried')}</Alert> : null}
      {deliveries.data && items.length === 0 ? <p className="text-sm">{t('detail.noDeliveries')}</p> : null}
      {items.length > 0 ? (
        <table className="w-full border-collapse text-left text-sm">
          <thead>
            <tr className="border-b border-slate-400">
              <th scope="col" className="py-1 pr-3">{t('detail.deliveryColumns.channel')}</th>
              <th scope="col" className="py-1 pr-3">{t('detail.deliveryColumns.state')}</th>
              <th scope="col" className="py-1 pr-3">{t('detail.deliveryColumns.attempts')}</th>
              <th scope="col" className="py-1">{t('detail.deliveryColumns.result')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => {
              const url = webUrl(d.url);
              return (
                <tr key={d.id} className="border-b border-slate-200 align-top">
                  <td className="py-1 pr-3">
                    {isNetwork(d.network) ? `${t(`channels.${d.network}`)}: ` : ''}
                    {channelName(d)}
                  </td>
                  <td className="py-1 pr-3">{t(`detail.deliveryState.${d.state}`)}</td>
                  <td className="py-1 pr-3">{d.attempts}</td>
                  <td className="py-1">
                    {url ? (
                      <a className="text-indigo-800 underline focus-visible:outline-2 focus-visible:outline-indigo-700" href={url} rel="noreferrer noopener" target="_blank">
                        {t('detail.openPost')}
                      </a>
                    ) : null}
                    {d.publishedAt ? (
                      <span className="block text-slate-700">
                        <Instant at={d.publishedAt} />
                      </span>
                    ) : null}
                    {d.failureReason ? <span className="block text-red-800">{d.failureReason}</span> : null}
                    {d.retractReason ? <span className="block text-slate-700">{d.retractReason}</span> : null}
                    {d.state === 'failed' && can(me, 'content.publish') ? (
                      <Button
                        tone="secondary"
                        className="mt-1"
                        disabled={retry.isPending}
                        aria-label={t('detail.retryOf', { name: channelName(d) })}
                        onClick={() => retry.mutate(d.id, { onSuccess: () => setRetried(true) })}
                      >
                        {t('detail.retry')}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {RETRACTABLE.has(message.status) && can(me, 'content.retract') ? <RetractSection messageId={message.id} /> : null}
    </section>
  );
}
