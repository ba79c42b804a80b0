import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../../platform/config/config.js';
import { CONFIG } from '../../../platform/config/config.tokens.js';
import { LexiconSentimentProvider } from './lexicon.provider.js';
import { OpenAiCompatibleSentimentProvider } from './openai-compatible.provider.js';
import type { SentimentProvider, SentimentResult } from './sentiment.provider.js';

export function sentimentProviderFor(model: Config['sentimentModel']): SentimentProvider {
  return model ? new OpenAiCompatibleSentimentProvider(model) : new LexiconSentimentProvider();
}

/** Scores comments with the configured provider; listening calls it as comments arrive. */
@Injectable()
export class SentimentService {
  private readonly provider: SentimentProvider;

  constructor(@Inject(CONFIG) config: Config) {
    this.provider = sentimentProviderFor(config.sentimentModel);
  }

  get providerName(): string {
    return this.provider.name;
  }

  analyse(texts: readonly string[]): Promise<SentimentResult[]> {
    return this.provider.analyse(texts);
  }
}
