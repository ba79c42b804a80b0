'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { problemText } from '@/features/shell/problem-text';
import { useChooseAccounts, useConnectAttempt } from '../hooks/use-channels';
import { SandboxBadge } from './sandbox-badge';

/** When the network offers several accounts (pages, organisations), the officer picks which to connect. */
export function ChooseAccounts({ attemptId }: { attemptId: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const attempt = useConnectAttempt(attemptId);
  const choose = useChooseAccounts();
  const [picked, setPicked] = useState<string[]>([]);
  const a = attempt.data;
  const error = attempt.error ?? choose.error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (picked.length === 0) return;
    choose.mutate({ id: attemptId, accountIds: picked }, { onSuccess: (r) => router.replace(`/channels/?connected=${r.items[0]?.id ?? ''}`) });
  };
  return (
    <section aria-labelledby="choose-heading" className="mb-6 rounded border border-indigo-700 bg-white p-4">
      <h2 id="choose-heading" className="mb-2 text-lg font-semibold">
        {t('connect.chooseTitle')} {a ? <>({t(`channels.${a.network}`)}{a.sandbox ? <SandboxBadge /> : null})</> : null}
      </h2>
      {error ? <Alert>{error instanceof ApiError ? problemText(t, error) : t('errors.unknown_error')}</Alert> : null}
      {!a ? null : a.completed ? (
        <p>{t('connect.chooseDone')}</p>
      ) : a.candidates.length === 0 ? (
        <p>{t('connect.chooseNone')}</p>
      ) : (
        <form onSubmit={submit}>
          <fieldset className="mb-3">
            <legend className="mb-1 text-sm">{t('connect.chooseIntro')}</legend>
            {a.candidates.map((c) => (
              <label key={c.accountId} className="flex items-center gap-2 py-0.5 text-sm">
                <input
                  type="checkbox"
                  className="focus-visible:outline-2 focus-visible:outline-indigo-700"
                  checked={picked.includes(c.accountId)}
                  onChange={(e) => setPicked(e.target.checked ? [...picked, c.accountId] : picked.filter((p) => p !== c.accountId))}
                />
                <span>{c.displayName}</span>
                {c.handle ? <span className="text-slate-700">{c.handle}</span> : null}
              </label>
            ))}
          </fieldset>
          <Button type="submit" disabled={picked.length === 0 || choose.isPending}>{t('connect.chooseSubmit')}</Button>
        </form>
      )}
    </section>
  );
}
