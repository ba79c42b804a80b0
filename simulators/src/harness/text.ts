const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function graphemeLength(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count += 1;
  return count;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Graph API timestamps: `2026-12-07T10:00:00+0000`. */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}
