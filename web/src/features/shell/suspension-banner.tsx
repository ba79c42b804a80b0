'use client';
import { useT } from '@/lib/i18n/i18n';
import { useSuspension } from './hooks/use-suspension';

/** On every screen for every user while publishing is suspended here or above. */
export function SuspensionBanner() {
  const t = useT();
  const { data } = useSuspension(true);
  if (!data?.suspended || !data.suspension) return null;
  return (
    <div role="alert" className="border-b-4 border-red-800 bg-red-100 px-4 py-2 text-red-950">
      <strong>{t('shell.suspended')}</strong> {/* The reason is a user's text: rendered as text. */}
      <span>{t('shell.suspendedReason', { reason: data.suspension.reason })}</span>
    </div>
  );
}
