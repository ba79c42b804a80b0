/**
 * Schedules are chosen as a wall-clock time in an IANA zone ("09:00 in Paris"), stored as the
 * zone plus the local time, and turned into an instant only when needed, so 09:00 stays 09:00
 * across DST changes and tzdata updates.
 *
 * The arithmetic is Temporal's (temporal-polyfill, until Node ships Temporal): its
 * disambiguation rules are the standard answer to "what does a local time that does not exist,
 * or exists twice, mean", and hand-written offset searches get Lord Howe's 30-minute shift or
 * Samoa's skipped day wrong. Malformed input throws RangeError; callers validate first with
 * isIanaZone and the formats below.
 */
import { Temporal } from 'temporal-polyfill';

/** How a local time was resolved: as given, moved forward out of a DST gap, or the earlier of two. */
export type WallTimeAdjustment = 'none' | 'gap' | 'overlap';

export interface ZonedInstant {
  instant: Date;
  adjusted: WallTimeAdjustment;
}

export interface InstantRange {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

// Strict shapes: Temporal's own parsers also take offsets, fractions and week dates, which a
// schedule must not carry (an offset would silently override the zone).
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$/; // no 24:00, no :60
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_MONTH = /^\d{4}-\d{2}$/;
// Every IANA name segment starts with a letter ('Etc/GMT+5', 'America/Port-au-Prince'): this
// refuses offset zones ('+05:30') that Temporal would otherwise accept.
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z][A-Za-z0-9_+-]*)*$/;

/**
 * True for a zone name from the IANA database, links included ('Asia/Kolkata', 'Asia/Calcutta',
 * 'UTC', 'US/Eastern'), spelt with its exact case. Intl.supportedValuesOf('timeZone') is not
 * enough on Node 20: its ICU lists 'Asia/Calcutta' but not 'Asia/Kolkata', nor 'UTC'.
 */
export function isIanaZone(zone: string): boolean {
  if (!IANA_SHAPE.test(zone)) return false;
  try {
    // Temporal accepts names case-insensitively and reports them in their IANA case.
    return Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone).timeZoneId === zone;
  } catch {
    return false; // RangeError: not a zone this runtime's tzdata knows
  }
}

function assertZone(zone: string): void {
  if (!isIanaZone(zone)) throw new RangeError(`not an IANA time zone: ${JSON.stringify(zone)}`);
}

function parse<T>(value: string, shape: RegExp, what: string, from: (v: string) => T): T {
  if (!shape.test(value)) throw new RangeError(`not a ${what}: ${JSON.stringify(value)}`);
  return from(value); // overflow 'reject' (the default for strings) refuses 2026-02-30
}

/**
 * The instant of a local time ('YYYY-MM-DDTHH:mm' or with ':ss') in a zone. In a DST gap
 * (02:30 on the night Paris springs forward) the time moves forward by the gap's length (03:30),
 * and in an overlap (02:30 on the night it falls back) the earlier instant is taken: Temporal's
 * 'compatible' disambiguation, the same as RFC 5545 calendars. `adjusted` says which happened so
 * the interface can tell the user.
 */
export function instantFromWallTime(local: string, zone: string): ZonedInstant {
  assertZone(zone);
  const wall = parse(local, LOCAL_DATE_TIME, 'local date-time', (v) => Temporal.PlainDateTime.from(v));
  const earlier = wall.toZonedDateTime(zone, { disambiguation: 'earlier' });
  const later = wall.toZonedDateTime(zone, { disambiguation: 'later' });
  const chosen = wall.toZonedDateTime(zone, { disambiguation: 'compatible' });
  let adjusted: WallTimeAdjustment = 'none';
  if (!chosen.toPlainDateTime().equals(wall)) adjusted = 'gap';
  else if (earlier.epochMilliseconds !== later.epochMilliseconds) adjusted = 'overlap';
  return { instant: new Date(chosen.epochMilliseconds), adjusted };
}

function zoned(instant: Date, zone: string): Temporal.ZonedDateTime {
  assertZone(zone);
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
}

/** The local time of an instant in a zone, 'YYYY-MM-DDTHH:mm:ss' (sub-seconds dropped). */
export function wallTimeOf(instant: Date, zone: string): string {
  return zoned(instant, zone).toPlainDateTime().toString({ smallestUnit: 'second' });
}

