import { readFileSync } from 'node:fs';
import type { SentimentLabel } from './sentiment.provider.js';

/** A row of the labelled set: `lang<TAB>label<TAB>text`, lang `en` or `hi` (Hindi, Hinglish, code-mixed). */
export interface LabelledText {
  lang: 'en' | 'hi';
  label: SentimentLabel;
  text: string;
  split: 'development' | 'held-out';
}

const LABELS: readonly SentimentLabel[] = ['positive', 'negative', 'neutral'];

/**
 * Splits by a hash of the text, not by hand: nobody picks which rows are held out, and a row
 * stays on its side when others are added.
 */
export function loadEvaluationSet(path: string): LabelledText[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line, n) => {
      const [lang, label, ...rest] = line.split('\t');
      const text = rest.join('\t').trim();
      if ((lang !== 'en' && lang !== 'hi') || !LABELS.includes(label as SentimentLabel) || text === '') {
        throw new Error(`${path}: row ${n + 1} is not lang<TAB>label<TAB>text`);
      }
      return { lang, label: label as SentimentLabel, text, split: fnv1a(text) % 2 === 0 ? 'development' : 'held-out' };
    });
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(text, 'utf8')) {
    h ^= ch;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export interface Scores {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Rows the method called unsupported count as wrong: the set holds only supported languages. */
  unsupported: number;
}

export function score(expected: readonly SentimentLabel[], predicted: ReadonlyArray<SentimentLabel | 'unsupported'>): Scores {
  let correct = 0;
  expected.forEach((e, i) => {
    if (predicted[i] === e) correct += 1;
  });
  const f1s = LABELS.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    expected.forEach((e, i) => {
      const p = predicted[i];
      if (p === label && e === label) tp += 1;
      else if (p === label) fp += 1;
      else if (e === label) fn += 1;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return {
    n: expected.length,
    accuracy: expected.length === 0 ? 0 : correct / expected.length,
    macroF1: f1s.reduce((a, b) => a + b, 0) / LABELS.length,
    unsupported: predicted.filter((p) => p === 'unsupported').length,
  };
}
