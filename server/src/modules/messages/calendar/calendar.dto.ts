import { Buffer } from 'node:buffer';
import { z } from 'zod';
import { CHANNELS, LanguageTag } from '../message-content.js';
import { MESSAGE_STATUSES } from '../message-status.js';
import { MAX_QUERY_CHARS, daysBetween, isSearchable, listParam } from '../search/search-query.js';

/** The longest calendar view: a quarter. */
export const MAX_CALENDAR_DAYS = 92;
/**
 * A calendar lists at most this many messages at a time, earliest first, with a cursor to the
 * rest; the first page also counts the messages of each day of the whole range. A busy month
 * holds thousands: listing them at once cost ~65 ms and 1.7 MB at 5,000 (bench/README.md), more
 * than a month grid can show or a mission's connection wants to fetch before it draws anything.
 */
export const CALENDAR_PAGE_ITEMS = 500;
export const MAX_SEARCH_RESULTS = 50;

/** Repeated (`channel=x&channel=facebook`) or comma-separated (`channel=x,facebook`); any of them matches. */
const list = <T extends z.ZodType<string, string>>(item: T, max: number, what: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => listParam(v))
    .pipe(z.array(item).min(1).max(max))
    .optional()
    .describe(`${what}: repeat the parameter or separate with commas; a message matching any of them is returned`);

const Filters = {
  orgId: list(z.uuid(), 50, 'Organisations, each with the ones below it (within yours)'),
  channel: list(z.enum(CHANNELS), CHANNELS.length, 'Target networks'),
  status: list(z.enum(MESSAGE_STATUSES), MESSAGE_STATUSES.length, 'Statuses'),
  campaignId: z.uuid().optional(),
  tag: list(z.string().min(1).max(64), 20, 'Tags'),
  language: list(LanguageTag, 40, 'Languages of the current version (BCP 47)'),
};

const localDate = z.iso.date();

/** Where a calendar page ended: the last item's instant (epoch microseconds, exact) and id. */
export interface CalendarCursor {
  afterUs: string;
  afterId: string;
}

const CURSOR = /^(-?\d{1,19}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Opaque to clients: they pass `next` back as `after`. */
export function encodeCalendarCursor(c: CalendarCursor): string {
  return Buffer.from(`${c.afterUs}:${c.afterId}`).toString('base64url');
}

const Cursor = z
  .string()
  .max(100)
  .transform((v, ctx): CalendarCursor => {
    const m = CURSOR.exec(Buffer.from(v, 'base64url').toString('latin1'));
    if (!m) {
      ctx.addIssue({ code: 'custom', message: 'not a calendar cursor: pass back the `next` of the previous page' });
      return z.NEVER;
    }
    return { afterUs: m[1]!, afterId: m[2]! };
  });

export const CalendarQuery = z
  .strictObject({
    from: localDate.describe('First local day shown (YYYY-MM-DD), from its 00:00 in `zone`'),
    to: localDate.describe('Day after the last one shown: the view ends at its 00:00 in `zone`'),
    zone: z.string().min(1).max(64).describe('IANA time zone the days are counted in, e.g. Asia/Kolkata'),
    after: Cursor.optional().describe('The `next` of the previous page, with the same other parameters'),
    ...Filters,
  })
  .superRefine((q, ctx) => {
    const days = daysBetween(q.from, q.to);
    if (days <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from` (the range is [from, to))' });
    else if (days > MAX_CALENDAR_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_CALENDAR_DAYS} days at a time` });
  });

export const SearchQuery = z
  .strictObject({
    q: z
      .string()
      .trim()
      .min(1)
      .max(MAX_QUERY_CHARS)
      .refine(isSearchable, 'give at least one letter or digit')
      .describe('Words to find (web search syntax: "a phrase", or, -word); one-letter typos are tolerated'),
    from: z.iso.datetime({ offset: true }).optional().describe('Only messages scheduled at or after this instant'),
    to: z.iso.datetime({ offset: true }).optional().describe('Only messages scheduled before this instant'),
    limit: z.coerce.number().int().min(1).max(MAX_SEARCH_RESULTS).default(MAX_SEARCH_RESULTS),
    ...Filters,
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: '`to` must be after `from`' });

// Responses are parsed on the way out (undeclared fields dropped). A calendar month can hold
// thousands of items, and zod's uuid and enum checks cost ~4 µs an item where a plain string
// costs under one: the ids are ours, so they are declared as strings with the uuid format.
const id = z.string().meta({ format: 'uuid' });

const MessageSummary = {
  id,
  title: z.string(),
  status: z.string().meta({ enum: [...MESSAGE_STATUSES] }),
  orgId: id,
  campaignId: id.nullable(),
  // Deliveries (one publish record per channel) join here once the publishing module lands;
  // until then a message shows the channels it targets.
  channels: z.array(z.string()).describe('Networks the message targets'),
  languages: z.array(z.string()),
  tags: z.array(z.string()),
};

// A month view can list thousands of messages, so an item carries what a calendar draws (when,
// what, whose, where it goes, its state); languages and tags stay filters here and are shown by
// GET /messages/:id.
export const CalendarItem = z.object({
  id,
  title: z.string(),
  status: MessageSummary.status,
  orgId: id,
  campaignId: id.nullable().describe('For colouring by campaign'),
  channels: MessageSummary.channels,
  scheduledAt: z.string().describe('The instant, ISO 8601 UTC'),
  localDate: z.string().describe('Its day in the requested zone'),
  localTime: z.string().describe('Its wall-clock time in the requested zone, HH:mm:ss'),
  schedule: z.object({ local: z.string(), zone: z.string() }).describe('The time as it was chosen: wall-clock time in its own zone'),
});
export type CalendarItem = z.output<typeof CalendarItem>;

export const CalendarView = z.object({
  from: z.string(),
  to: z.string(),
  zone: z.string(),
  range: z.object({ from: z.string(), to: z.string() }).describe('The instants covered: [from, to)'),
  days: z
    .array(z.object({ date: z.string(), count: z.number().int() }))
    .nullable()
    .describe('Local days of the whole range that have messages, with how many (all pages); on the first page only, null after'),
  items: z.array(CalendarItem).describe(`Earliest first, at most ${CALENDAR_PAGE_ITEMS}`),
  next: z.string().nullable().describe('More messages follow: ask again with `after` set to this; null on the last page'),
});
export type CalendarView = z.output<typeof CalendarView>;

export const SearchResult = z.object({
  ...MessageSummary,
  scheduledAt: z.string().nullable(),
  match: z.object({
    language: z.string().describe('The language whose text matched best'),
    channel: z.string().nullable().describe('Set when the match is in a channel variant'),
    exact: z.boolean().describe('False when found only by similarity (a typo)'),
    score: z.number(),
    snippet: z
      .array(z.object({ text: z.string(), match: z.boolean() }))
      .describe('Plain-text parts of an excerpt; render `match` parts highlighted. Fragments are joined by " … "'),
  }),
});

export const SearchView = z.object({ items: z.array(SearchResult).describe('Best first') });
