'use client';
import { useId, useState, type FormEvent } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { NETWORK_FILTERS, NO_FILTERS, SENTIMENT_FILTERS, type CommentFilters as Filters } from '../listening.keys';

const SELECT = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1.5 text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-700';

/** Search and filters, applied together with one button (or Enter), so a keyboard user is never surprised. */
export function CommentFilters({ value, onApply }: { value: Filters; onApply: (f: Filters) => void }) {
  const t = useT();
  const id = useId();
  const [draft, setDraft] = useState(value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  return (
    <form role="search" aria-label={t('listening.filters')} onSubmit={submit} className="mb-4 rounded border border-slate-300 bg-white p-4" noValidate>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField label={t('listening.search')} type="search" value={draft.q} hint={t('listening.searchHint')} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
        <div className="mb-3">
          <label htmlFor={`${id}-s`} className="block text-sm font-medium text-slate-900">{t('listening.sentiment')}</label>
          <select id={`${id}-s`} className={SELECT} value={draft.sentiment} onChange={(e) => setDraft({ ...draft, sentiment: e.target.value as Filters['sentiment'] })}>
            <option value="">{t('listening.any')}</option>
            {SENTIMENT_FILTERS.map((s) => (
              <option key={s} value={s}>{t(`analytics.sentiments.${s}`)}</option>
            ))}
          </select>
        </div>
        <div className="mb-3">
          <label htmlFor={`${id}-n`} className="block text-sm font-medium text-slate-900">{t('listening.network')}</label>
          <select id={`${id}-n`} className={SELECT} value={draft.network} onChange={(e) => setDraft({ ...draft, network: e.target.value as Filters['network'] })}>
            <option value="">{t('listening.any')}</option>
            {NETWORK_FILTERS.map((n) => (
              <option key={n} value={n}>{t(`channels.${n}`)}</option>
            ))}
          </select>
        </div>
        <TextField label={t('listening.language')} value={draft.lang} hint={t('listening.languageHint')} onChange={(e) => setDraft({ ...draft, lang: e.target.value })} />
        <TextField label={t('listening.message')} value={draft.messageId} hint={t('listening.messageHint')} onChange={(e) => setDraft({ ...draft, messageId: e.target.value })} />
      </div>
      <div className="flex gap-2">
        <Button type="submit">{t('listening.apply')}</Button>
        <Button
          tone="secondary"
          onClick={() => {
            setDraft(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          {t('listening.clear')}
        </Button>
      </div>
    </form>
  );
}
