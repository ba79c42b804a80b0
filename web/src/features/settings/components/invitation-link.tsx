'use client';
import { useId, useState } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';

/**
 * The link a new invitation is accepted at. The server gives its token once, in the answer to
 * the invitation, and keeps only a hash: this is the one chance to copy it (for sending by a
 * channel of one's own when the invitation email cannot be relied on).
 */
export function InvitationLink({ email, url }: { email: string; url: string }) {
  const t = useT();
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    setCopied(null);
    navigator.clipboard.writeText(url).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <div className="my-2 rounded border border-emerald-300 bg-emerald-50 p-2 text-sm">
      <label htmlFor={id} className="block font-medium text-slate-900">
        {t('settingsMore.invitationLink', { email })}
      </label>
      <p className="mb-1 text-slate-800">{t('settingsMore.invitationLinkOnce')}</p>
      <div className="flex flex-wrap items-center gap-2">
        <input id={id} readOnly value={url} className="min-w-0 flex-1 rounded border border-slate-500 bg-white px-1 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <Button tone="secondary" onClick={copy}>
          {t('settingsMore.copyLink')}
        </Button>
      </div>
      <p role="status" className="min-h-5 text-slate-900">
        {copied === 'yes' ? t('settingsMore.copied') : copied === 'failed' ? t('settingsMore.copyFailed') : null}
      </p>
    </div>
  );
}
