import { useI18n, type MessageKey } from '@/lib/i18n/i18n';
import type { WordDiff as Diff } from '../messages.keys';
import { directionOf, languageName } from '../language';

/**
 * A word diff as text: insertions and deletions marked by <ins>/<del> with underline and
 * strike-through as well as colour, and named for screen readers.
 */
export function WordDiff({ diff }: { diff: Diff }) {
  const { t, locale } = useI18n();
  const changed = diff.bodies.filter((b) => b.status !== 'unchanged');
  if (changed.length === 0 && diff.otherChanges.length === 0) return <p>{t('detail.noTextChanges')}</p>;
  return (
    <div className="space-y-2">
      {changed.map((b) => (
        <section key={`${b.language}:${b.channel ?? ''}`} className="rounded border border-slate-300 bg-white p-2">
          <h4 className="text-sm font-semibold">
            {b.channel ? t('detail.diffLanguageChannel', { language: languageName(b.language, locale), channel: t(`channels.${b.channel}` as MessageKey) }) : languageName(b.language, locale)}
            {' · '}
            {t(`detail.diffStatus.${b.status}`)}
          </h4>
          <p lang={b.language} dir={directionOf(b.language)} className="whitespace-pre-wrap">
            {b.parts.map((part, i) =>
              part.op === 'insert' ? (
                <ins key={i} className="bg-emerald-100 text-emerald-950 underline">
                  <span className="sr-only">{t('detail.inserted')} </span>
                  {part.text}
                </ins>
              ) : part.op === 'delete' ? (
                <del key={i} className="bg-red-100 text-red-950 line-through">
                  <span className="sr-only">{t('detail.deleted')} </span>
                  {part.text}
                </del>
              ) : (
                <span key={i}>{part.text}</span>
              ),
            )}
          </p>
        </section>
      ))}
      {diff.otherChanges.length > 0 ? <p className="text-sm">{t('detail.otherChanges', { fields: diff.otherChanges.join(', ') })}</p> : null}
    </div>
  );
}
