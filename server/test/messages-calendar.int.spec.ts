import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDAR_PAGE_ITEMS } from '../src/modules/messages/calendar/calendar.dto.js';
import { localDateOf, wallTimeOf, zoneOffsets, zonedRange } from '../src/platform/time/wall-time.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { addUser, call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

// Finding messages: the calendar of a time zone and full-text search, through the HTTP API, on a
// real PostgreSQL with row-level security. Messages are created and scheduled through the API.

let t: TestApp;
// A year ahead: schedules must be in the future.
const Y = new Date().getUTCFullYear() + 1;

interface Created {
  id: string;
  title: string;
}

async function createMessage(
  as: Session,
  m: { title: string; bodies: Record<string, string>; channels?: string[]; tags?: string[]; orgId?: string; campaignId?: string },
): Promise<{ id: string; revision: number }> {
  const res = await call(t, {
    method: 'POST',
    url: '/api/v1/messages',
    token: as.accessToken,
    payload: {
      title: m.title,
      content: { bodies: m.bodies, channels: m.channels ?? ['x', 'facebook'] },
      tags: m.tags ?? [],
      ...(m.orgId ? { orgId: m.orgId } : {}),
      ...(m.campaignId ? { campaignId: m.campaignId } : {}),
    },
  });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string; revision: number }>();
}

/** Creates a message and sets its time: `local` is 'MM-DDTHH:mm' in year Y. */
async function scheduled(as: Session, local: string, zone: string, m: Parameters<typeof createMessage>[1]): Promise<Created> {
  const { id, revision } = await createMessage(as, m);
  const res = await call(t, {
    method: 'PUT',
    url: `/api/v1/messages/${id}/schedule`,
    token: as.accessToken,
    headers: { 'if-match': `"${revision}"` },
    payload: { local: `${Y}-${local}`, zone },
  });
  if (res.statusCode !== 200) throw new Error(`schedule failed: ${res.statusCode} ${res.body}`);
  return { id, title: m.title };
}

interface CalendarItem {
  id: string;
  title: string;
  status: string;
  orgId: string;
  campaignId: string | null;
  channels: string[];
  scheduledAt: string;
  localDate: string;
  localTime: string;
  schedule: { local: string; zone: string };
}
interface CalendarView {
  range: { from: string; to: string };
  days: { date: string; count: number }[] | null;
  items: CalendarItem[];
  next: string | null;
}
interface SearchResult {
  id: string;
  title: string;
  match: { language: string; channel: string | null; exact: boolean; score: number; snippet: { text: string; match: boolean }[] };
}

async function calendar(as: Session, query: string): Promise<CalendarView> {
  const res = await call(t, { method: 'GET', url: `/api/v1/calendar?${query}`, token: as.accessToken });
  if (res.statusCode !== 200) throw new Error(`calendar ${query}: ${res.statusCode} ${res.body}`);
  return res.json<CalendarView>();
}

async function search(as: Session, query: string): Promise<SearchResult[]> {
  const res = await call(t, { method: 'GET', url: `/api/v1/messages/search?${query}`, token: as.accessToken });
  if (res.statusCode !== 200) throw new Error(`search ${query}: ${res.statusCode} ${res.body}`);
  return res.json<{ items: SearchResult[] }>().items;
}

const titles = (items: { title: string }[]) => items.map((i) => i.title);
const q = (s: string) => encodeURIComponent(s);

// The ministry (owner), its missions in Paris and Washington (a Paris editor), another tenant.
let ministry: { orgId: string; owner: Session };
let paris: string;
let washington: string;
let parisEditor: Session;
let other: { orgId: string; owner: Session };
let campaignId: string;
let m: Record<string, Created>;

