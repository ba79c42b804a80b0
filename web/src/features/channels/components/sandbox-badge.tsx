'use client';
import { useT } from '@/lib/i18n/i18n';

/** Sandbox accounts are practice networks on this machine: never mistaken for a real account. */
export function SandboxBadge() {
  const t = useT();
  return (
    <span title={t('connect.sandboxHint')} className="ml-1 rounded border border-amber-700 bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-950">
      {t('connect.sandbox')}
    </span>
  );
}
