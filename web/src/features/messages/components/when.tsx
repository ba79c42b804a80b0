import { useI18n } from '@/lib/i18n/i18n';

/** A scheduled time as it was chosen, always with its zone: "7 Dec 2026, 09:00 (Europe/Paris)". */
export function When({ local, zone }: { local: string; zone: string }) {
  const { locale } = useI18n();
  const [date = '', time = '00:00'] = local.split('T');
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
  return (
    <time dateTime={local}>
      {day}, {time.slice(0, 5)} ({zone})
    </time>
  );
}
