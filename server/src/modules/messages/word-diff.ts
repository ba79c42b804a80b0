/**
 * Word-level diff between two versions of a message body, for reviewers comparing versions.
 *
 * Tokens come from Intl.Segmenter (word granularity): every word, space run and punctuation mark
 * is a token, and a token never ends inside a grapheme, so a Devanagari matra or virama, a Tamil
 * pulli or an emoji ZWJ sequence is never cut. The `diff` package's diffWords is not used
 * directly: it normalises whitespace in its output (a double space comes back single), which
 * breaks the guarantee below, and its diffWordsWithSpace splits non-Latin words into characters.
 * So the tokens go through its Myers implementation (diffArrays) and are reassembled here.
 *
 * Guarantee: joining the equal and delete parts gives `before`; equal and insert gives `after`.
 */
import { diffArrays } from 'diff';
import { canonicalLanguageTag } from './language-tags.js';

export type WordDiffOp = 'equal' | 'insert' | 'delete';
export interface WordDiffPart {
  op: WordDiffOp;
  text: string;
}

/**
 * Cost bound. Myers' algorithm runs in O((N + M) · D) time for N and M tokens and D differing
 * tokens, so two unrelated 5,000-word bodies (about 20,000 tokens each) would cost ~10⁹ steps.
 * Past this many differing tokens (O((N + M) · 2,000), well under a second on bodies of
 * Facebook's 63,206-character maximum) the diff gives up on detail: the common prefix and suffix
 * stay equal and the middle is one delete and one insert. Still correct, just coarse.
 */
export const WORD_DIFF_MAX_EDIT_TOKENS = 2_000;

interface Token {
  text: string;
  /** A word, as opposed to spaces and punctuation; see foldTrivialEquals. */
  word: boolean;
}

function tokenize(text: string, segmenter: Intl.Segmenter): Token[] {
  return Array.from(segmenter.segment(text), (s) => ({ text: s.segment, word: s.isWordLike === true }));
}

const join = (tokens: readonly Token[]): string => tokens.map((t) => t.text).join('');

export function wordDiff(before: string, after: string, locale?: string): WordDiffPart[] {
  if (before === after) return before === '' ? [] : [{ op: 'equal', text: before }];
  const tag = (locale === undefined ? undefined : canonicalLanguageTag(locale)) ?? 'und';
  const segmenter = new Intl.Segmenter(tag, { granularity: 'word' });
  const a = tokenize(before, segmenter);
  const b = tokenize(after, segmenter);
  const changes = diffArrays(a, b, {
    comparator: (x, y) => x.text === y.text,
    maxEditLength: WORD_DIFF_MAX_EDIT_TOKENS,
  });
  const parts: Array<{ op: WordDiffOp; tokens: Token[] }> =
    changes === undefined
      ? coarse(a, b)
      : changes.map((c) => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', tokens: c.value }));
  return mergeRuns(foldTrivialEquals(parts));
}

/** The fallback past the cost bound: equal prefix, one delete, one insert, equal suffix. */
function coarse(a: Token[], b: Token[]): Array<{ op: WordDiffOp; tokens: Token[] }> {
  let start = 0;
  while (start < a.length && start < b.length && a[start]?.text === b[start]?.text) start += 1;
  let end = 0;
  while (
    end < a.length - start && end < b.length - start &&
    a[a.length - 1 - end]?.text === b[b.length - 1 - end]?.text
  ) end += 1;
  return [
    { op: 'equal', tokens: a.slice(0, start) },
    { op: 'delete', tokens: a.slice(start, a.length - end) },
    { op: 'insert', tokens: b.slice(start, b.length - end) },
    { op: 'equal', tokens: a.slice(a.length - end) },
  ];
}

/**
 * An unchanged run holding no word (a space, ", ") between two changes is noise: "the cat sat" →
 * "a dog ran" should read as one replacement, not three around kept spaces (jsdiff issue #160
 * describes the same perverse diffs). Such runs become a delete plus an insert of the same text.
 */
function foldTrivialEquals(parts: Array<{ op: WordDiffOp; tokens: Token[] }>) {
  return parts.flatMap((p, i) => {
    const sandwiched = i > 0 && i < parts.length - 1 && parts[i - 1]?.op !== 'equal' && parts[i + 1]?.op !== 'equal';
    if (p.op !== 'equal' || !sandwiched || p.tokens.some((t) => t.word)) return [p];
    return [{ op: 'delete' as const, tokens: p.tokens }, { op: 'insert' as const, tokens: p.tokens }];
  });
}

/** Each stretch between equal runs becomes at most one delete then one insert; empties go. */
function mergeRuns(parts: Array<{ op: WordDiffOp; tokens: Token[] }>): WordDiffPart[] {
  const out: WordDiffPart[] = [];
  let deleted = '';
  let inserted = '';
  const flush = () => {
    if (deleted !== '') out.push({ op: 'delete', text: deleted });
    if (inserted !== '') out.push({ op: 'insert', text: inserted });
    deleted = inserted = '';
  };
  for (const p of parts) {
    const text = join(p.tokens);
    if (p.op === 'delete') deleted += text;
    else if (p.op === 'insert') inserted += text;
    else if (text !== '') {
      flush();
      const last = out.at(-1);
      if (last?.op === 'equal') last.text += text;
      else out.push({ op: 'equal', text });
    }
  }
  flush();
  return out;
}
