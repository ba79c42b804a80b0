import { useI18n } from '@/lib/i18n/i18n';

/**
 * A moment that happened (a version saved, an audit record), in the viewer's zone, which it
 * names. Separate fields because Intl refuses dateStyle together with timeZoneName.
 */
export function Instant({ at }: { at: string }) {
  const { locale } = useI18n();
  const text = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(at));
  return <time dateTime={at}>{text}</time>;
}
