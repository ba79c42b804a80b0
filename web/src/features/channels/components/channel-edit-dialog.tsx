'use client';
import * as Dialog from '@radix-ui/react-dialog';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { problemText } from '@/features/shell/problem-text';
import type { ChannelView } from '../channels.keys';
import { useMembers, useUpdateChannel } from '../hooks/use-channels';

const ROLES = ['owner', 'admin', 'approver', 'editor', 'analyst', 'viewer'] as const;

/**
 * A channel's name, posting language, sharing down the tree, and who may publish through it.
 * Sent with the revision read, so two admins editing at once get a clear "changed meanwhile".
 */
export function ChannelEditDialog({ channel }: { channel: ChannelView }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button tone="secondary" aria-label={`${t('connect.edit')}: ${channel.displayName}`}>
          {t('connect.edit')}
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-slate-900/50" />
        <Dialog.Content className="fixed top-1/2 left-1/2 max-h-[90vh] w-[34rem] max-w-[92vw] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded bg-white p-5 shadow-lg">
          <Dialog.Title className="text-lg font-semibold text-slate-900">{t('connect.editTitle', { name: channel.displayName })}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-800">{t('connect.editIntro')}</Dialog.Description>
          {open ? <EditForm channel={channel} onDone={() => setOpen(false)} /> : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function EditForm({ channel, onDone }: { channel: ChannelView; onDone: () => void }) {
  const { t } = useI18n();
  const me = useMe().data;
  const members = useMembers(can(me, 'user.read'));
  const update = useUpdateChannel();
  const [displayName, setDisplayName] = useState(channel.displayName);
  const [language, setLanguage] = useState(channel.language ?? '');
  const [shared, setShared] = useState(channel.sharedWithSubtree);
  const [roles, setRoles] = useState<string[]>(channel.access.roles);
  const [userIds, setUserIds] = useState<string[]>(channel.access.userIds);
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...new Set([...list, value])] : list.filter((v) => v !== value));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      {
        id: channel.id,
        body: {
          displayName: displayName.trim(),
          language: language.trim() === '' ? null : language.trim(),
          sharedWithSubtree: shared,
          access: { roles: roles as (typeof ROLES)[number][], userIds },
          revision: channel.revision,
        },
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form className="mt-4" onSubmit={submit}>
      {update.error ? <Alert>{update.error instanceof ApiError ? problemText(t, update.error) : t('errors.unknown_error')}</Alert> : null}
      <TextField label={t('connect.editName')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={200} />
      <TextField label={t('connect.editLanguage')} hint={t('connect.editLanguageHint')} value={language} onChange={(e) => setLanguage(e.target.value)} lang="en" maxLength={35} />
      <label className="mb-3 flex items-center gap-2 text-sm text-slate-900">
        <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
        {t('connect.editShared')}
      </label>
      <fieldset className="mb-3">
        <legend className="text-sm font-medium text-slate-900">{t('connect.editRoles')}</legend>
        <p className="mb-1 text-xs text-slate-700">{t('connect.editAccessHint')}</p>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {ROLES.map((r) => (
            <label key={r} className="flex items-center gap-1 text-sm">
              <input type="checkbox" checked={roles.includes(r)} onChange={(e) => setRoles((l) => toggle(l, r, e.target.checked))} />
              {t(`connect.roles.${r}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {members.data ? (
        <fieldset className="mb-3">
          <legend className="text-sm font-medium text-slate-900">{t('connect.editUsers')}</legend>
          <div className="max-h-40 overflow-y-auto">
            {members.data.items.map((m) => (
              <label key={m.id} className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={userIds.includes(m.id)} onChange={(e) => setUserIds((l) => toggle(l, m.id, e.target.checked))} />
                {m.displayName} <span className="text-slate-700">({m.email})</span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : userIds.length > 0 ? (
        <p className="mb-3 text-sm">{t('connect.editUsersCount', { count: String(userIds.length) })}</p>
      ) : null}
      <div className="mt-4 flex justify-end gap-2">
        <Dialog.Close asChild>
          <Button tone="secondary">{t('connect.cancel')}</Button>
        </Dialog.Close>
        <Button type="submit" disabled={update.isPending || displayName.trim() === ''}>
          {t('connect.editSave')}
        </Button>
      </div>
    </form>
  );
}
