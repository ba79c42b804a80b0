/** The languages an offline method supports; Hinglish (romanised Hindi) is scored as Hindi. */
export const SENTIMENT_LANGUAGES = ['en', 'hi', 'hi-Latn'] as const;
export type SentimentLanguage = (typeof SENTIMENT_LANGUAGES)[number];
export type SentimentLabel = 'positive' | 'negative' | 'neutral';

/**
 * One comment's sentiment. A language no method supports is `unsupported` with no score: a
 * guess would look like data on a dashboard.
 */
export type SentimentResult =
  | { language: SentimentLanguage; label: SentimentLabel; score: number; method: string }
  | { language: 'unsupported'; label: 'unsupported'; score: null; method: string };

/** The port: the offline lexicon by default, an OpenAI-compatible model when an operator sets one. */
export interface SentimentProvider {
  readonly name: string;
  analyse(texts: readonly string[]): Promise<SentimentResult[]>;
}

/** Scores in [-1, 1] like VADER's compound; this band is neutral (VADER's own convention). */
export const NEUTRAL_BAND = 0.05;

export function labelOf(score: number): SentimentLabel {
  if (score >= NEUTRAL_BAND) return 'positive';
  if (score <= -NEUTRAL_BAND) return 'negative';
  return 'neutral';
}
