'use client';
import { useState, type FormEvent } from 'react';
import { useI18n } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { ConfirmDialog } from '@/ui/confirm-dialog';
import { TextField } from '@/ui/field';
import { ROLES, useChangeRole, useDeactivate, useInvitations, useInvite, useMembers, useReactivate, useRevokeInvitation, type Role } from '../hooks/use-admin';
import { InvitationLink } from './invitation-link';
import { ErrorLine } from './error-line';

const SELECT = 'rounded border border-slate-500 bg-white px-1 py-0.5';

/** Members with their roles (change, deactivate), and invitations (send, list, revoke). */
export function MembersSection({ canManage, canInvite }: { canManage: boolean; canInvite: boolean }) {
  const { t, locale } = useI18n();
  const members = useMembers();
  const changeRole = useChangeRole();
  const deactivate = useDeactivate();
  const reactivate = useReactivate();
  const invitations = useInvitations(canInvite);
  const invite = useInvite();
  const revoke = useRevokeInvitation();
  const [form, setForm] = useState<{ email: string; role: Role }>({ email: '', role: 'editor' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.email.trim()) return;
    invite.mutate({ email: form.email.trim(), role: form.role }, { onSuccess: () => setForm({ ...form, email: '' }) });
  };
  return (
    <section aria-labelledby="members-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="members-heading" className="mb-2 text-lg font-semibold">{t('settings.membersTitle')}</h2>
      <ErrorLine error={changeRole.error ?? deactivate.error ?? reactivate.error} />
      <table className="mb-4 w-full text-left text-sm">
        <caption className="sr-only">{t('settings.membersTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('settings.memberName')}</th>
            <th scope="col">{t('settings.memberEmail')}</th>
            <th scope="col">{t('settings.memberRole')}</th>
            <th scope="col">{t('settings.memberStatus')}</th>
            {canManage ? <th scope="col"><span className="sr-only">{t('settings.actions')}</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {(members.data ?? []).map((m) => (
            <tr key={m.id} className="border-t border-slate-200">
              <td className="py-1">{m.displayName}</td>
              <td>{m.email}</td>
              <td>
                {canManage && m.status === 'active' ? (
                  <select aria-label={t('settings.roleOf', { name: m.displayName })} className={SELECT} value={m.role} disabled={changeRole.isPending} onChange={(e) => changeRole.mutate({ id: m.id, role: e.target.value as Role })}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`settings.roles.${r}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  t(`settings.roles.${m.role}`)
                )}
              </td>
              <td>{t(`settings.memberStatuses.${m.status}`)}</td>
              {canManage ? (
                <td>
                  {m.status === 'active' ? (
                    <ConfirmDialog
                      trigger={<Button tone="secondary" aria-label={t('settings.deactivateWho', { name: m.displayName })}>{t('settings.deactivate')}</Button>}
                      title={t('settings.deactivateWho', { name: m.displayName })}
                      description={t('settings.deactivateConfirm')}
                      confirm={t('settings.deactivate')}
                      cancel={t('settings.cancel')}
                      onConfirm={() => deactivate.mutate(m.id)}
                    />
                  ) : (
                    <Button tone="secondary" aria-label={t('settingsMore.reactivateWho', { name: m.displayName })} disabled={reactivate.isPending} onClick={() => reactivate.mutate(m.id)}>
                      {t('settingsMore.reactivate')}
                    </Button>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {canInvite ? (
        <>
          <h3 className="mb-1 font-medium">{t('settings.invitationsTitle')}</h3>
          <ErrorLine error={invite.error ?? revoke.error} />
          <form onSubmit={submit} className="flex flex-wrap items-end gap-2" noValidate>
            <TextField label={t('settings.inviteEmail')} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
            <label className="mb-3 text-sm font-medium text-slate-900">
              {t('settings.memberRole')}
              <select className={`mt-1 block ${SELECT} py-1.5`} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
                {ROLES.filter((r) => r !== 'owner').map((r) => (
                  <option key={r} value={r}>
                    {t(`settings.roles.${r}`)}
                  </option>
                ))}
              </select>
            </label>
            <Button type="submit" className="mb-3" disabled={invite.isPending}>
              {t('settings.sendInvitation')}
            </Button>
          </form>
          {invite.data ? <InvitationLink email={invite.data.email} url={invite.data.acceptUrl} /> : null}
          <h4 className="mt-2 text-sm font-medium">{t('settingsMore.pendingTitle')}</h4>
          <ul className="text-sm">
            {(invitations.data ?? []).map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-2 py-0.5">
                <span>{t('settings.invitationLine', { email: i.email, role: t(`settings.roles.${i.role}`), status: t(`settings.invitationStatuses.${i.status}`), expires: date.format(new Date(i.expiresAt)) })}</span>
                {i.status === 'pending' ? (
                  <Button tone="secondary" aria-label={t('settings.revokeFor', { email: i.email })} disabled={revoke.isPending} onClick={() => revoke.mutate(i.id)}>
                    {t('settings.revoke')}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
