import { describe, expect, it } from 'vitest';
import { WORD_DIFF_MAX_EDIT_TOKENS, type WordDiffPart, wordDiff } from './word-diff.js';

const side = (parts: WordDiffPart[], drop: 'insert' | 'delete') =>
  parts.filter((p) => p.op !== drop).map((p) => p.text).join('');

/** Offsets where Intl.Segmenter puts a word boundary: every cut must be one of them. */
function wordBoundaries(text: string): Set<number> {
  const cuts = new Set([0, text.length]);
  for (const s of new Intl.Segmenter('und', { granularity: 'word' }).segment(text)) cuts.add(s.index);
  return cuts;
}

/** Checks every promise wordDiff makes, whatever the input. */
function expectWellFormed(before: string, after: string, parts: WordDiffPart[]): void {
  expect(side(parts, 'insert')).toBe(before);
  expect(side(parts, 'delete')).toBe(after);
  for (const [i, p] of parts.entries()) {
    expect(p.text).not.toBe('');
    if (i > 0) expect(parts[i - 1]?.op).not.toBe(p.op);
    // Within one change stretch the delete comes first.
    if (p.op === 'delete') expect(parts[i - 1]?.op).not.toBe('insert');
  }
  for (const [text, drop] of [[before, 'insert'], [after, 'delete']] as const) {
    const allowed = wordBoundaries(text);
    let offset = 0;
    for (const p of parts.filter((q) => q.op !== drop)) {
      expect(allowed.has(offset)).toBe(true);
      offset += p.text.length;
    }
  }
}

function check(before: string, after: string, locale?: string): WordDiffPart[] {
  const parts = wordDiff(before, after, locale);
  expectWellFormed(before, after, parts);
  return parts;
}

