/**
 * Length of a message body as people and as each network count it.
 *
 * "Characters" for a person are grapheme clusters: 'स्ते' (four code points), a skin-toned thumb
 * or a ZWJ family are each one. Networks count differently, so every limit names its own unit.
 */
// twitter-text is CommonJS; under Node's ESM loader only its default export (module.exports)
// carries parseTweet, so a named import would compile but fail at run time.
import twitterText from 'twitter-text';
import { canonicalLanguageTag } from './language-tags.js';

export interface TextMetrics {
  /** Grapheme clusters (Intl.Segmenter): what a reader calls characters. */
  characters: number;
  /** Word-like segments (Intl.Segmenter, isWordLike): punctuation, spaces and emoji are not words. */
  words: number;
  codePoints: number;
  /** String length in UTF-16 code units, what most vendor back ends (JS, Java) call length. */
  utf16Units: number;
  utf8Bytes: number;
  /** X's weighted length from twitter-text's parseTweet (v3 config: URLs weigh 23, CJK 2, emoji 2). */
  xWeightedLength: number;
  /** parseTweet's verdict: 1..280 weighted and none of U+FFFE, U+FEFF, U+FFFF. */
  xValid: boolean;
}

export type ChannelTextField =
  | 'x' | 'facebook' | 'instagram' | 'linkedin' | 'youtube.title' | 'youtube.description' | 'mastodon' | 'bluesky';
export type LengthUnit = 'x-weighted' | 'utf16' | 'utf8-bytes' | 'mastodon' | 'graphemes';

export interface ChannelLimit {
  readonly max: number;
  readonly unit: LengthUnit;
}

/**
 * Text limits per channel field, from ../shared/contracts/social-apis.md (tags are its confidence
 * marks: V verified against vendor material, I from third parties, K unverified background).
 * The vendors do not say what their "characters" are, except X (twitter-text) and YouTube's
 * description (bytes). Elsewhere UTF-16 units are counted: never fewer than code points or
 * graphemes, so a body that passes here is not refused there for length, at the cost of refusing
 * a little early where a network counts graphemes (emoji-heavy text).
 */
export const CHANNEL_LIMITS: Readonly<Record<ChannelTextField, ChannelLimit>> = {
  x: { max: 280, unit: 'x-weighted' }, // §3.5 [V] twitter-text config v3
  facebook: { max: 63_206, unit: 'utf16' }, // §1.3 Page post message [K]
  instagram: { max: 2_200, unit: 'utf16' }, // Instagram caption [I]
  linkedin: { max: 3_000, unit: 'utf16' }, // Posts API commentary [I]
  'youtube.title': { max: 100, unit: 'utf16' }, // snippet limits [K]
  'youtube.description': { max: 5_000, unit: 'utf8-bytes' }, // snippet limits: bytes [K]
  mastodon: { max: 500, unit: 'mastodon' }, // §8 statuses: 500 characters (instance default), every URL counts 23 [V]
  bluesky: { max: 300, unit: 'graphemes' }, // §7 app.bsky.feed.post text: 300 graphemes [V]
};

export interface ChannelLimitCheck {
  limit: number;
  used: number;
  ok: boolean;
}

const utf8 = new TextEncoder();

/** Segmenters are costly to build and a body is measured on every keystroke-save; keep a few. */
const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(locale: string | undefined, granularity: 'grapheme' | 'word'): Intl.Segmenter {
  // An invalid locale must not make measuring throw: fall back to the root segmentation rules,
  // which are script-based anyway (locale only tunes a few languages).
  const tag = (locale === undefined ? undefined : canonicalLanguageTag(locale)) ?? 'und';
  const key = `${granularity}:${tag}`;
  let found = segmenters.get(key);
  if (found === undefined) {
    if (segmenters.size >= 64) segmenters.clear();
    found = new Intl.Segmenter(tag, { granularity });
    segmenters.set(key, found);
  }
  return found;
}

/**
 * Counts are of the text as given (no normalisation), except X's, which twitter-text takes after
 * NFC normalisation, as X does: 'e' + U+0301 is two code points but weighs 1.
 */
export function measureText(text: string, locale?: string): TextMetrics {
  let characters = 0;
  for (const _ of segmenter(locale, 'grapheme').segment(text)) characters += 1;
  let words = 0;
  for (const s of segmenter(locale, 'word').segment(text)) if (s.isWordLike === true) words += 1;
  let codePoints = 0;
  for (const _ of text) codePoints += 1;
  const tweet = twitterText.parseTweet(text);
  return {
    characters,
    words,
    codePoints,
    utf16Units: text.length,
    utf8Bytes: utf8.encode(text).byteLength,
    xWeightedLength: tweet.weightedLength,
    xValid: tweet.valid,
  };
}

/**
 * Whether a body fits a channel field. An empty body is within the limit (a media-only post is
 * allowed or not by rules elsewhere); on X a forbidden character (U+FFFE/U+FEFF/U+FFFF) fails it,
 * because X refuses such text whatever its length.
 */
export function checkChannelLimit(channel: ChannelTextField, text: string): ChannelLimitCheck {
  const { max, unit } = CHANNEL_LIMITS[channel];
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
      let used = 0;
      for (const _ of segmenter(undefined, 'grapheme').segment(text)) used += 1;
      return { limit: max, used, ok: used <= max };
    }
  }
}

/** Mastodon's own rule (StatusLengthValidator): code points, with every URL weighing 23. */
const MASTODON_URL_WEIGHT = 23;
function mastodonLength(text: string): number {
  let length = 0;
  let at = 0;
  for (const { indices } of twitterText.extractUrlsWithIndices(text)) {
    length += [...text.slice(at, indices[0])].length + MASTODON_URL_WEIGHT;
    at = indices[1];
  }
  return length + [...text.slice(at)].length;
}
