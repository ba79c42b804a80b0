import { describe, expect, it } from 'vitest';
import { CHANNEL_LIMITS, checkChannelLimit, measureText } from './text-metrics.js';

const FAMILY = '👨‍👩‍👧‍👦'; // man ZWJ woman ZWJ girl ZWJ boy: 7 code points, 11 UTF-16 units

describe('measureText', () => {
  it('counts plain English', () => {
    expect(measureText('Hello, world!')).toEqual({
      characters: 13, words: 2, codePoints: 13, utf16Units: 13, utf8Bytes: 13, xWeightedLength: 13, xValid: true,
    });
  });

  it('counts Devanagari conjuncts and matras as the reader sees them', () => {
    // न म स्ते: स + virama + त + matra e is one grapheme
    expect(measureText('नमस्ते दुनिया', 'hi')).toMatchObject({
      characters: 7, words: 2, codePoints: 13, utf8Bytes: 37, xWeightedLength: 13, xValid: true,
    });
    // Unicode 15.1 Indic conjunct rule: a virama-joined cluster is one grapheme
    expect(measureText('क्षत्रिय', 'hi')).toMatchObject({ characters: 3, words: 1, codePoints: 8 });
  });

  it('does not count the danda or spaces as words', () => {
    expect(measureText('हिन्दी में संदेश।', 'hi')).toMatchObject({ words: 3, characters: 9, codePoints: 17 });
  });

  it('counts Tamil with its pulli, Bengali and the other Brahmic scripts', () => {
    expect(measureText('வணக்கம் உலகம்', 'ta')).toMatchObject({ characters: 10, words: 2, codePoints: 13 });
    expect(measureText('বাংলা ভাষা', 'bn')).toMatchObject({ characters: 5, words: 2, codePoints: 10 });
    expect(measureText('മലയാളം', 'ml')).toMatchObject({ characters: 4, words: 1, codePoints: 6 });
    expect(measureText('తెలుగు', 'te')).toMatchObject({ characters: 3, words: 1, codePoints: 6 });
    expect(measureText('ಕನ್ನಡ', 'kn')).toMatchObject({ characters: 4, words: 1, codePoints: 5 });
    expect(measureText('ગુજરાતી', 'gu')).toMatchObject({ characters: 4, words: 1, codePoints: 7 });
    expect(measureText('ਪੰਜਾਬੀ', 'pa')).toMatchObject({ characters: 3, words: 1, codePoints: 6 });
    expect(measureText('ଓଡ଼ିଆ', 'or')).toMatchObject({ characters: 3, words: 1, codePoints: 5 });
    expect(measureText('অসমীয়া', 'as')).toMatchObject({ characters: 4, words: 1, codePoints: 7 });
  });

  it('counts right-to-left Urdu, Kashmiri and Sindhi', () => {
    expect(measureText('سلام دنیا', 'ur')).toMatchObject({ characters: 9, words: 2, codePoints: 9, xWeightedLength: 9 });
    expect(measureText('کٲشُر', 'ks')).toMatchObject({ characters: 4, words: 1, codePoints: 5 });
    expect(measureText('سنڌي', 'sd')).toMatchObject({ characters: 4, words: 1, codePoints: 4 });
  });

  it('weighs Ol Chiki (Santali) and Meetei Mayek (Manipuri) double on X, like CJK', () => {
    // Outside twitter-text's weight-1 ranges (below U+1100 and some punctuation).
    expect(measureText('ᱥᱟᱱᱛᱟᱲᱤ', 'sat')).toMatchObject({ characters: 7, codePoints: 7, xWeightedLength: 14 });
    expect(measureText('ꯃꯤꯇꯩꯂꯣꯟ', 'mni-Mtei')).toMatchObject({ characters: 4, codePoints: 7, xWeightedLength: 14 });
    expect(measureText('你好世界', 'zh')).toMatchObject({ characters: 4, words: 2, xWeightedLength: 8 });
  });

  it('counts an emoji ZWJ sequence, a skin tone and a flag as one character each, weighing 2 on X', () => {
    expect(measureText(FAMILY)).toEqual({
      characters: 1, words: 0, codePoints: 7, utf16Units: 11, utf8Bytes: 25, xWeightedLength: 2, xValid: true,
    });
    expect(measureText('👍🏽🇮🇳')).toMatchObject({ characters: 2, codePoints: 4, xWeightedLength: 4 });
  });

  it('counts a combining mark with its base, and X counts it after NFC', () => {
    expect(measureText('cafe\u0301')).toMatchObject({ characters: 4, codePoints: 5, words: 1, xWeightedLength: 4 });
  });

  it('weighs any URL as 23 on X', () => {
    const m = measureText(`see https://example.com/${'x'.repeat(80)}`);
    expect(m.characters).toBe(104);
    expect(m.xWeightedLength).toBe(4 + 23);
  });

  it('measures mixed scripts, emoji, a URL, a hashtag and a mention together', () => {
    const text = 'Namaste नमस्ते 👋🏽 https://example.gov.in/a/very/long/path/that/goes/on/and/on/and/on/forever #हिंदी @mea';
    expect(measureText(text, 'hi')).toMatchObject({ characters: 97, codePoints: 104, utf16Units: 106, xWeightedLength: 53, xValid: true });
  });

  it('follows twitter-text on validity: 280 Devanagari letters fit, 281 do not, 140 families fit', () => {
    expect(measureText('न'.repeat(280)).xValid).toBe(true);
    expect(measureText('न'.repeat(281))).toMatchObject({ xWeightedLength: 281, xValid: false });
    expect(measureText(FAMILY.repeat(140))).toMatchObject({ characters: 140, xWeightedLength: 280, xValid: true });
    expect(measureText(FAMILY.repeat(141)).xValid).toBe(false);
  });

  it('reports text X refuses outright, and empty text', () => {
    expect(measureText('a\uFFFE').xValid).toBe(false);
    expect(measureText('')).toEqual({
      characters: 0, words: 0, codePoints: 0, utf16Units: 0, utf8Bytes: 0, xWeightedLength: 0, xValid: false,
    });
  });

  it('falls back to root segmentation for an invalid locale instead of throwing', () => {
    expect(measureText('नमस्ते', 'not a tag')).toMatchObject({ characters: 3, words: 1 });
  });
});

