'use client';
import { useState } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { ConfirmDialog } from '@/ui/confirm-dialog';
import { Instant } from '@/features/messages/components/instant';
import { problemText } from '@/features/shell/problem-text';
import type { ChannelView } from '../channels.keys';
import { useDisconnectChannel, useRefreshChannel } from '../hooks/use-channels';
import { ChannelEditDialog } from './channel-edit-dialog';
import { SandboxBadge } from './sandbox-badge';

const STATUS = { active: 'connect.statusActive', needs_reauth: 'connect.statusNeedsReauth', revoked: 'connect.statusRevoked', disconnected: 'connect.statusDisconnected' } as const;
const ROLES = { owner: 1, admin: 1, approver: 1, editor: 1, analyst: 1, viewer: 1 } as const;
const STATUS_STYLE = { active: 'bg-green-100 text-green-900', needs_reauth: 'bg-amber-100 text-amber-950', revoked: 'bg-red-100 text-red-900', disconnected: 'bg-slate-200 text-slate-900' } as const;

/** Every connected account, its access health and who can repair it; names are the networks' text, shown as text. */
export function ChannelList({ channels, manage }: { channels: ChannelView[]; manage: boolean }) {
  const { t } = useI18n();
  const refresh = useRefreshChannel();
  const disconnect = useDisconnectChannel();
  const [notice, setNotice] = useState<string | null>(null);
  const error = refresh.error ?? disconnect.error;
  if (channels.length === 0) return <p className="mb-6">{t('connect.empty')}</p>;
  return (
    <>
      {error ? <Alert>{error instanceof ApiError ? problemText(t, error) : t('errors.unknown_error')}</Alert> : null}
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      <table className="mb-6 w-full border-collapse text-left text-sm">
        <thead>
          <tr className="border-b border-slate-400">
            <th scope="col" className="py-2 pr-3">{t('connect.network')}</th>
            <th scope="col" className="py-2 pr-3">{t('connect.account')}</th>
            <th scope="col" className="py-2 pr-3">{t('connect.state')}</th>
            <th scope="col" className="py-2 pr-3">{t('connect.health')}</th>
            {manage ? <th scope="col" className="py-2">{t('connect.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <tr key={c.id} className="border-b border-slate-200 align-top">
              <td className="py-2 pr-3">
                {t(`channels.${c.network}`)} {c.sandbox ? <SandboxBadge /> : null}
              </td>
              <td className="py-2 pr-3">
                <span className="font-medium">{c.displayName}</span>
                {c.handle ? <span className="block text-slate-700">{c.handle}</span> : null}
                {c.readOnly ? <span className="block text-xs text-slate-700">{t('connect.readOnly')}</span> : null}
                {c.access.roles.length + c.access.userIds.length > 0 ? <span className="block text-xs text-slate-700">{t('connect.restricted')}</span> : null}
                {c.sharedWithSubtree ? <span className="block text-xs text-slate-700">{t('connect.shared')}</span> : null}
              </td>
              <td className="py-2 pr-3">
                <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[c.status]}`}>{t(STATUS[c.status])}</span>
              </td>
              <td className="py-2 pr-3">
                <span className="block">
                  {c.health.accessExpiresAt ? <AccessUntil at={c.health.accessExpiresAt} /> : t('connect.noExpiry')}
                </span>
                {c.health.lastError ? <span className="block text-red-800">{t('connect.lastError', { error: c.health.lastError })}</span> : null}
                {c.status !== 'active' ? <span className="block text-slate-700">{t('connect.fixBy', { roles: c.health.reauthorisableBy.roles.map((r) => (r in ROLES ? t(`connect.roles.${r as keyof typeof ROLES}`) : r)).join(', ') })}</span> : null}
              </td>
              {manage ? (
                <td className="py-2">
                  {c.readOnly || c.status === 'disconnected' ? null : (
                    <div className="flex flex-wrap gap-2">
                      <ChannelEditDialog channel={c} />
                      <Button
                        tone="secondary"
                        disabled={refresh.isPending}
                        aria-label={`${t('connect.refresh')}: ${c.displayName}`}
                        onClick={() => refresh.mutate(c.id, { onSuccess: () => setNotice(t('connect.refreshed', { name: c.displayName })) })}
                      >
                        {t('connect.refresh')}
                      </Button>
                      <ConfirmDialog
                        trigger={
                          <Button tone="danger" aria-label={`${t('connect.disconnect')}: ${c.displayName}`}>
                            {t('connect.disconnect')}
                          </Button>
                        }
                        title={t('connect.disconnectTitle', { name: c.displayName })}
                        description={t('connect.disconnectConfirm')}
                        confirm={t('connect.disconnect')}
                        cancel={t('connect.cancel')}
                        onConfirm={() => disconnect.mutate(c.id, { onSuccess: () => setNotice(t('connect.disconnected', { name: c.displayName })) })}
                      />
                    </div>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function AccessUntil({ at }: { at: string }) {
  const { t } = useI18n();
  // The sentence's word order differs by language, so the time is slotted into it by a marker.
  const [before, after] = t('connect.expires', { time: '\u0000' }).split('\u0000');
  return (
    <>
      {before}
      <Instant at={at} />
      {after}
    </>
  );
}
