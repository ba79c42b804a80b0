import { createRequire } from 'node:module';
import { FORWARD_NEGATORS, HINDI_VALENCE, INTENSIFIERS, NEGATORS } from './hindi.lexicon.js';
import { VADER_LEXICON } from './vader-lexicon.js';

const require = createRequire(import.meta.url);
const AFINN_HI = require('@nlpjs/lang-hi/src/sentiment/afinn_hi.json') as Record<string, number>;
// Romanised Hindi words that are also English words with a valence ("ban gaya" is "became").
const NOT_ENGLISH = new Set(['ban', 'bas', 'par', 'mar', 'hit', 'hai', 'dil', 'pyar', 'mat', 'lol', 'kill']);

export const HINDI_METHOD = 'nlpjs-afinn-hi-4.26.1+guddu-rules';

// afinn_hi is machine-translated: many of its words are neutral in official Hindi ("जारी", "शुल्क");
// on its own it should not tip a notice into praise or complaint.
const AFINN_WEIGHT = 0.5;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const WINDOW_BEFORE = 3;
const WINDOW_AFTER = 2;
// A negation with no sentiment word near it ("जवाब नहीं मिला", "koi reply nahi aaya") is, in comments
// to a ministry, an expectation not met.
const BARE_NEGATION = -1;
// Tag questions ("accha hai na?") use "na" without negating.
const TAG_BEFORE = new Set(['है', 'हैं', 'था', 'थी', 'hai', 'hain', 'tha', 'thi', 'ho']);

function valenceOf(word: string): number | undefined {
  const own = HINDI_VALENCE.get(word);
  if (own !== undefined) return own;
  if (INTENSIFIERS.has(word) || NEGATORS.has(word)) return undefined;
  const afinn = AFINN_HI[word];
  if (afinn !== undefined) return afinn * AFINN_WEIGHT;
  if (NOT_ENGLISH.has(word)) return undefined;
  const english = VADER_LEXICON.get(word);
  return english === undefined ? undefined : english / 1.5;
}

/**
 * AFINN-style sum over Guddu's lexicon then nlp.js's afinn_hi, with the rules the raw lexicon
 * lacks: a negator flips the nearest sentiment word before it (Hindi puts "नहीं" after the word it
 * negates) or else just after it; an intensifier multiplies the next sentiment word. Normalised
 * to [-1, 1] the way VADER normalises.
 */
export function scoreHindi(text: string): number {
  const words = text.toLowerCase().match(WORD) ?? [];
  const valences: Array<number | undefined> = words.map(valenceOf);
  const weights = valences.map(() => 1);
  for (let i = 0; i < words.length; i += 1) {
    const boost = INTENSIFIERS.get(words[i] as string);
    if (boost === undefined) continue;
    const j = nextSentiment(valences, i, 2);
    if (j !== undefined) weights[j] = (weights[j] ?? 1) * boost;
  }
  let bare = 0;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    if (!NEGATORS.has(word)) continue;
    if ((word === 'na' || word === 'ना') && i > 0 && TAG_BEFORE.has(words[i - 1] as string) && i === words.length - 1) continue;
    const j = FORWARD_NEGATORS.has(word)
      ? (nextSentiment(valences, i, WINDOW_AFTER) ?? previousSentiment(valences, i, WINDOW_BEFORE))
      : (previousSentiment(valences, i, WINDOW_BEFORE) ?? nextSentiment(valences, i, WINDOW_AFTER));
    if (j === undefined) bare += BARE_NEGATION;
    else weights[j] = -(weights[j] ?? 1) * (valences[j]! > 0 ? 1 : 0.5);
  }
  let sum = bare;
  valences.forEach((v, i) => {
    if (v !== undefined) sum += v * (weights[i] ?? 1);
  });
  return normalise(sum);
}

function previousSentiment(valences: ReadonlyArray<number | undefined>, from: number, window: number): number | undefined {
  for (let j = from - 1; j >= Math.max(0, from - window); j -= 1) if (valences[j] !== undefined) return j;
  return undefined;
}

function nextSentiment(valences: ReadonlyArray<number | undefined>, from: number, window: number): number | undefined {
  for (let j = from + 1; j <= Math.min(valences.length - 1, from + window); j += 1) if (valences[j] !== undefined) return j;
  return undefined;
}

const normalise = (sum: number) => sum / Math.sqrt(sum * sum + 15);
