'use client';
import { useT } from '@/lib/i18n/i18n';
import { PageHeading } from '@/ui/page-heading';
import { Tab, TabList, TabPanel, Tabs } from '@/ui/tabs';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { useMessages } from '@/features/messages/hooks/use-messages';
import { MessageTable } from '@/features/messages/components/messages-screen';

/** The inbox: waiting for my decision, what I created, and what came back with changes requested. */
export function ApprovalsScreen() {
  const t = useT();
  const me = useMe().data;
  const waiting = useMessages({ status: 'in_review' });
  const changes = useMessages({ status: 'changes_requested' });
  const mine = useMessages();
  const lists = {
    waiting: can(me, 'content.approve') ? (waiting.data?.items.filter((m) => m.createdBy !== me?.user.id) ?? []) : [],
    mine: mine.data?.items.filter((m) => m.createdBy === me?.user.id && m.status !== 'draft') ?? [],
    changes: changes.data?.items ?? [],
  };
  return (
    <>
      <PageHeading>{t('approvals.title')}</PageHeading>
      <Tabs defaultValue="waiting">
        <TabList label={t('approvals.title')}>
          <Tab value="waiting">{t('approvals.waiting', { count: lists.waiting.length })}</Tab>
          <Tab value="mine">{t('approvals.mine', { count: lists.mine.length })}</Tab>
          <Tab value="changes">{t('approvals.changes', { count: lists.changes.length })}</Tab>
        </TabList>
        {(Object.keys(lists) as (keyof typeof lists)[]).map((key) => (
          <TabPanel key={key} value={key} className="pt-3">
            {lists[key].length ? <MessageTable items={lists[key]} caption={t(`approvals.${key}`, { count: lists[key].length })} href={(id) => `/approvals/review/?id=${id}`} /> : <p>{t('approvals.none')}</p>}
          </TabPanel>
        ))}
      </Tabs>
    </>
  );
}
