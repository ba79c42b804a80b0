import { useI18n } from '@/lib/i18n/i18n';

/** A moment that happened (a version saved, an audit record), in the viewer's zone, which it names. */
export function Instant({ at }: { at: string }) {
  const { locale } = useI18n();
  const text = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZoneName: 'short' }).format(new Date(at));
  return <time dateTime={at}>{text}</time>;
}
