/**
 * A language for comments no sentiment method scores, from the script alone where a script
 * belongs to one language; `und` (BCP 47's "undetermined") otherwise: Latin, Arabic or Cyrillic
 * text without the markers the sentiment detector knows is not guessed (decision 0029).
 */
const SINGLE_LANGUAGE_SCRIPTS: ReadonlyArray<[RegExp, string]> = [
  [/[\u0B80-\u0BFF]/g, 'ta'],
  [/[\u0C00-\u0C7F]/g, 'te'],
  [/[\u0C80-\u0CFF]/g, 'kn'],
  [/[\u0D00-\u0D7F]/g, 'ml'],
  [/[\u0A80-\u0AFF]/g, 'gu'],
  [/[\u0A00-\u0A7F]/g, 'pa'],
  [/[\u0B00-\u0B7F]/g, 'or'],
  [/[\u0E00-\u0E7F]/g, 'th'],
  [/[\uAC00-\uD7AF]/g, 'ko'],
  [/[\u3040-\u30FF]/g, 'ja'],
  [/[\u0370-\u03FF]/g, 'el'],
];
const LETTER = /\p{L}/gu;

export function scriptLanguage(text: string): string {
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters === 0) return 'und';
  for (const [re, lang] of SINGLE_LANGUAGE_SCRIPTS) if ((text.match(re)?.length ?? 0) >= letters * 0.6) return lang;
  return 'und';
}
