'use client';
import { useT } from '@/lib/i18n/i18n';
import { PageHeading } from '@/ui/page-heading';

/** A screen whose API is not built yet, saying which issue brings it. */
export function ComingSoonScreen({ screen }: { screen: 'media' }) {
  const t = useT();
  return (
    <>
      <PageHeading>{t(`nav.${screen}`)}</PageHeading>
      <p>{t(`comingSoon.${screen}`)}</p>
    </>
  );
}
