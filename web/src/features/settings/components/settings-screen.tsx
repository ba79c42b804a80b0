'use client';
import { useRouter } from 'next/navigation';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { ConfirmDialog } from '@/ui/confirm-dialog';
import { PageHeading } from '@/ui/page-heading';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { useSignOut } from '@/features/auth/hooks/use-session-mutations';
import { AuditSection } from './audit-section';
import { BlackoutsSection } from './blackouts-section';
import { MembersSection } from './members-section';
import { OrganisationsSection } from './organisations-section';
import { PolicySection } from './policy-section';
import { SuspendSection } from './suspend-section';
import { IdentityProvidersSection } from '@/features/sso/components/identity-providers-section';
import { WebhooksSection } from '@/features/webhooks/components/webhooks-section';
import { FailuresSection, MandatesSection } from '@/features/notifications/components/notification-admin-section';
import { MembersFactorsSection, SignInPolicySection } from '@/features/security/components/admin-sections';

export function SettingsScreen() {
  const t = useT();
  const router = useRouter();
  const me = useMe().data;
  const everywhere = useSignOut(true);
  const manage = can(me, 'settings.manage');
  return (
    <>
      <PageHeading>{t('settings.title')}</PageHeading>
      {manage ? <SuspendSection /> : null}
      {can(me, 'org.read') ? <OrganisationsSection /> : null}
      {can(me, 'user.read') ? <MembersSection canManage={can(me, 'user.manage')} canInvite={can(me, 'user.invite')} /> : null}
      <PolicySection canManage={manage} />
      {manage ? <BlackoutsSection /> : null}
      {manage ? <IdentityProvidersSection /> : null}
      {can(me, 'webhooks.manage') ? <WebhooksSection /> : null}
      {manage ? <MandatesSection /> : null}
      {manage ? <FailuresSection /> : null}
      {manage ? <SignInPolicySection /> : null}
      {me && can(me, 'user.manage') ? <MembersFactorsSection selfId={me.user.id} /> : null}
      <AuditSection />
      <section aria-labelledby="sessions-heading" className="rounded border border-slate-300 bg-white p-4">
        <h2 id="sessions-heading" className="mb-2 text-lg font-semibold">{t('settings.sessionsTitle')}</h2>
        <ConfirmDialog
          trigger={<Button tone="secondary">{t('settings.signOutEverywhere')}</Button>}
          title={t('settings.signOutEverywhere')}
          description={t('settings.signOutEverywhereConfirm')}
          confirm={t('settings.signOutEverywhere')}
          cancel={t('settings.cancel')}
          onConfirm={() => everywhere.mutate(undefined, { onSettled: () => router.replace('/login/') })}
        />
      </section>
    </>
  );
}
