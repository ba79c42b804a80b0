'use client';
import { useMemo, useState } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { browserZone } from '@/lib/time/zones';
import { PageHeading } from '@/ui/page-heading';
import { rangeOf } from '@/features/analytics/analytics.keys';
import { useBreakdown } from '@/features/analytics/hooks/use-analytics';
import { SentimentShare } from '@/features/analytics/components/sentiment-share';
import { commentsQuery, NO_FILTERS } from '../listening.keys';
import { AlertsSection } from './alerts-section';
import { CommentFilters } from './comment-filters';
import { CommentsList } from './comments-list';

/** What the public says about our posts: spikes first, the sentiment over 30 days, then every comment. */
export function ListeningScreen() {
  const t = useT();
  const [filters, setFilters] = useState(NO_FILTERS);
  const query = useMemo(() => commentsQuery(filters), [filters]);
  const [range] = useState(() => ({ ...rangeOf(30, browserZone(), Date.now()), bucket: 'day' as const }));
  const breakdown = useBreakdown(range);
  return (
    <>
      <PageHeading>{t('listening.title')}</PageHeading>
      <p className="mb-4 text-sm text-slate-800">{t('listening.intro')}</p>
      <AlertsSection />
      {breakdown.data ? <SentimentShare sentiment={breakdown.data.sentiment} zone={breakdown.data.zone} bucket="day" /> : null}
      <CommentFilters value={filters} onApply={setFilters} />
      <CommentsList query={query} />
    </>
  );
}
