import type { SentimentLanguage } from './sentiment.provider.js';
import { HINDI_VALENCE, HINGLISH_MARKERS } from './hindi.lexicon.js';
import { VADER_LEXICON } from './vader-lexicon.js';

export type DetectedLanguage = SentimentLanguage | 'unsupported';

// Function words: a romanised comment is told apart by them, not by its rarer content words.
const ENGLISH_MARKERS = new Set(
  'the a an is are was were be been of and or to in on for with this that these those it its we you they he she i my our your their not no very have has had do does did will would should can could please thank thanks from at by as but so all any more most than what when why how who which'.split(' '),
);
// Marathi and Nepali share Devanagari with Hindi; their commonest words keep them from being scored as Hindi.
const OTHER_DEVANAGARI = new Set(['आहे', 'आहेत', 'नाही', 'आणि', 'होते', 'आम्ही', 'तुम्ही', 'छ', 'छन्', 'गर्नु', 'हुन्छ', 'पनि', 'हामी', 'धेरै']);

const DEVANAGARI = /[\u0900-\u097F]/g;
const LATIN = /[A-Za-z]/g;
const LETTER = /\p{L}/gu;
const WORD = /[\p{L}\p{M}\p{N}']+/gu;

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/**
 * Script first, then function words (decision 0024). Devanagari is Hindi, unless a Marathi or
 * Nepali marker shows; Latin is English or Hinglish by which function words it uses; any other
 * script, or Latin with neither, is unsupported rather than guessed.
 */
export function detectLanguage(text: string): DetectedLanguage {
  const letters = count(text, LETTER);
  if (letters === 0) return 'unsupported';
  const devanagari = count(text, DEVANAGARI);
  const latin = count(text, LATIN);
  if (devanagari + latin < letters * 0.7) return 'unsupported';
  const words = (text.toLowerCase().match(WORD) ?? []).map((w) => w.replace(/'/g, ''));
  if (devanagari >= letters * 0.3) {
    return words.some((w) => OTHER_DEVANAGARI.has(w)) ? 'unsupported' : 'hi';
  }
  let hinglish = 0;
  let english = 0;
  for (const w of words) {
    if (HINGLISH_MARKERS.has(w)) hinglish += 1;
    if (ENGLISH_MARKERS.has(w)) english += 1;
  }
  if (hinglish >= 1 && hinglish >= english) return 'hi-Latn';
  if (english >= 1) return 'en';
  if (words.some((w) => HINDI_VALENCE.has(w))) return 'hi-Latn';
  return words.some((w) => VADER_LEXICON.has(w)) ? 'en' : 'unsupported';
}
