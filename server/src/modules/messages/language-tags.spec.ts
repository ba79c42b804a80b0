import { describe, expect, it } from 'vitest';
import {
  INDIA_SCHEDULED_LANGUAGES,
  canonicalLanguageTag,
  languageDirection,
  languageLabel,
} from './language-tags.js';

describe('canonicalLanguageTag', () => {
  it.each([
    ['en', 'en'],
    ['EN-latn-us', 'en-Latn-US'],
    ['hi-IN', 'hi-IN'],
    ['ks-arab', 'ks-Arab'],
    ['sd-Deva-IN', 'sd-Deva-IN'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['en-u-ca-gregory', 'en-u-ca-gregory'],
    ['en-x-ministry', 'en-x-ministry'],
    ['mni-Mtei', 'mni-Mtei'],
    ['sat-Olck', 'sat-Olck'],
  ])('canonicalises %s to %s', (tag, expected) => {
    expect(canonicalLanguageTag(tag)).toBe(expected);
  });

  it('replaces deprecated codes with their current ones', () => {
    expect(canonicalLanguageTag('iw')).toBe('he');
    expect(canonicalLanguageTag('art-lojban')).toBe('jbo');
  });

  it.each([
    ['', 'empty'],
    ['x-foo', 'private use only'],
    ['X-Ministry', 'private use only, upper case'],
    ['i-klingon', 'grandfathered irregular'],
    ['en_US', 'underscore'],
    [' en', 'leading space'],
    ['en ', 'trailing space'],
    ['toolongsubtag', 'subtag over 8 letters'],
    ['हिन्दी', 'not ASCII'],
    ['en--US', 'empty subtag'],
    ['en-' + 'a'.repeat(8) + '-' + 'b'.repeat(8) + '-' + 'c'.repeat(8) + '-dddd', 'over 35 characters'],
  ])('refuses %j (%s)', (tag) => {
    expect(canonicalLanguageTag(tag)).toBeUndefined();
  });

  it('accepts every scheduled language of India', () => {
    for (const code of INDIA_SCHEDULED_LANGUAGES) expect(canonicalLanguageTag(code)).toBe(code);
  });
});

describe('INDIA_SCHEDULED_LANGUAGES', () => {
  it('holds the 22 scheduled languages plus English, once each', () => {
    expect(INDIA_SCHEDULED_LANGUAGES).toHaveLength(23);
    expect(new Set(INDIA_SCHEDULED_LANGUAGES).size).toBe(23);
    expect(INDIA_SCHEDULED_LANGUAGES).toContain('en');
    expect(INDIA_SCHEDULED_LANGUAGES).toContain('sat');
  });
});

describe('languageDirection', () => {
  it.each(['ur', 'ar', 'fa', 'he', 'yi', 'ps', 'ckb', 'ug', 'dv', 'ks', 'sd', 'pa-Arab', 'ks-Arab-IN', 'UR-pk', 'iw'])(
    '%s is right to left',
    (tag) => {
      expect(languageDirection(tag)).toBe('rtl');
    },
  );

  it.each(['en', 'hi', 'bn', 'ta', 'te', 'mr', 'gu', 'pa', 'as', 'or', 'ml', 'kn', 'sa', 'ne', 'mai', 'doi', 'brx', 'kok',
    'mni', 'mni-Mtei', 'sat', 'ks-Deva', 'sd-Deva', 'en-Latn', 'und'])(
    '%s is left to right',
    (tag) => {
      expect(languageDirection(tag)).toBe('ltr');
    },
  );

  it('follows an explicit script over the language default', () => {
    expect(languageDirection('ur-Latn')).toBe('ltr'); // Roman Urdu
    expect(languageDirection('hi-Arab')).toBe('rtl');
    expect(languageDirection('az-Arab')).toBe('rtl'); // Node 20's textInfo wrongly says ltr
  });

  it('treats an invalid tag as left to right', () => {
    expect(languageDirection('')).toBe('ltr');
    expect(languageDirection('not a tag')).toBe('ltr');
  });

  it('covers every scheduled language, with only Kashmiri, Sindhi and Urdu right to left', () => {
    const rtl = INDIA_SCHEDULED_LANGUAGES.filter((code) => languageDirection(code) === 'rtl');
    expect(rtl.sort()).toEqual(['ks', 'sd', 'ur']);
  });
});

describe('languageLabel', () => {
  it('names languages in English', () => {
    expect(languageLabel('hi', 'en')).toBe('Hindi');
    expect(languageLabel('sat', 'en')).toBe('Santali');
    expect(languageLabel('mni', 'en')).toBe('Manipuri');
  });

  it('names languages in their own and other scripts', () => {
    expect(languageLabel('ta', 'hi')).toBe('तमिल');
    expect(languageLabel('hi', 'hi')).toBe('हिन्दी');
    expect(languageLabel('ta', 'ta')).toBe('தமிழ்');
    expect(languageLabel('bn', 'bn')).toBe('বাংলা');
    expect(languageLabel('ur', 'ur')).toBe('اردو');
  });

  it('has a label for every scheduled language in English and Hindi', () => {
    for (const code of INDIA_SCHEDULED_LANGUAGES) {
      expect(languageLabel(code, 'en')).not.toBe(code);
      expect(languageLabel(code, 'hi')).not.toBe(code);
    }
  });

  it('canonicalises before naming and describes regional variants', () => {
    expect(languageLabel('EN-gb', 'en')).toBe('British English');
    expect(languageLabel('iw', 'en')).toBe('Hebrew');
  });

  it('never throws: unknown codes come back as codes, invalid tags as given', () => {
    expect(languageLabel('qaa', 'en')).toBe('qaa');
    expect(languageLabel('not a tag', 'en')).toBe('not a tag');
    expect(languageLabel('hi', 'not a tag')).toBe('Hindi');
  });
});
