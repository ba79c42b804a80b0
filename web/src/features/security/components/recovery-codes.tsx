'use client';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';

/** Shown once: the server keeps only their hashes. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const t = useT();
  return (
    <div className="my-3">
      <Alert tone="warning">{t('security.recoveryCodesOnce')}</Alert>
      <ul aria-label={t('security.recoveryCodesTitle')} className="grid grid-cols-2 gap-1 font-mono text-sm">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </div>
  );
}
