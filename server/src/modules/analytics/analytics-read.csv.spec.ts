import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, seriesCsv } from './analytics-read.csv.js';

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks, and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvLine(['x', 1, null])).toBe('x,1,\r\n');
  });

  it('defuses formulas but keeps negative numbers as numbers', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
  });

  it('writes "not available" as an empty cell, never 0', () => {
    const csv = seriesCsv([{ label: 'current', series: [{ bucket: '2026-12-01T00:00:00.000Z', posts: 2, impressions: null, reach: 5 }] }], 'message:1');
    const [header, row] = csv.split('\r\n');
    expect(header).toBe('scope,period,bucket,posts,impressions,reach,reactions,comments,shares,saves,clicks,video_views,watch_time_seconds,followers');
    expect(row).toBe('message:1,current,2026-12-01T00:00:00.000Z,2,,5,,,,,,,,');
  });
});
