import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language-detection.js';
import { analyseOne } from './lexicon.provider.js';

describe('offline sentiment', () => {
  it('records the method and a score for English', () => {
    const result = analyseOne('Thank you for the quick help with my passport.');
    expect(result).toMatchObject({ language: 'en', label: 'positive', method: 'vader-1.1.3+guddu-rules' });
    expect(result.score).toBeGreaterThan(0);
  });

  it('reads "बहुत" as an intensifier, where nlp.js alone scores "बहुत अच्छा" neutral', () => {
    const plain = analyseOne('अच्छा काम');
    const intensified = analyseOne('बहुत अच्छा काम');
    expect(intensified.label).toBe('positive');
    expect(intensified.score!).toBeGreaterThan(plain.score!);
  });

  it('flips a word negated after it, in Devanagari and romanised Hindi', () => {
    expect(analyseOne('सेवा अच्छी नहीं थी').label).toBe('negative');
    expect(analyseOne('service bilkul acchi nahi hai').label).toBe('negative');
    expect(analyseOne('koi dikkat nahi hui, sab smooth raha').label).toBe('positive');
  });

  it('reads "mat" and "bina" as negation of what follows', () => {
    expect(analyseOne('Shikayat bina solve kiye band kar di').label).toBe('negative');
  });

  it('does not take the tag question "na" for a negation', () => {
    expect(analyseOne('accha kaam hai na').label).toBe('positive');
  });

  it('scores English words inside code-mixed Hindi', () => {
    expect(analyseOne('Very bad service, bahut bura experience').label).toBe('negative');
    expect(analyseOne('Great job embassy, bahut badhiya').label).toBe('positive');
  });

  it('tells English, Hindi and Hinglish apart, and calls other languages unsupported', () => {
    expect(detectLanguage('The embassy is closed on Monday.')).toBe('en');
    expect(detectLanguage('दूतावास सोमवार को बंद रहेगा।')).toBe('hi');
    expect(detectLanguage('Embassy kab khulegi Monday ko?')).toBe('hi-Latn');
    expect(detectLanguage('Merci beaucoup pour votre aide')).toBe('unsupported');
    expect(detectLanguage('شكرا جزيلا للسفارة')).toBe('unsupported');
    expect(detectLanguage('दूतावासाने खूप मदत केली आहे')).toBe('unsupported'); // Marathi, in Devanagari
  });

  it('never guesses a score for an unsupported language', () => {
    expect(analyseOne('Muchas gracias por la ayuda')).toEqual({ language: 'unsupported', label: 'unsupported', score: null, method: 'none' });
  });
});
