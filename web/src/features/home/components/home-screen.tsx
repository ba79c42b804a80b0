'use client';
import { browserZone } from '@/lib/time/zones';
import { useT } from '@/lib/i18n/i18n';
import { IntentLink as Link } from '@/ui/intent-link';
import { PageHeading } from '@/ui/page-heading';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { nextDay, todayIn } from '@/features/calendar/dates';
import { useCalendar } from '@/features/calendar/hooks/use-calendar';
import { useMessages } from '@/features/messages/hooks/use-messages';
import { StatusBadge } from '@/features/messages/components/status-badge';

/** What needs me now: approvals waiting for me, my messages sent back, and today's schedule. */
export function HomeScreen() {
  const t = useT();
  const me = useMe().data;
  const zone = browserZone();
  const today = todayIn(zone);
  const waiting = useMessages({ status: 'in_review' });
  const changes = useMessages({ status: 'changes_requested' });
  const schedule = useCalendar({ from: today, to: nextDay(today), zone });
  const forMe = can(me, 'content.approve') ? (waiting.data?.items.filter((m) => m.createdBy !== me?.user.id) ?? []) : [];
  const sentBack = changes.data?.items.filter((m) => m.createdBy === me?.user.id) ?? [];
  return (
    <>
      <PageHeading>{t('home.title', { name: me?.user.displayName ?? '' })}</PageHeading>
      <div className="grid gap-4 md:grid-cols-2">
        <section className="rounded border border-slate-300 bg-white p-4" aria-labelledby="home-approvals">
          <h2 id="home-approvals" className="mb-2 font-semibold">{t('home.approvals', { count: forMe.length })}</h2>
          <ul>
            {forMe.map((m) => (
              <li key={m.id}>
                <Link className="text-indigo-800 underline" href={`/approvals/review/?id=${m.id}`}>{m.title}</Link>
              </li>
            ))}
          </ul>
        </section>
        <section className="rounded border border-slate-300 bg-white p-4" aria-labelledby="home-changes">
          <h2 id="home-changes" className="mb-2 font-semibold">{t('home.changes', { count: sentBack.length })}</h2>
          <ul>
            {sentBack.map((m) => (
              <li key={m.id}>
                <Link className="text-indigo-800 underline" href={`/messages/view/?id=${m.id}`}>{m.title}</Link>
              </li>
            ))}
          </ul>
        </section>
        <section className="rounded border border-slate-300 bg-white p-4 md:col-span-2" aria-labelledby="home-today">
          <h2 id="home-today" className="mb-2 font-semibold">{t('home.today', { zone })}</h2>
          {schedule.data?.items.length ? (
            <ul>
              {schedule.data.items.map((item) => (
                <li key={item.id} className="flex gap-2">
                  <span>{item.localTime.slice(0, 5)}</span>
                  <Link className="text-indigo-800 underline" href={`/messages/view/?id=${item.id}`}>{item.title}</Link>
                  <StatusBadge status={item.status} />
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('home.nothingToday')}</p>
          )}
        </section>
      </div>
    </>
  );
}
