import { describe, expect, it } from 'vitest';
import { prefersCsv } from './analytics-read.accept.js';

describe('Accept negotiation of the analytics reads', () => {
  it('answers CSV when text/csv is preferred', () => {
    expect(prefersCsv('text/csv')).toBe(true);
    expect(prefersCsv('text/csv, application/json;q=0.5')).toBe(true);
    expect(prefersCsv('TEXT/CSV; charset=utf-8')).toBe(true);
  });

  it('keeps JSON without a header, for wildcards, on a tie and when JSON ranks higher', () => {
    expect(prefersCsv(undefined)).toBe(false);
    expect(prefersCsv('*/*')).toBe(false);
    expect(prefersCsv('application/json')).toBe(false);
    expect(prefersCsv('text/csv, application/json')).toBe(false);
    expect(prefersCsv('text/csv;q=0.2, */*;q=0.8')).toBe(false);
    expect(prefersCsv('text/csv;q=0')).toBe(false);
  });
});