beforeAll(async () => {
  t = await startTestApp();
  ministry = await seedRootOrg(t, 'Ministry of External Affairs');
  paris = await createChildOrg(t, ministry.owner, 'Embassy Paris');
  washington = await createChildOrg(t, ministry.owner, 'Embassy Washington');
  parisEditor = (await addUser(t, paris, 'editor')).session;
  other = await seedRootOrg(t, 'Another Ministry');
  // Campaigns have no API yet: one row, written as the test's superuser.
  campaignId = await t.app.get(Transactor).withTenantBypass('test: a campaign', async (trx) => {
    const { rows } = await sql<{ id: string }>`INSERT INTO campaigns (org_id, name) VALUES (${ministry.orgId}, 'Yoga Day') RETURNING id`.execute(trx);
    return rows[0]!.id;
  });

  const owner = ministry.owner;
  m = {
    // 03:30 on 11 March in Kolkata is 22:00 UTC on 10 March.
    earlyKolkata: await scheduled(owner, '03-11T03:30', 'Asia/Kolkata', {
      title: 'early kolkata',
      bodies: { en: 'Talks on climate diplomacy between India and France continue in Paris.', hi: 'भारत और फ्रांस के बीच जलवायु कूटनीति पर बातचीत पेरिस में जारी है।' },
      tags: ['climate', 'france'],
    }),
    // 23:30 on 11 March in Kolkata is 18:00 UTC the same day; in Washington it is still morning.
    lateKolkata: await scheduled(owner, '03-11T23:30', 'Asia/Kolkata', {
      title: 'late kolkata',
      bodies: { en: 'The G20 summit opens in New Delhi tomorrow.' },
      channels: ['mastodon'],
      tags: ['g20'],
      campaignId,
    }),
    noonParisTime: await scheduled(owner, '03-11T12:00', 'Europe/Paris', {
      title: 'noon paris time',
      bodies: { fr: 'Réunion des ambassadeurs à Paris.', en: 'Preparations for the sumit are under way.' },
      channels: ['linkedin'],
    }),
    // Outside 11 March in Kolkata: 00:00 on the 12th.
    midnightAfter: await scheduled(owner, '03-12T00:00', 'Asia/Kolkata', { title: 'midnight after', bodies: { en: 'Consular camp in Pune.' } }),
    parisMission: await scheduled(parisEditor, '03-11T10:00', 'Europe/Paris', { title: 'paris mission', bodies: { fr: 'Journée du yoga à Paris.', en: 'Yoga day in Paris.' } }),
    // 14:00 UTC is 09:00 or 10:00 in Washington, depending on the year's DST start.
    washingtonMission: await scheduled(owner, '03-11T14:00', 'UTC', {
      title: 'washington mission',
      bodies: { en: 'Yoga day on the National Mall.' },
      orgId: washington,
    }),
    // Another tenant, at the same times and with the same words: never seen from this ministry.
    otherTenant: await scheduled(other.owner, '03-11T12:00', 'Asia/Kolkata', {
      title: 'other tenant',
      bodies: { en: 'Climate diplomacy and the G20 summit.', hi: 'भारत की कूटनीति' },
    }),
  };
  // One message in review, the others drafts.
  const sub = await call(t, { method: 'POST', url: `/api/v1/messages/${m.lateKolkata!.id}/submit`, token: owner.accessToken, payload: {} });
  if (sub.statusCode !== 200) throw new Error(`submit failed: ${sub.statusCode} ${sub.body}`);
}, 120_000);
afterAll(async () => t?.close());

const MARCH_11_KOLKATA = `from=${Y}-03-11&to=${Y}-03-12&zone=Asia/Kolkata`;

