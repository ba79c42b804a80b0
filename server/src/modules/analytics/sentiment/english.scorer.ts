import { createRequire } from 'node:module';
import { ENGLISH_OVERRIDES, ENGLISH_PHRASES } from './english.lexicon.js';

interface Vader {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } };
}
const require = createRequire(import.meta.url);
const vader = require('vader-sentiment') as Vader;

export const ENGLISH_METHOD = 'vader-1.1.3+guddu-rules';

const ALPHA = 15; // VADER's normalisation constant

/**
 * VADER's compound, corrected: the compound is turned back into VADER's valence sum, Guddu's
 * overrides and phrases are added, and the sum is normalised again the way VADER does.
 */
export function scoreEnglish(text: string): number {
  const compound = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
  const clamped = Math.max(-0.9999, Math.min(0.9999, compound));
  let sum = clamped * Math.sqrt(ALPHA / (1 - clamped * clamped));
  for (const word of text.toLowerCase().match(/[a-z']+/g) ?? []) sum += ENGLISH_OVERRIDES.get(word) ?? 0;
  for (const [pattern, valence] of ENGLISH_PHRASES) sum += (text.match(pattern)?.length ?? 0) * valence;
  return sum / Math.sqrt(sum * sum + ALPHA);
}
