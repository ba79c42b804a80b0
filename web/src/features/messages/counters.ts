/**
 * Per-network counters that agree with the server's own validation (server
 * `modules/messages/text-metrics.ts`, `checkChannelLimit`): the same units and limits, checked
 * against the same shared cases (`server/src/modules/messages/text-counts.cases.json`) by a test on
 * each side, so the console never says "fits" where submit would refuse.
 */
// twitter-text is CommonJS; its default export carries parseTweet under every bundler.
import twitterText from 'twitter-text';
import type { Channel } from './content';

export type CounterField = 'x' | 'facebook' | 'instagram' | 'linkedin' | 'youtube.title' | 'youtube.description' | 'mastodon' | 'bluesky';
type Unit = 'x-weighted' | 'utf16' | 'utf8-bytes' | 'mastodon' | 'graphemes';

export const COUNTER_LIMITS: Readonly<Record<CounterField, { max: number; unit: Unit }>> = {
  x: { max: 280, unit: 'x-weighted' },
  facebook: { max: 63_206, unit: 'utf16' },
  instagram: { max: 2_200, unit: 'utf16' },
  linkedin: { max: 3_000, unit: 'utf16' },
  'youtube.title': { max: 100, unit: 'utf16' },
  'youtube.description': { max: 5_000, unit: 'utf8-bytes' },
  mastodon: { max: 500, unit: 'mastodon' },
  bluesky: { max: 300, unit: 'graphemes' },
};

/** The field a message body fills on each network (YouTube: the video's description). */
export const BODY_FIELD: Record<Channel, CounterField> = {
  x: 'x',
  facebook: 'facebook',
  instagram: 'instagram',
  linkedin: 'linkedin',
  youtube: 'youtube.description',
  mastodon: 'mastodon',
  bluesky: 'bluesky',
};

export interface Count {
  used: number;
  limit: number;
  ok: boolean;
}

const utf8 = new TextEncoder();
let graphemeSegmenter: Intl.Segmenter | undefined;
const MASTODON_URL_WEIGHT = 23;

export function countFor(field: CounterField, text: string): Count {
  const { max, unit } = COUNTER_LIMITS[field];
  switch (unit) {
    case 'x-weighted': {
      const tweet = twitterText.parseTweet(text);
      return { limit: max, used: tweet.weightedLength, ok: text.length === 0 || tweet.valid };
    }
    case 'utf16':
      return { limit: max, used: text.length, ok: text.length <= max };
    case 'utf8-bytes': {
      const used = utf8.encode(text).byteLength;
      return { limit: max, used, ok: used <= max };
    }
    case 'mastodon': {
      const used = mastodonLength(text);
      return { limit: max, used, ok: used <= max };
    }
    case 'graphemes': {
      graphemeSegmenter ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
      let used = 0;
      for (const _ of graphemeSegmenter.segment(text)) used += 1;
      return { limit: max, used, ok: used <= max };
    }
  }
}

/** Mastodon counts code points, every URL as 23 (its StatusLengthValidator). */
function mastodonLength(text: string): number {
  let length = 0;
  let at = 0;
  for (const { indices } of twitterText.extractUrlsWithIndices(text)) {
    length += [...text.slice(at, indices[0])].length + MASTODON_URL_WEIGHT;
    at = indices[1];
  }
  return length + [...text.slice(at)].length;
}
