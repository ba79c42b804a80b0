import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadEvaluationSet, score } from './evaluation.js';
import { analyseOne } from './lexicon.provider.js';

const SET = fileURLToPath(new URL('./sentiment-evaluation.tsv', import.meta.url));
// Floors at the targets; the set measured 0.91 (en) and 0.92 (hi) on the held-out half
// when it landed. A lexicon change that drops below is a regression, not a tuning choice.
const FLOOR = { en: 0.85, hi: 0.75 } as const;

describe('the labelled sentiment evaluation set', () => {
  const rows = loadEvaluationSet(SET);

  it('holds at least 200 English and 200 Hindi texts, with Hinglish among the Hindi', () => {
    expect(rows.filter((r) => r.lang === 'en').length).toBeGreaterThanOrEqual(200);
    const hindi = rows.filter((r) => r.lang === 'hi');
    expect(hindi.length).toBeGreaterThanOrEqual(200);
    expect(hindi.filter((r) => /^[\x20-\x7E]+$/.test(r.text)).length).toBeGreaterThanOrEqual(60);
  });

  it('splits into halves that both hold every language and label', () => {
    for (const split of ['development', 'held-out'] as const) {
      for (const lang of ['en', 'hi'] as const) {
        const labels = new Set(rows.filter((r) => r.split === split && r.lang === lang).map((r) => r.label));
        expect([...labels].sort()).toEqual(['negative', 'neutral', 'positive']);
      }
    }
  });

  it.each(['en', 'hi'] as const)('keeps macro-F1 on the held-out half above the floor (%s)', (lang) => {
    const heldOut = rows.filter((r) => r.lang === lang && r.split === 'held-out');
    const predicted = heldOut.map((r) => analyseOne(r.text).label);
    const result = score(heldOut.map((r) => r.label), predicted);
    expect(result.unsupported).toBe(0);
    expect(result.macroF1).toBeGreaterThanOrEqual(FLOOR[lang]);
  });
});
