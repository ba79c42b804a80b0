import { ENGLISH_METHOD, scoreEnglish } from './english.scorer.js';
import { HINDI_METHOD, scoreHindi } from './hindi.scorer.js';
import { detectLanguage } from './language-detection.js';
import { labelOf, type SentimentProvider, type SentimentResult } from './sentiment.provider.js';

export const LEXICON_PROVIDER = 'lexicon';

/** Offline and synchronous underneath: no network, nothing leaves the server. */
export class LexiconSentimentProvider implements SentimentProvider {
  readonly name = LEXICON_PROVIDER;

  analyse(texts: readonly string[]): Promise<SentimentResult[]> {
    return Promise.resolve(texts.map(analyseOne));
  }
}

export function analyseOne(text: string): SentimentResult {
  const language = detectLanguage(text);
  if (language === 'unsupported') return { language, label: 'unsupported', score: null, method: 'none' };
  const score = language === 'en' ? scoreEnglish(text) : scoreHindi(text);
  return { language, label: labelOf(score), score: round(score), method: language === 'en' ? ENGLISH_METHOD : HINDI_METHOD };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
