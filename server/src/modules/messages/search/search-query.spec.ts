import { describe, expect, it } from 'vitest';
import { MATCH_END, MATCH_START, daysBetween, isSearchable, listParam, parseSearch, snippetParts } from './search-query.js';

describe('listParam', () => {
  it('takes a repeated parameter, a comma list, or both, trimmed and de-duplicated', () => {
    expect(listParam('x')).toEqual(['x']);
    expect(listParam('x, facebook,,x')).toEqual(['x', 'facebook']);
    expect(listParam(['x', 'facebook,instagram', ' '])).toEqual(['x', 'facebook', 'instagram']);
  });
});

describe('parseSearch', () => {
  it('normalises to NFC and collapses whitespace for the full-text parser', () => {
    // "é" as e + combining acute becomes one code point, as message bodies are stored.
    expect(parseSearch('  re\u0301union   des   ambassadeurs ').text).toBe('r\u00e9union des ambassadeurs');
  });

  it('keeps the wanted words for the typo match, leaving out negated terms and the or keyword', () => {
    expect(parseSearch('"trade talks" or Diplomcy -embargo -"press note"').words).toEqual(['trade', 'talks', 'diplomcy']);
  });

  it('collects the excluded terms, so that a typo match cannot bring back what the query excludes', () => {
    expect(parseSearch('"trade talks" -embargo -"press note" - -').excluded).toBe('embargo or "press note"');
    expect(parseSearch('trade').excluded).toBeNull();
  });

  it('keeps Devanagari words whole, vowel signs and viramas included', () => {
    expect(parseSearch('भारत फ्रांस').words).toEqual(['भारत', 'फ्रांस']);
    expect(parseSearch('भारत').fuzzy).toBe('भारत');
  });

  it('has no typo match for a query too short to have trigrams worth comparing', () => {
    expect(parseSearch('eu').fuzzy).toBeNull();
    expect(parseSearch('-diplomacy').fuzzy).toBeNull();
    expect(parseSearch('G20').fuzzy).toBe('g20');
  });
});

describe('isSearchable', () => {
  it('needs a letter or a digit', () => {
    expect(isSearchable('भारत')).toBe(true);
    expect(isSearchable('2026')).toBe(true);
    expect(isSearchable(' -"" !? ')).toBe(false);
  });
});

describe('snippetParts', () => {
  it('turns the match markers into plain-text parts', () => {
    expect(snippetParts(`Talks on ${MATCH_START}diplomacy${MATCH_END} and ${MATCH_START}trade${MATCH_END}.`)).toEqual([
      { text: 'Talks on ', match: false },
      { text: 'diplomacy', match: true },
      { text: ' and ', match: false },
      { text: 'trade', match: true },
      { text: '.', match: false },
    ]);
  });

  it('leaves markup and quotation marks in the body as text', () => {
    expect(snippetParts(`<b>« ${MATCH_START}भारत${MATCH_END} »</b>`)).toEqual([
      { text: '<b>« ', match: false },
      { text: 'भारत', match: true },
      { text: ' »</b>', match: false },
    ]);
  });

  it('merges adjacent matches and handles text without any', () => {
    expect(snippetParts(`${MATCH_START}a${MATCH_END}${MATCH_START}b${MATCH_END}`)).toEqual([{ text: 'ab', match: true }]);
    expect(snippetParts('plain')).toEqual([{ text: 'plain', match: false }]);
    expect(snippetParts('')).toEqual([]);
  });
});

describe('daysBetween', () => {
  it('counts calendar days, across month ends and leap days', () => {
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(daysBetween('2026-01-01', '2026-04-03')).toBe(92);
    expect(daysBetween('2026-03-02', '2026-03-01')).toBe(-1);
  });
});