describe('CHANNEL_LIMITS', () => {
  it('holds the limits from the social API contract notes', () => {
    expect(CHANNEL_LIMITS).toEqual({
      x: { max: 280, unit: 'x-weighted' },
      facebook: { max: 63_206, unit: 'utf16' },
      instagram: { max: 2_200, unit: 'utf16' },
      linkedin: { max: 3_000, unit: 'utf16' },
      'youtube.title': { max: 100, unit: 'utf16' },
      'youtube.description': { max: 5_000, unit: 'utf8-bytes' },
      mastodon: { max: 500, unit: 'mastodon' },
      bluesky: { max: 300, unit: 'graphemes' },
    });
  });
});

describe('checkChannelLimit', () => {
  it('checks X by weighted length', () => {
    expect(checkChannelLimit('x', 'न'.repeat(280))).toEqual({ limit: 280, used: 280, ok: true });
    expect(checkChannelLimit('x', '你'.repeat(141))).toEqual({ limit: 280, used: 282, ok: false });
    expect(checkChannelLimit('x', `${'a'.repeat(257)} https://example.com/${'x'.repeat(200)}`)).toEqual({ limit: 280, used: 281, ok: false });
  });

  it('accepts an empty X body (media-only) but refuses a forbidden character', () => {
    expect(checkChannelLimit('x', '')).toEqual({ limit: 280, used: 0, ok: true });
    expect(checkChannelLimit('x', 'hello\uFEFF').ok).toBe(false);
  });

  it('counts emoji as their UTF-16 length on Instagram, so it never under-counts', () => {
    expect(checkChannelLimit('instagram', FAMILY.repeat(200))).toEqual({ limit: 2_200, used: 2_200, ok: true });
    expect(checkChannelLimit('instagram', FAMILY.repeat(200) + 'a')).toEqual({ limit: 2_200, used: 2_201, ok: false });
  });

  it('checks Facebook, LinkedIn and the YouTube title at their edges', () => {
    expect(checkChannelLimit('facebook', 'a'.repeat(63_206)).ok).toBe(true);
    expect(checkChannelLimit('facebook', 'a'.repeat(63_207)).ok).toBe(false);
    expect(checkChannelLimit('linkedin', 'ब'.repeat(3_000))).toEqual({ limit: 3_000, used: 3_000, ok: true });
    expect(checkChannelLimit('linkedin', 'ब'.repeat(3_001)).ok).toBe(false);
    expect(checkChannelLimit('youtube.title', 'த'.repeat(100)).ok).toBe(true);
    expect(checkChannelLimit('youtube.title', 'த'.repeat(101)).ok).toBe(false);
  });

  it('counts Mastodon in code points with every URL weighing 23', () => {
    expect(checkChannelLimit('mastodon', 'a'.repeat(500))).toEqual({ limit: 500, used: 500, ok: true });
    expect(checkChannelLimit('mastodon', `${'a'.repeat(476)} https://example.com/${'x'.repeat(300)}`)).toEqual({ limit: 500, used: 500, ok: true });
    expect(checkChannelLimit('mastodon', `${'a'.repeat(477)} https://example.com/${'x'.repeat(300)}`)).toEqual({ limit: 500, used: 501, ok: false });
    expect(checkChannelLimit('mastodon', FAMILY)).toEqual({ limit: 500, used: [...FAMILY].length, ok: true });
  });

  it('counts Bluesky in graphemes: a ZWJ family or a Devanagari cluster is one', () => {
    expect(checkChannelLimit('bluesky', FAMILY.repeat(300))).toEqual({ limit: 300, used: 300, ok: true });
    expect(checkChannelLimit('bluesky', 'स्ते'.repeat(301))).toEqual({ limit: 300, used: 301, ok: false });
  });

  it('counts the YouTube description in UTF-8 bytes: Devanagari takes three each', () => {
    expect(checkChannelLimit('youtube.description', 'न'.repeat(1_666) + 'ab')).toEqual({ limit: 5_000, used: 5_000, ok: true });
    expect(checkChannelLimit('youtube.description', 'न'.repeat(1_667))).toEqual({ limit: 5_000, used: 5_001, ok: false });
    expect(checkChannelLimit('youtube.description', 'a'.repeat(5_000)).ok).toBe(true);
  });
});
