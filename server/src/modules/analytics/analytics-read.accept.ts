/**
 * Whether an Accept header asks for CSV before JSON (RFC 9110 §12.5.1: the highest q wins; a
 * tie, a wildcard or no header keeps JSON, the read endpoints' own format).
 */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  let csv = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (range === 'text/csv') csv = Math.max(csv, q);
    else if (range === 'application/json' || range === 'application/*' || range === '*/*') json = Math.max(json, q);
  }
  return csv > 0 && csv > json;
}
