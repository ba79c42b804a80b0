/**
 * Pure helpers for finding messages: list-valued query parameters, the search text, and the
 * snippets PostgreSQL's ts_headline returns.
 *
 * Snippets carry no markup. ts_headline marks matches with two Unicode noncharacters (U+FDD0,
 * U+FDD1: reserved for internal use, never meaningful in interchange text, and stripped from the
 * body before highlighting), and `snippetParts` turns them into `{ text, match }` parts. A
 * client renders each part as a text node, a match inside <mark>: nothing in a message body can
 * inject markup or forge a highlight, and French « guillemets » stay plain text.
 */

export const MATCH_START = '\uFDD0';
export const MATCH_END = '\uFDD1';

/** The longest search text accepted, in characters. */
export const MAX_QUERY_CHARS = 200;

/**
 * A query parameter given repeated (`channel=x&channel=facebook`, an array after parsing) or as
 * a comma list (`channel=x,facebook`): the trimmed, non-empty, de-duplicated values, in order.
 */
export function listParam(value: string | readonly string[]): string[] {
  const raw = typeof value === 'string' ? [value] : value;
  const out: string[] = [];
  for (const part of raw.flatMap((v) => v.split(','))) {
    const v = part.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

// A word: letters, combining marks (Devanagari vowel signs and viramas are marks) and digits.
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’_-][\p{L}\p{M}\p{N}]+)*/gu;

export interface SearchText {
  /** What websearch_to_tsquery parses: NFC, trimmed, inner whitespace collapsed. */
  text: string;
  /** Words the caller wants (not after a `-`, not the `or` keyword), lower case: matched by trigram similarity. */
  words: string[];
  /** The words joined, for `word_similarity`; null when too short for trigrams to mean anything. */
  fuzzy: string | null;
  /** The `-` terms, as a websearch query any of which excludes a text; null when there are none. */
  excluded: string | null;
}

/**
 * Reads a search as websearch_to_tsquery will (quoted phrases, `or`, `-word`), and keeps the
 * positive words for the typo-tolerant trigram match, which knows no operators.
 */
export function parseSearch(q: string): SearchText {
  const text = q.normalize('NFC').trim().replace(/\s+/gu, ' ');
  const words: string[] = [];
  const excluded: string[] = [];
  // A `-` opens a negated term (a word, or a quoted phrase) only at the start of a term.
  const terms = text.match(/-?"[^"]*"?|\S+/gu) ?? [];
  for (const term of terms) {
    if (term.startsWith('-')) {
      if (isSearchable(term)) excluded.push(term.slice(1));
      continue;
    }
    if (term.toLowerCase() === 'or') continue;
    for (const w of term.match(WORD) ?? []) {
      const lower = w.toLowerCase();
      if (!words.includes(lower)) words.push(lower);
    }
  }
  const joined = words.join(' ');
  // Fewer than three letters give one or two trigrams: every body would look like a typo of them.
  const fuzzy = [...joined.replace(/ /g, '')].length >= 3 ? joined : null;
  return { text, words, fuzzy, excluded: excluded.length ? excluded.join(' or ') : null };
}

/** True when the search has something to look for: at least one letter or digit. */
export function isSearchable(q: string): boolean {
  return /[\p{L}\p{N}]/u.test(q);
}

export interface SnippetPart {
  text: string;
  match: boolean;
}

/** ts_headline's output, marked with MATCH_START/MATCH_END, as plain-text parts. */
export function snippetParts(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let match = false;
  let current = '';
  const flush = () => {
    if (!current) return;
    const last = parts.at(-1);
    if (last && last.match === match) last.text += current;
    else parts.push({ text: current, match });
    current = '';
  };
  for (const ch of marked) {
    if (ch === MATCH_START || ch === MATCH_END) {
      flush();
      match = ch === MATCH_START;
    } else {
      current += ch;
    }
  }
  flush();
  return parts;
}

/** Whole local days from one 'YYYY-MM-DD' to another (negative when reversed). */
export function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / 86_400_000);
}
