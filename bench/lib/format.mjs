// Plain-text tables and number formatting for benchmark output.

export const fmt = {
  rps: (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1)),
  ms: (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1)),
  int: (n) => String(n),
  ratio: (n) => n.toFixed(3),
};

/** rows: array of arrays of strings; the first is the header. Numbers right-aligned. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const numeric = rows[0].map((_, c) => rows.slice(1).every((r) => /^[-\d.,%x ]*$/.test(String(r[c]))));
  const line = (r) =>
    r.map((cell, c) => (numeric[c] && c > 0 ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
