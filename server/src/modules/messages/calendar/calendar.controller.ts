import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { Route } from '../../../platform/http/route.decorator.js';
import { CalendarService } from './calendar.service.js';
import { SearchService } from '../search/search.service.js';
import * as dto from './calendar.dto.js';

type Filtered = z.infer<typeof dto.CalendarQuery> | z.infer<typeof dto.SearchQuery>;

const filters = (q: Filtered) => ({ orgIds: q.orgId, channels: q.channel, statuses: q.status, campaignId: q.campaignId, tags: q.tag, languages: q.language });

/** Finding messages: by day in a time zone, and by what they say. */
@Controller('api/v1')
export class CalendarController {
  constructor(
    private readonly finder: CalendarService,
    private readonly searcher: SearchService,
  ) {}

  @Get('calendar')
  @Route({
    summary: `Messages scheduled on the local days [from, to) of a time zone (at most ${dto.MAX_CALENDAR_DAYS} days), earliest first, ${dto.CALENDAR_PAGE_ITEMS} a page, with counts per day`,
    access: 'content.read',
    tags: ['calendar'],
    query: dto.CalendarQuery,
    response: dto.CalendarView,
    errors: ['invalid_zone'],
  })
  calendar(@Query() q: z.infer<typeof dto.CalendarQuery>) {
    return this.finder.calendar({ from: q.from, to: q.to, zone: q.zone, after: q.after, ...filters(q) }, dto.CALENDAR_PAGE_ITEMS);
  }

  @Get('messages/search')
  @Route({
    summary: 'Full-text search of current message texts, typo-tolerant; one result per message, best first',
    access: 'content.read',
    tags: ['messages'],
    query: dto.SearchQuery,
    response: dto.SearchView,
  })
  search(@Query() q: z.infer<typeof dto.SearchQuery>) {
    return this.searcher.search({ q: q.q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: q.limit, ...filters(q) });
  }
}
