import { z } from 'zod';
import { LexiconSentimentProvider } from './lexicon.provider.js';
import { detectLanguage } from './language-detection.js';
import { labelOf, type SentimentProvider, type SentimentResult } from './sentiment.provider.js';

export interface ModelSettings {
  /** Base URL of an OpenAI-compatible API, e.g. http://llm.internal/v1. */
  url: string;
  model: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

const answerSchema = z.object({ scores: z.array(z.number().min(-1).max(1)) });
const completionSchema = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1) });

const INSTRUCTIONS =
  'You rate the sentiment of public comments on a government ministry\'s social media posts. ' +
  'For each numbered comment, give a score from -1 (very negative) to 1 (very positive); 0 for neutral questions and notices. ' +
  'Answer only with JSON: {"scores": [..]} in the same order.';

/**
 * Used only when an operator configures a model (GUDDU_SENTIMENT_MODEL_URL): off by default, so a
 * default install makes no outbound call. Languages are still detected locally, and a comment in
 * a language Guddu does not support stays unsupported even if the model would answer. When the
 * model fails or answers out of shape, the batch falls back to the lexicon, and the method says so.
 */
export class OpenAiCompatibleSentimentProvider implements SentimentProvider {
  readonly name: string;
  private readonly fallback = new LexiconSentimentProvider();

  constructor(private readonly settings: ModelSettings) {
    this.name = `model:${settings.model}`;
  }

  async analyse(texts: readonly string[]): Promise<SentimentResult[]> {
    const languages = texts.map(detectLanguage);
    const supported = texts.filter((_, i) => languages[i] !== 'unsupported');
    let scores: number[];
    try {
      scores = supported.length === 0 ? [] : await this.ask(supported);
    } catch {
      return this.fallback.analyse(texts);
    }
    let k = 0;
    return texts.map((_, i) => {
      const language = languages[i] ?? 'unsupported';
      if (language === 'unsupported') return { language, label: 'unsupported', score: null, method: 'none' };
      const score = scores[k++] as number;
      return { language, label: labelOf(score), score, method: this.name };
    });
  }

  private async ask(texts: readonly string[]): Promise<number[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    const response = await fetch(`${this.settings.url.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers,
      signal: AbortSignal.timeout(this.settings.timeoutMs),
      body: JSON.stringify({
        model: this.settings.model,
        temperature: 0,
        messages: [
          { role: 'system', content: INSTRUCTIONS },
          { role: 'user', content: texts.map((t, i) => `${i + 1}. ${t.replace(/\s+/g, ' ')}`).join('\n') },
        ],
      }),
    });
    if (!response.ok) throw new Error(`sentiment model answered ${response.status}`);
    const completion = completionSchema.parse(await response.json());
    const content = completion.choices[0]?.message.content ?? '';
    const { scores } = answerSchema.parse(JSON.parse(content.slice(content.indexOf('{'), content.lastIndexOf('}') + 1)));
    if (scores.length !== texts.length) throw new Error('sentiment model answered for a different number of comments');
    return scores;
  }
}