describe('calendar', () => {
  it('shows the messages of a local day in the requested zone, earliest first, with their local time', async () => {
    const view = await calendar(ministry.owner, MARCH_11_KOLKATA);
    expect(view.range).toEqual({ from: `${Y}-03-10T18:30:00.000Z`, to: `${Y}-03-11T18:30:00.000Z` });
    expect(titles(view.items)).toEqual(['early kolkata', 'paris mission', 'noon paris time', 'washington mission', 'late kolkata']);
    expect(view.items.map((i) => i.localTime)).toEqual(['03:30:00', '14:30:00', '16:30:00', '19:30:00', '23:30:00']);
    expect(new Set(view.items.map((i) => i.localDate))).toEqual(new Set([`${Y}-03-11`]));
    expect(view.days).toEqual([{ date: `${Y}-03-11`, count: 5 }]);
    expect(view.next).toBeNull();
    const early = view.items[0]!;
    expect(early).toEqual({
      id: m.earlyKolkata!.id,
      title: 'early kolkata',
      status: 'draft',
      orgId: ministry.orgId,
      campaignId: null,
      channels: ['facebook', 'x'],
      scheduledAt: `${Y}-03-10T22:00:00.000Z`,
      localDate: `${Y}-03-11`,
      localTime: '03:30:00',
      schedule: { local: `${Y}-03-11T03:30:00`, zone: 'Asia/Kolkata' },
    });
  });

  it('counts a message at 23:30 in Kolkata on that local day, and one at 03:30 on its own day rather than the UTC one', async () => {
    const utc11 = await calendar(ministry.owner, `from=${Y}-03-11&to=${Y}-03-12&zone=UTC`);
    expect(titles(utc11.items)).toContain('late kolkata');
    expect(titles(utc11.items)).not.toContain('early kolkata');
    const utc10 = await calendar(ministry.owner, `from=${Y}-03-10&to=${Y}-03-11&zone=UTC`);
    expect(titles(utc10.items)).toEqual(['early kolkata']);
    expect(utc10.items[0]).toMatchObject({ localDate: `${Y}-03-10`, localTime: '22:00:00' });
    const kolkata12 = await calendar(ministry.owner, `from=${Y}-03-12&to=${Y}-03-13&zone=Asia/Kolkata`);
    expect(titles(kolkata12.items)).toEqual(['midnight after']);
    expect(kolkata12.items[0]).toMatchObject({ localDate: `${Y}-03-12`, localTime: '00:00:00' });
  });

  it('groups by local day across a range, and gives local times that follow a DST change inside it', async () => {
    const owner = ministry.owner;
    // The EU moves its clocks on the last Sunday of March, between the 25th and the 31st.
    const before = await scheduled(owner, '03-22T12:00', 'Asia/Kolkata', { title: 'dst before', bodies: { en: 'Before the change.' } });
    const after = await scheduled(owner, '04-02T12:00', 'Asia/Kolkata', { title: 'dst after', bodies: { en: 'After the change.' } });
    const view = await calendar(owner, `from=${Y}-03-20&to=${Y}-04-05&zone=Europe/Paris`);
    const byId = new Map(view.items.map((i) => [i.id, i]));
    expect(byId.get(before.id)).toMatchObject({ localDate: `${Y}-03-22`, localTime: '07:30:00' });
    expect(byId.get(after.id)).toMatchObject({ localDate: `${Y}-04-02`, localTime: '08:30:00' });
    for (const i of view.items) expect(`${i.localDate}T${i.localTime}`).toBe(wallTimeOf(new Date(i.scheduledAt), 'Europe/Paris'));
    expect(view.days).toEqual([
      { date: `${Y}-03-22`, count: 1 },
      { date: `${Y}-04-02`, count: 1 },
    ]);
    const month = await calendar(owner, `from=${Y}-03-01&to=${Y}-04-01&zone=Asia/Kolkata`);
    expect(month.days).toEqual([
      { date: `${Y}-03-11`, count: 5 },
      { date: `${Y}-03-12`, count: 1 },
      { date: `${Y}-03-22`, count: 1 },
    ]);
    const times = month.items.map((i) => i.scheduledAt);
    expect(times).toEqual([...times].sort());
  });

  it('filters by channel, repeated or comma-separated; any of them matches', async () => {
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&channel=mastodon`)).items)).toEqual(['late kolkata']);
    const both = ['noon paris time', 'late kolkata'];
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&channel=mastodon&channel=linkedin`)).items)).toEqual(both);
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&channel=linkedin,mastodon`)).items)).toEqual(both);
  });

  it('filters by status, campaign, tag and language', async () => {
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&status=in_review`)).items)).toEqual(['late kolkata']);
    expect((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&status=draft`)).items).toHaveLength(4);
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&campaignId=${campaignId}`)).items)).toEqual(['late kolkata']);
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&tag=france`)).items)).toEqual(['early kolkata']);
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&tag=g20,france`)).items)).toEqual(['early kolkata', 'late kolkata']);
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&language=hi`)).items)).toEqual(['early kolkata']);
    // Language tags are compared in their canonical case.
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&language=FR`)).items)).toEqual(['paris mission', 'noon paris time']);
    expect((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&language=hi&channel=mastodon`)).items).toEqual([]);
  });

  it('filters to an organisation subtree', async () => {
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&orgId=${paris}`)).items)).toEqual(['paris mission']);
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&orgId=${washington}`)).items)).toEqual(['washington mission']);
    expect((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&orgId=${ministry.orgId}`)).items).toHaveLength(5);
  });

  it('filters to several organisation subtrees at once, repeated or comma-separated', async () => {
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&orgId=${paris}&orgId=${washington}`)).items).sort()).toEqual(['paris mission', 'washington mission']);
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&orgId=${paris},${washington}`)).items).sort()).toEqual(['paris mission', 'washington mission']);
    // Another tenant's organisation among them adds nothing.
    expect(titles((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&orgId=${paris},${other.orgId}`)).items)).toEqual(['paris mission']);
    const bad = await call(t, { method: 'GET', url: `/api/v1/calendar?${MARCH_11_KOLKATA}&orgId=${paris},not-a-uuid`, token: ministry.owner.accessToken });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('validation_failed');
  });

  it("never shows another tenant's messages, nor the ministry's or a sibling mission's to a mission", async () => {
    const mine = await calendar(ministry.owner, MARCH_11_KOLKATA);
    expect(titles(mine.items)).not.toContain('other tenant');
    const theirs = await calendar(other.owner, MARCH_11_KOLKATA);
    expect(titles(theirs.items)).toEqual(['other tenant']);
    // Asking for the other tenant's organisation by id shows nothing either.
    expect((await calendar(ministry.owner, `${MARCH_11_KOLKATA}&orgId=${other.orgId}`)).items).toEqual([]);

    const mission = await calendar(parisEditor, MARCH_11_KOLKATA);
    expect(titles(mission.items)).toEqual(['paris mission']);
    // Naming the ministry narrows to its subtree; it cannot widen what the mission sees.
    expect(titles((await calendar(parisEditor, `${MARCH_11_KOLKATA}&orgId=${ministry.orgId}`)).items)).toEqual(['paris mission']);
    expect((await calendar(parisEditor, `${MARCH_11_KOLKATA}&orgId=${washington}`)).items).toEqual([]);
  });
});

describe('calendar pages', () => {
  // Over two pages around the night Paris falls back (the last Sunday of October): rows every
  // two minutes from 12 hours before to past the next midnight, so local midnights on both sides
  // of the change are crossed; several share an instant, some a microsecond apart, one in seven
  // is the other tenant's. Written as the superuser: the API would take minutes.
  const zone = 'Europe/Paris';
  const window = `from=${Y}-10-20&to=${Y}-11-03&zone=${zone}`;
  const count = 2 * CALENDAR_PAGE_ITEMS + 250;
  let ministryRows: number;
  let fallBack: Date;

  beforeAll(async () => {
    fallBack = zoneOffsets(zone, zonedRange(`${Y}-10-20`, `${Y}-11-03`, zone)).transitions[0]!;
    const start = new Date(fallBack.getTime() - 12 * 3_600_000);
    await t.app.get(Transactor).withTenantBypass('test: a busy fortnight', async (trx) => {
      await sql`INSERT INTO messages (org_id, title, status, content_hash, languages, channels, tags, scheduled_at, schedule_local, schedule_zone)
        SELECT CASE WHEN g % 7 = 0 THEN ${other.orgId}::uuid ELSE ${paris}::uuid END, 'bulk ' || g, 'draft', md5(g::text) || md5((-g)::text),
               '{en}', '{x,facebook}', '{}', at, at AT TIME ZONE ${zone}, ${zone}
        FROM generate_series(1, ${count}::int) g
        CROSS JOIN LATERAL (SELECT ${start}::timestamptz + (g - g % 5) * interval '2 minutes' + (g % 3) * interval '1 microsecond' AS at) x`.execute(trx);
    });
    ministryRows = count - Math.floor(count / 7);
  });

  async function allPages(as: Session, query: string): Promise<CalendarView[]> {
    const pages = [await calendar(as, query)];
    while (pages.at(-1)!.next) pages.push(await calendar(as, `${query}&after=${encodeURIComponent(pages.at(-1)!.next!)}`));
    return pages;
  }

  it('lists a busy range a page at a time, each message once and in order, the first page counting the days of the whole range', async () => {
    const pages = await allPages(ministry.owner, window);
    const sizes = Array.from({ length: Math.ceil(ministryRows / CALENDAR_PAGE_ITEMS) }, (_, i) => Math.min(CALENDAR_PAGE_ITEMS, ministryRows - i * CALENDAR_PAGE_ITEMS));
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(pages.map((p) => p.items.length)).toEqual(sizes);
    expect(pages.at(-1)!.next).toBeNull();
    const items = pages.flatMap((p) => p.items);
    expect(new Set(items.map((i) => i.id)).size).toBe(ministryRows);
    expect(titles(items)).not.toContain(`bulk 7`);
    const times = items.map((i) => i.scheduledAt);
    expect(times).toEqual([...times].sort());

    // Days counted in SQL agree with the local dates of the items, across the change of offset.
    const byDay = new Map<string, number>();
    for (const i of items) {
      expect(`${i.localDate}T${i.localTime}`).toBe(wallTimeOf(new Date(i.scheduledAt), zone));
      byDay.set(i.localDate, (byDay.get(i.localDate) ?? 0) + 1);
    }
    expect(pages[0]!.days).toEqual([...byDay].map(([date, n]) => ({ date, count: n })));
    expect(pages.slice(1).map((p) => p.days)).toEqual(sizes.slice(1).map(() => null));
    expect(pages[0]!.days!.map((d) => d.date)).toEqual([-12, 0, 23].map((h) => localDateOf(new Date(fallBack.getTime() + h * 3_600_000), zone)));
  });

  it('pages a filtered view the same way, and a mission sees only its own', async () => {
    const filtered = await allPages(ministry.owner, `${window}&orgId=${paris}&channel=facebook`);
    expect(filtered.flatMap((p) => p.items)).toHaveLength(ministryRows);
    const mission = await allPages(parisEditor, window);
    expect(mission.flatMap((p) => p.items)).toHaveLength(ministryRows);
    expect((await calendar(ministry.owner, `${window}&orgId=${washington}`)).next).toBeNull();
    const theirs = await allPages(other.owner, window);
    expect(theirs.flatMap((p) => p.items)).toHaveLength(Math.floor(count / 7));
  });

  it('refuses a cursor it did not make', async () => {
    const res = await call(t, { method: 'GET', url: `/api/v1/calendar?${window}&after=bm90LWEtY3Vyc29y`, token: ministry.owner.accessToken });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'after' }] });
  });
});

describe('search', () => {
  it('finds a Hindi body by a Devanagari word, and says which language matched', async () => {
    const found = await search(ministry.owner, `q=${q('भारत')}`);
    expect(titles(found)).toEqual(['early kolkata']);
    expect(found[0]!.match).toMatchObject({ language: 'hi', channel: null, exact: true });
    expect(found[0]!.match.snippet).toContainEqual({ text: 'भारत', match: true });
    // A short body is its own excerpt (ts_headline ends a fragment at its last word).
    expect(found[0]!.match.snippet.map((p) => p.text).join('')).toBe('भारत और फ्रांस के बीच जलवायु कूटनीति पर बातचीत पेरिस में जारी है');
  });

  it('finds an English word, and a one-letter typo of it, highlighting the word in the body', async () => {
    const exact = await search(ministry.owner, `q=diplomacy`);
    expect(titles(exact)).toEqual(['early kolkata']);
    expect(exact[0]!.match).toMatchObject({ language: 'en', exact: true });

    const typo = await search(ministry.owner, `q=diplomcy`);
    expect(titles(typo)).toEqual(['early kolkata']);
    expect(typo[0]!.match).toMatchObject({ language: 'en', exact: false });
    expect(typo[0]!.match.snippet.filter((p) => p.match).map((p) => p.text)).toEqual(['diplomacy']);
  });

  it('ranks a real match above a similar word, and finds a typo in the body too', async () => {
    const found = await search(ministry.owner, `q=summit`);
    expect(titles(found)).toEqual(['late kolkata', 'noon paris time']);
    expect(found.map((r) => r.match.exact)).toEqual([true, false]);
    expect(found[0]!.match.score).toBeGreaterThan(found[1]!.match.score);
    expect(found[1]!.match.snippet).toContainEqual({ text: 'sumit', match: true });
    // When real matches fill the page, similar words cannot get onto it.
    expect(titles(await search(ministry.owner, `q=summit&limit=1`))).toEqual(['late kolkata']);
  });

  it('understands phrases and exclusions', async () => {
    expect(titles(await search(ministry.owner, `q=${q('"yoga day" -paris')}`))).toEqual(['washington mission']);
    expect(titles(await search(ministry.owner, `q=${q('"climate diplomacy"')}`))).toEqual(['early kolkata']);
  });

  it('applies the filters and the time range', async () => {
    expect(titles(await search(ministry.owner, `q=yoga&orgId=${paris}`))).toEqual(['paris mission']);
    expect(titles(await search(ministry.owner, `q=yoga&channel=linkedin`))).toEqual([]);
    const from = encodeURIComponent(`${Y}-03-11T14:00:00Z`);
    expect(titles(await search(ministry.owner, `q=yoga&from=${from}`))).toEqual(['washington mission']);
    expect(titles(await search(ministry.owner, `q=yoga&to=${from}`))).toEqual(['paris mission']);
  });

  it("never finds another tenant's texts, nor the ministry's from a mission", async () => {
    expect(titles(await search(other.owner, `q=diplomacy`))).toEqual(['other tenant']);
    expect(titles(await search(ministry.owner, `q=${q('कूटनीति')}`))).toEqual(['early kolkata']);
    expect(await search(parisEditor, `q=diplomacy`)).toEqual([]);
    expect(titles(await search(parisEditor, `q=yoga`))).toEqual(['paris mission']);
  });

  it('finds nothing for a word no message has', async () => {
    expect(await search(ministry.owner, `q=${randomUUID().slice(0, 8)}zz`)).toEqual([]);
  });
});

describe('bad input', () => {
  const problem = async (url: string, status: number, code: string) => {
    const res = await call(t, { method: 'GET', url, token: ministry.owner.accessToken });
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.json()).toMatchObject({ status, code });
    return res.json<{ errors?: { path: string }[] }>();
  };

  it('refuses an unknown time zone with invalid_zone', async () => {
    await problem(`/api/v1/calendar?from=${Y}-03-01&to=${Y}-03-02&zone=Asia/Bombay_Beach`, 400, 'invalid_zone');
    await problem(`/api/v1/calendar?from=${Y}-03-01&to=${Y}-03-02&zone=%2B05:30`, 400, 'invalid_zone');
  });

  it('refuses a reversed, empty or too long range, and malformed dates', async () => {
    expect((await problem(`/api/v1/calendar?from=${Y}-03-02&to=${Y}-03-01&zone=UTC`, 400, 'validation_failed')).errors?.[0]?.path).toBe('to');
    await problem(`/api/v1/calendar?from=${Y}-03-01&to=${Y}-03-01&zone=UTC`, 400, 'validation_failed');
    await problem(`/api/v1/calendar?from=${Y}-03-01&to=${Y}-06-02&zone=UTC`, 400, 'validation_failed');
    await problem(`/api/v1/calendar?from=${Y}-02-30&to=${Y}-03-03&zone=UTC`, 400, 'validation_failed');
    await problem(`/api/v1/calendar?from=${Y}-03-01&zone=UTC`, 400, 'validation_failed');
  });

  it('accepts a range of exactly 92 days', async () => {
    await calendar(ministry.owner, `from=${Y}-03-01&to=${Y}-06-01&zone=UTC`);
  });

  it('refuses unknown filters and values', async () => {
    await problem(`/api/v1/calendar?${MARCH_11_KOLKATA}&channel=myspace`, 400, 'validation_failed');
    await problem(`/api/v1/calendar?${MARCH_11_KOLKATA}&status=lost`, 400, 'validation_failed');
    await problem(`/api/v1/calendar?${MARCH_11_KOLKATA}&language=not_a_language`, 400, 'validation_failed');
    await problem(`/api/v1/calendar?${MARCH_11_KOLKATA}&orgId=paris`, 400, 'validation_failed');
    await problem(`/api/v1/calendar?${MARCH_11_KOLKATA}&colour=red`, 400, 'validation_failed');
  });

  it('refuses a search that is empty, has no letter or digit, or is longer than 200 characters', async () => {
    await problem(`/api/v1/messages/search`, 400, 'validation_failed');
    await problem(`/api/v1/messages/search?q=%20`, 400, 'validation_failed');
    await problem(`/api/v1/messages/search?q=${q('-"" !')}`, 400, 'validation_failed');
    await problem(`/api/v1/messages/search?q=${'a'.repeat(201)}`, 400, 'validation_failed');
    await search(ministry.owner, `q=${'a'.repeat(200)}`);
    await problem(`/api/v1/messages/search?q=yoga&from=${Y}-03-11`, 400, 'validation_failed');
    await problem(`/api/v1/messages/search?q=yoga&limit=51`, 400, 'validation_failed');
  });

  it('needs a signed-in caller', async () => {
    const res = await call(t, { method: 'GET', url: `/api/v1/calendar?${MARCH_11_KOLKATA}` });
    expect(res.statusCode).toBe(401);
  });
});
