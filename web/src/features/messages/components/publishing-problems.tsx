'use client';
import { useI18n } from '@/lib/i18n/i18n';
import type { MessageDetail } from '../messages.keys';
import { languageName } from '../language';

/**
 * What each targeted network would refuse as the draft stands, from the server's own checks
 * (`publishing` on the saved message): shown before submitting, which would be refused until none remain.
 */
export function PublishingProblems({ problems }: { problems: MessageDetail['publishing'] | undefined }) {
  const { t, locale } = useI18n();
  if (!problems || problems.length === 0) return null;
  return (
    <section className="mb-4 rounded border border-amber-400 bg-amber-50 p-3 text-sm" aria-labelledby="publishing-problems">
      <h3 id="publishing-problems" className="font-medium text-amber-950">
        {t('composer.problemsTitle', { count: problems.length })}
      </h3>
      <ul className="mt-1 list-disc pl-5 text-amber-950">
        {problems.map((p, i) => (
          <li key={i}>
            {t('composer.problem', { network: t(`channels.${p.channel}`), language: languageName(p.language, locale), message: p.message })}
          </li>
        ))}
      </ul>
    </section>
  );
}
