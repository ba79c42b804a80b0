/** Plain calendar dates (YYYY-MM-DD), computed in UTC so no local offset shifts a day. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function monthRange(year: number, month: number): { from: string; to: string } {
  return { from: isoDate(new Date(Date.UTC(year, month, 1))), to: isoDate(new Date(Date.UTC(year, month + 1, 1))) };
}

/** The days of a month grid, Monday first, padded with nulls before the 1st. */
export function monthGrid(year: number, month: number): (string | null)[] {
  const first = new Date(Date.UTC(year, month, 1));
  const lead = (first.getUTCDay() + 6) % 7;
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return [...Array<null>(lead).fill(null), ...Array.from({ length: days }, (_, i) => isoDate(new Date(Date.UTC(year, month, i + 1))))];
}

/** Today in a zone, as that zone's calendar shows it. */
export function todayIn(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return isoDate(d);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The Monday-to-Sunday week holding a date: [from, to). */
export function weekRange(date: string): { from: string; to: string } {
  const from = addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
  return { from, to: addDays(from, 7) };
}

/**
 * A wall-clock time ("YYYY-MM-DDTHH:mm[:ss]") moved by whole days, the time of day kept: a
 * message dragged to another day still goes out at 09:00 in its own zone, even across DST.
 */
export function shiftLocal(local: string, days: number): string {
  return `${addDays(local.slice(0, 10), days)}${local.slice(10)}`;
}
