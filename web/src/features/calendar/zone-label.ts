/** Formatters are costly to build and a month shows hundreds of times: one per zone and locale. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A zone's short name at an instant ("IST", "CET" or "GMT+5:30"): it can change within a month (DST). */
export function zoneAbbreviation(zone: string, instant: string | Date, locale = 'en'): string {
  const key = `${locale}|${zone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' });
    formatters.set(key, f);
  }
  return f.formatToParts(typeof instant === 'string' ? new Date(instant) : instant).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}