/** The local date of an instant in a zone, 'YYYY-MM-DD': which calendar day a post falls on. */
export function localDateOf(instant: Date, zone: string): string {
  return zoned(instant, zone).toPlainDate().toString();
}

/** First instant of a local date. Not always 00:00: where DST starts at midnight, it is 01:00. */
function startOfDay(date: Temporal.PlainDate, zone: string): Date {
  return new Date(date.toZonedDateTime({ timeZone: zone }).epochMilliseconds);
}

/**
 * The instants of the local days [fromLocalDate, toLocalDateExclusive) in a zone, for querying a
 * calendar view. A day is not always 24 hours (23, 25, 23.5 on Lord Howe; none at all for Samoa's
 * skipped 2011-12-30), so the ends are computed, never added.
 */
export function zonedRange(fromLocalDate: string, toLocalDateExclusive: string, zone: string): InstantRange {
  assertZone(zone);
  const from = parse(fromLocalDate, LOCAL_DATE, 'local date', (v) => Temporal.PlainDate.from(v));
  const to = parse(toLocalDateExclusive, LOCAL_DATE, 'local date', (v) => Temporal.PlainDate.from(v));
  if (Temporal.PlainDate.compare(from, to) > 0) throw new RangeError('range ends before it starts');
  return { from: startOfDay(from, zone), to: startOfDay(to, zone) };
}

/** One local day ('YYYY-MM-DD') or one local month ('YYYY-MM') as a range of instants. */
export function zonedDayRange(dayOrMonth: string, zone: string): InstantRange {
  if (LOCAL_MONTH.test(dayOrMonth)) {
    const month = Temporal.PlainYearMonth.from(dayOrMonth);
    const first = month.toPlainDate({ day: 1 });
    return zonedRange(first.toString(), first.add({ months: 1 }).toString(), zone);
  }
  const day = parse(dayOrMonth, LOCAL_DATE, 'local date or month', (v) => Temporal.PlainDate.from(v));
  return zonedRange(day.toString(), day.add({ days: 1 }).toString(), zone);
}

/** An instant's local day ('YYYY-MM-DD') and wall-clock time ('HH:mm:ss') in a zone. */
export interface LocalDateTime {
  date: string;
  time: string;
}

/**
 * A zone's UTC offsets over a range: `offsetsMs[i]` applies from `transitions[i - 1]` (or the
 * range's start) until `transitions[i]` (or its end). Usually one offset, two across a DST
 * change. With these the database can put instants on local days by the same tzdata as
 * zonedRange (Node's), which may be a different release from the database's.
 */
export interface ZoneOffsets {
  transitions: Date[];
  offsetsMs: number[];
}

export function zoneOffsets(zone: string, range: InstantRange): ZoneOffsets {
  assertZone(zone);
  const end = range.to.getTime();
  let at = Temporal.Instant.fromEpochMilliseconds(range.from.getTime()).toZonedDateTimeISO(zone);
  const out: ZoneOffsets = { transitions: [], offsetsMs: [at.offsetNanoseconds / 1e6] };
  for (let next = at.getTimeZoneTransition('next'); next && next.epochMilliseconds < end; next = at.getTimeZoneTransition('next')) {
    at = next;
    out.transitions.push(new Date(at.epochMilliseconds));
    out.offsetsMs.push(at.offsetNanoseconds / 1e6);
  }
  return out;
}

/**
 * A fast wallTimeOf for many instants of one range, given as epoch milliseconds (sub-seconds
 * dropped). A Temporal conversion costs ~75 µs, so the range's offsets are looked up once and
 * each instant is shifted by its offset, well under a microsecond. Instants outside the range
 * take Temporal's path.
 */
export function zoneClock(zone: string, range: InstantRange): (epochMs: number) => LocalDateTime {
  const { transitions, offsetsMs } = zoneOffsets(zone, range);
  const start = range.from.getTime();
  const end = range.to.getTime();
  const until = [...transitions.map((t) => t.getTime()), end];
  const wall = (ms: number): LocalDateTime => {
    const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
    return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
  };
  return (ms) => {
    if (ms >= start && ms < end) {
      let i = 0;
      while (ms >= until[i]!) i++;
      return wall(ms + offsetsMs[i]!);
    }
    return wall(ms + Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6);
  };
}
