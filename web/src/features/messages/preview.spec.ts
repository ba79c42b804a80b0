import { describe, expect, it } from 'vitest';
import { fold, segmentsFor } from './preview';

describe('network previews', () => {
  it('shows a long link shortened on X and whole on Facebook, keeping the full address', () => {
    const text = 'See https://mea.gov.in/press-releases/2026/12/statement-on-the-summit.htm now';
    const x = segmentsFor('x', text);
    expect(x[1]).toEqual({ kind: 'link', href: 'https://mea.gov.in/press-releases/2026/12/statement-on-the-summit.htm', text: 'mea.gov.in/press-relea…' });
    expect(segmentsFor('facebook', text)[1]).toMatchObject({ kind: 'link', text: 'https://mea.gov.in/press-releases/2026/12/statement-on-the-summit.htm' });
    expect(x.map((s) => s.kind)).toEqual(['text', 'link', 'text']);
  });

  it('marks Devanagari hashtags and mentions', () => {
    expect(segmentsFor('x', 'नमस्ते #हिंदी @mea').map((s) => [s.kind, s.text])).toEqual([
      ['text', 'नमस्ते '],
      ['tag', '#हिंदी'],
      ['text', ' '],
      ['tag', '@mea'],
    ]);
  });

  it('folds at graphemes, never splitting a conjunct or an emoji', () => {
    const segs = segmentsFor('instagram', 'क्षत्रिय 👨‍👩‍👧‍👦 end');
    expect(fold(segs, 5)).toEqual({ segments: [{ kind: 'text', text: 'क्षत्रिय 👨‍👩‍👧‍👦' }], folded: true });
    expect(fold(segs, 9).folded).toBe(false);
    expect(fold(segs, null).folded).toBe(false);
  });
});
