'use client';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { LOCALES, useI18n, type Locale, type MessageKey } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { IntentLink } from '@/ui/intent-link';
import { useMe } from '@/features/auth/hooks/use-me';
import { useSignOut } from '@/features/auth/hooks/use-session-mutations';
import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { useLiveUpdates } from './hooks/use-live-updates';
import { LiveIndicator } from './live-indicator';
import { SuspensionBanner } from './suspension-banner';
import { FactorGate } from '@/features/security/components/factor-gate';
import { StepUpProvider } from '@/features/security/components/step-up';

const NAV: { href: string; label: MessageKey }[] = [
  { href: '/', label: 'nav.home' },
  { href: '/messages/', label: 'nav.messages' },
  { href: '/approvals/', label: 'nav.approvals' },
  { href: '/calendar/', label: 'nav.calendar' },
  { href: '/channels/', label: 'nav.channels' },
  { href: '/media/', label: 'nav.media' },
  { href: '/analytics/', label: 'analytics.nav' },
  { href: '/listening/', label: 'listening.nav' },
  { href: '/settings/', label: 'nav.settings' },
  { href: '/security/', label: 'nav.security' },
];

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="flex items-center gap-1 text-sm">
      <span>{t('shell.language')}</span>
      <select className="rounded border border-slate-500 bg-white px-1 py-0.5 text-slate-900" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {Object.entries(LOCALES).map(([code, l]) => (
          <option key={code} value={code} lang={code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Every signed-in screen: navigation, the suspension banner, language and sign-out. The signed
 * out are sent to sign in and brought back; the server stays the authority on every request.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const { t, bindUser } = useI18n();
  const me = useMe();
  const router = useRouter();
  const path = usePathname();
  const signOut = useSignOut();
  const live = useLiveUpdates(Boolean(me.data));
  useEffect(() => {
    if (me.data === null) router.replace(`/login/?next=${encodeURIComponent(path)}`);
    bindUser(me.data?.user.id);
  }, [me.data, path, router, bindUser]);
  if (!me.data) return <p className="p-6" role="status">{t('shell.loading')}</p>;
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
        {t('shell.skip')}
      </a>
      <header className="flex flex-wrap items-center gap-4 bg-slate-900 px-4 py-2 text-white">
        <span className="font-semibold">{t('shell.product')}</span>
        <nav aria-label={t('shell.navigation')}>
          <ul className="flex flex-wrap gap-3">
            {NAV.map((item) => (
              <li key={item.href}>
                <IntentLink href={item.href} aria-current={path === item.href ? 'page' : undefined} className="rounded px-1 underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-white aria-[current=page]:underline">
                  {t(item.label)}
                </IntentLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <LiveIndicator state={live} />
          <NotificationBell />
          <span className="text-sm">{me.data.user.displayName}</span>
          <LanguageSwitch />
          <Button tone="secondary" onClick={() => signOut.mutate(undefined, { onSettled: () => router.replace('/login/') })}>
            {t('shell.signOut')}
          </Button>
        </div>
      </header>
      <SuspensionBanner />
      <main id="main" className="mx-auto max-w-5xl p-4">
        <StepUpProvider>
          <FactorGate>{children}</FactorGate>
        </StepUpProvider>
      </main>
    </div>
  );
}
