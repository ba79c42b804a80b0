/** Scripts written right to left: their variant is edited with dir="rtl". */
const RTL = new Set(['ar', 'arc', 'dv', 'fa', 'he', 'ks', 'ku-Arab', 'ps', 'sd', 'ug', 'ur', 'yi']);

export function directionOf(tag: string): 'ltr' | 'rtl' {
  const lower = tag.toLowerCase();
  const base = lower.split('-')[0] ?? lower;
  return RTL.has(base) || lower.includes('-arab') || lower.includes('-hebr') ? 'rtl' : 'ltr';
}

/** Characters as a reader counts them: grapheme clusters, so "नमस्ते" and 👍🏽 count as they look. */
export function graphemes(text: string): number {
  let n = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) n++;
  return n;
}

/** The language's own name, in the reader's language ("Hindi", "हिन्दी"). */
export function languageName(tag: string, uiLocale: string): string {
  try {
    return new Intl.DisplayNames([uiLocale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
