/**
 * Quiet hours are wall-clock minutes in the person's own IANA zone ("22:00 to 07:00 where I
 * am"), so they must follow that zone's offset on the night in question: a fixed offset would
 * wake someone an hour early or late on either side of a DST change. Everything here goes
 * through Intl with the zone's rules; nothing adds offsets by hand.
 */
export interface QuietHours {
  zone: string;
  /** Minutes after local midnight, 0..1439; start > end spans midnight. */
  start: number;
  end: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

export function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall-clock minute of `at` in `zone`. */
export function localMinuteOf(at: Date, zone: string): number {
  let hour = 0;
  let minute = 0;
  for (const p of formatterFor(zone).formatToParts(at)) {
    if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return hour * 60 + minute;
}

export function isQuiet(at: Date, q: QuietHours): boolean {
  if (q.start === q.end) return false;
  const m = localMinuteOf(at, q.zone);
  return q.start < q.end ? m >= q.start && m < q.end : m >= q.start || m < q.end;
}

/**
 * The first instant at or after `at` outside quiet hours. Walks forward a minute at a time
 * (at most a day and an hour), which lands correctly when the end falls in a DST gap (02:30 on
 * a spring-forward night ends at 03:00) or repeats (the first 07:00 is the one that counts).
 */
export function quietEndsAt(at: Date, q: QuietHours): Date {
  if (!isQuiet(at, q)) return at;
  let t = Math.ceil(at.getTime() / 60_000) * 60_000;
  for (let i = 0; i < 25 * 60; i++, t += 60_000) {
    if (!isQuiet(new Date(t), q)) return new Date(t);
  }
  return new Date(t);
}

/** "HH:MM" ↔ minutes, for the API. */
export function parseClock(s: string): number {
  const [h, m] = s.split(':').map(Number);
  return h! * 60 + m!;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const weekdays = new Map<string, Intl.DateTimeFormat>();

function weekdayOf(at: Date, zone: string): string {
  let f = weekdays.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short' });
    weekdays.set(zone, f);
  }
  return f.format(at);
}

/** Digests go out at 08:00 local: every day, or on Mondays. */
export const DIGEST_MINUTE = 8 * 60;

/**
 * The next digest instant after `at`. Walks in 15-minute steps from a 15-minute boundary: every
 * zone's offset and every DST shift is a multiple of 15 minutes, so 08:00 local is always a step.
 */
export function nextDigestAt(at: Date, zone: string, cadence: 'daily' | 'weekly'): Date {
  const step = 15 * 60_000;
  let t = Math.floor(at.getTime() / step) * step + step;
  for (let i = 0; i < 8 * 24 * 4 + 8; i++, t += step) {
    const d = new Date(t);
    if (localMinuteOf(d, zone) === DIGEST_MINUTE && (cadence === 'daily' || weekdayOf(d, zone) === 'Mon')) return d;
  }
  return new Date(t);
}
