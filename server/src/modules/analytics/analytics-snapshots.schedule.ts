/**
 * When a published post's metrics are read (issue 15): about +1 h, +24 h, +7 d and +30 d after
 * publishing, then every `cadenceDays` until the retention horizon. Networks that forget:
 * X gives non-public metrics only for 30 days, so its day-30 read happens an hour before the
 * deadline; an Instagram story's figures vanish at 24 h, so a story is read at +1 h, +12 h, +23 h.
 * Pure: the sweep stores the step reached and asks for the next due time.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const FIXED = [HOUR_MS, DAY_MS, 7 * DAY_MS, 30 * DAY_MS];
const STORY = [HOUR_MS, 12 * HOUR_MS, 23 * HOUR_MS];
/** Within the deadline, with room for a sweep, a retry and a rate-limit wait. */
const X_DAY_30 = 30 * DAY_MS - HOUR_MS;

export interface ScheduleOptions {
  network: string;
  story: boolean;
  cadenceDays: number;
  horizonDays: number;
}

/** Offset from publishing of the `step`th read, or undefined when the schedule is over. */
export function offsetOf(step: number, o: ScheduleOptions): number | undefined {
  if (o.story) return STORY[step];
  let offset: number;
  if (step < FIXED.length) offset = FIXED[step] as number;
  else offset = 30 * DAY_MS + (step - FIXED.length + 1) * o.cadenceDays * DAY_MS;
  if (o.network === 'x' && offset === 30 * DAY_MS) offset = X_DAY_30;
  return offset <= o.horizonDays * DAY_MS ? offset : undefined;
}

/**
 * After reading at `now`: the next step and when it is due, skipping steps already past (a
 * backlog after downtime reads once, not once per missed step). undefined: done.
 */
export function nextRead(publishedAt: Date, now: Date, o: ScheduleOptions, fromStep: number): { step: number; at: Date } | undefined {
  for (let step = fromStep; ; step += 1) {
    const offset = offsetOf(step, o);
    if (offset === undefined) return undefined;
    const at = publishedAt.getTime() + offset;
    if (at > now.getTime()) return { step, at: new Date(at) };
  }
}

/** Account figures (followers) once a day. */
export const ACCOUNT_EVERY_MS = DAY_MS;

/** Waiting after a failed read: 1, 2, 4 … minutes, at most six hours. */
export function failureBackoffMs(failures: number): number {
  return Math.min(6 * HOUR_MS, 60_000 * 2 ** Math.min(failures, 12));
}
