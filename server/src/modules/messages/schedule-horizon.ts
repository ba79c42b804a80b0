import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { messageError } from './messages.errors.js';

const DAY_MS = 86_400_000;

/**
 * How far ahead a message may be scheduled or embargoed (GUDDU_SCHEDULE_HORIZON_DAYS). A time in
 * the year 9999 is a slip of the keyboard, and accepting it would hold a message (or a scheduler
 * entry) for ever; the caller is told the limit so they can correct the date.
 */
@Injectable()
export class ScheduleHorizon {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  /** The last instant that may be chosen now. */
  limit(now = Date.now()): Date {
    return new Date(now + this.config.scheduleHorizonDays * DAY_MS);
  }

  assertSchedule(at: Date): void {
    const limit = this.limit();
    if (at > limit) throw messageError('schedule_beyond_horizon', `A message can be scheduled at most ${this.config.scheduleHorizonDays} days ahead`, { limit: limit.toISOString() });
  }

  assertEmbargo(until: Date | null | undefined): void {
    if (!until) return;
    const limit = this.limit();
    if (until > limit) throw messageError('embargo_beyond_horizon', `An embargo can end at most ${this.config.scheduleHorizonDays} days ahead`, { limit: limit.toISOString() });
  }
}