describe('wordDiff', () => {
  it('returns one equal part for identical text, and nothing for two empty texts', () => {
    expect(check('नमस्ते', 'नमस्ते')).toEqual([{ op: 'equal', text: 'नमस्ते' }]);
    expect(check('', '')).toEqual([]);
  });

  it('handles text appearing from nothing and vanishing', () => {
    expect(check('', 'new text')).toEqual([{ op: 'insert', text: 'new text' }]);
    expect(check('old text', '')).toEqual([{ op: 'delete', text: 'old text' }]);
  });

  it('replaces one English word', () => {
    expect(check('the quick brown fox', 'the slow brown fox')).toEqual([
      { op: 'equal', text: 'the ' },
      { op: 'delete', text: 'quick' },
      { op: 'insert', text: 'slow' },
      { op: 'equal', text: ' brown fox' },
    ]);
  });

  it('preserves whitespace exactly, including double spaces and newlines', () => {
    expect(check('hello  world', 'hello world')).toEqual([
      { op: 'equal', text: 'hello' },
      { op: 'delete', text: '  ' },
      { op: 'insert', text: ' ' },
      { op: 'equal', text: 'world' },
    ]);
    check('line one\n\nline two\r\n', 'line one\nline 2\r\n');
    check('\ttabbed\u00A0nbsp  ', ' tabbed nbsp');
  });

  it('replaces a whole Devanagari word when only a matra changes', () => {
    expect(check('आप कैसे हो?', 'आप कैसी हो?', 'hi')).toEqual([
      { op: 'equal', text: 'आप ' },
      { op: 'delete', text: 'कैसे' },
      { op: 'insert', text: 'कैसी' },
      { op: 'equal', text: ' हो?' },
    ]);
  });

  it('never splits at a virama: हिन्दी and हिंदी differ as words', () => {
    expect(check('हिन्दी भाषा', 'हिंदी भाषा', 'hi')).toEqual([
      { op: 'delete', text: 'हिन्दी' },
      { op: 'insert', text: 'हिंदी' },
      { op: 'equal', text: ' भाषा' },
    ]);
  });

  it('diffs Tamil and Bengali by word', () => {
    expect(check('வணக்கம் நண்பர்களே', 'வணக்கம் தோழர்களே', 'ta')).toEqual([
      { op: 'equal', text: 'வணக்கம் ' },
      { op: 'delete', text: 'நண்பர்களே' },
      { op: 'insert', text: 'தோழர்களே' },
    ]);
    expect(check('আমি বাংলায় গান গাই', 'আমি বাংলায় কথা বলি', 'bn')).toEqual([
      { op: 'equal', text: 'আমি বাংলায় ' },
      { op: 'delete', text: 'গান গাই' },
      { op: 'insert', text: 'কথা বলি' },
    ]);
  });

  it('diffs right-to-left Urdu in logical order', () => {
    expect(check('سلام دنیا', 'سلام دوستو', 'ur')).toEqual([
      { op: 'equal', text: 'سلام ' },
      { op: 'delete', text: 'دنیا' },
      { op: 'insert', text: 'دوستو' },
    ]);
  });

  it('treats an emoji ZWJ sequence as one token, never a part of it', () => {
    expect(check('👨‍👩‍👧 family', '👨‍👩‍👧‍👦 family')).toEqual([
      { op: 'delete', text: '👨‍👩‍👧' },
      { op: 'insert', text: '👨‍👩‍👧‍👦' },
      { op: 'equal', text: ' family' },
    ]);
    expect(check('thanks 👍🏽', 'thanks 👍🏿')).toEqual([
      { op: 'equal', text: 'thanks ' },
      { op: 'delete', text: '👍🏽' },
      { op: 'insert', text: '👍🏿' },
    ]);
  });

  it('keeps a combining mark with its letter', () => {
    expect(check('cafe\u0301 open', 'cafe open')).toEqual([
      { op: 'delete', text: 'cafe\u0301' },
      { op: 'insert', text: 'cafe' },
      { op: 'equal', text: ' open' },
    ]);
  });

  it('diffs mixed scripts in one body', () => {
    const parts = check('PM visits Paris, प्रधानमंत्री पेरिस में 🇮🇳🇫🇷', 'PM visits Lyon, प्रधानमंत्री ल्यों में 🇮🇳🇫🇷', 'hi');
    expect(parts.filter((p) => p.op === 'delete').map((p) => p.text)).toEqual(['Paris', 'पेरिस']);
    expect(parts.filter((p) => p.op === 'insert').map((p) => p.text)).toEqual(['Lyon', 'ल्यों']);
  });

  it('reads a full rewrite as one replacement, not words around kept spaces', () => {
    expect(check('the cat sat', 'a dog ran')).toEqual([
      { op: 'delete', text: 'the cat sat' },
      { op: 'insert', text: 'a dog ran' },
    ]);
    expect(check('Hi, there. Bye', 'Yo, you. Bye')).toEqual([
      { op: 'delete', text: 'Hi, there' },
      { op: 'insert', text: 'Yo, you' },
      { op: 'equal', text: '. Bye' },
    ]);
  });

  it('turns coarse but stays exact past the edit bound', () => {
    const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');
    const pair = (n: number) => [
      `Intro नमस्ते ${words('a', n)} KEEP ${words('c', n)} closing वाक्य.`,
      `Intro नमस्ते ${words('b', n)} KEEP ${words('d', n)} closing वाक्य.`,
    ] as const;
    // Under the bound the common word in the middle is found...
    const [smallBefore, smallAfter] = pair(5);
    expect(check(smallBefore, smallAfter, 'hi').map((p) => p.op)).toEqual(['equal', 'delete', 'insert', 'equal', 'delete', 'insert', 'equal']);
    // ...past it (4 × n differing tokens) only the common prefix and suffix are.
    const [before, after] = pair(WORD_DIFF_MAX_EDIT_TOKENS / 2);
    const parts = check(before, after, 'hi');
    expect(parts.map((p) => p.op)).toEqual(['equal', 'delete', 'insert', 'equal']);
    expect(parts[0]?.text).toBe('Intro नमस्ते ');
    expect(parts[3]?.text).toBe(' closing वाक्य.');
  });

  it('keeps every promise on random multi-script edits', () => {
    const pool = ['नमस्ते', 'क्षत्रिय', 'हिन्दी', 'வணக்கம்', 'বাংলা', 'سلام', 'دنیا', 'ᱥᱟᱱᱛᱟᱲᱤ', 'hello', 'café', 'cafe\u0301',
      '👨‍👩‍👧‍👦', '👍🏽', '🇮🇳', '।', ',', '!', ' ', '  ', '\n', 'https://mea.gov.in', '#भारत', '@mea', '2026'];
    let seed = 42; // deterministic, so a failure reproduces
    const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    const text = (n: number) => Array.from({ length: n }, () => pool[rand(pool.length)] ?? '').join(rand(3) === 0 ? '' : ' ');
    for (let i = 0; i < 200; i += 1) {
      const before = text(rand(30));
      const tokens = before.split(' ');
      const after = tokens.map((t) => (rand(4) === 0 ? (pool[rand(pool.length)] ?? '') : t)).filter(() => rand(10) !== 0).join(' ') + text(rand(3));
      check(before, after);
    }
  });

  it('does not throw for an invalid locale', () => {
    expect(check('नमस्ते दुनिया', 'नमस्ते भारत', 'not a tag').at(-1)).toEqual({ op: 'insert', text: 'भारत' });
  });
});
