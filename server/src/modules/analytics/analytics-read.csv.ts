import { METRICS } from './analytics.metrics.js';

/**
 * RFC 4180 CSV: a field with a comma, quote, CR or LF is quoted and its quotes doubled; lines end
 * in CRLF. A field a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed
 * with an apostrophe (OWASP CSV injection), numbers excepted. null, "not available", is empty.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: ReadonlyArray<string | number | null>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export interface CsvBucket {
  bucket: string;
  posts: number;
  [metric: string]: string | number | null;
}

/** One row per bucket; `period` says which (current or previous) so a comparison is one file. */
export function seriesCsv(periods: ReadonlyArray<{ label: string; series: readonly CsvBucket[] }>, scopeLabel: string): string {
  let out = csvLine(['scope', 'period', 'bucket', 'posts', ...METRICS]);
  for (const p of periods) for (const b of p.series) out += csvLine([scopeLabel, p.label, b.bucket, b.posts, ...METRICS.map((m) => (b[m] ?? null) as number | null)]);
  return out;
}
