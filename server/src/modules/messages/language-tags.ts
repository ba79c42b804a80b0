/**
 * Language tags of message bodies: validation, text direction and human labels.
 *
 * Everything here rests on the ICU data that ships with Node (full-icu), so no tag list has to be
 * maintained by hand except the small set of right-to-left scripts below.
 */

/** The 22 languages of the Eighth Schedule to the Constitution of India, plus English. */
export const INDIA_SCHEDULED_LANGUAGES = [
  'as', 'bn', 'brx', 'doi', 'gu', 'hi', 'kn', 'ks', 'kok', 'mai', 'ml',
  'mni', 'mr', 'ne', 'or', 'pa', 'sa', 'sat', 'sd', 'ta', 'te', 'ur', 'en',
] as const;

export type IndiaScheduledLanguage = (typeof INDIA_SCHEDULED_LANGUAGES)[number];
export type TextDirection = 'ltr' | 'rtl';

/** RFC 5646 §4.4.1 suggests 35 characters as enough for any useful tag; longer is abuse. */
const MAX_TAG_LENGTH = 35;

/**
 * Returns the canonical form of a BCP 47 tag ('EN-latn-us' → 'en-Latn-US', 'iw' → 'he'), or
 * undefined when the tag is not one we store. Intl.getCanonicalLocales applies the Unicode
 * (UTS #35) rules, so deprecated codes are replaced by their current ones and grandfathered
 * irregular tags ('i-klingon') are refused. A private-use-only tag ('x-ministry') names no
 * language anyone else can render, so it is refused too.
 */
export function canonicalLanguageTag(tag: string): string | undefined {
  if (tag.length === 0 || tag.length > MAX_TAG_LENGTH) return undefined;
  if (/^x-/i.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    // RangeError: structurally invalid; the caller only needs "not a language tag".
    return undefined;
  }
}

/**
 * Scripts written right to left (Unicode Bidi_Class R/AL), by ISO 15924 code. The direction of
 * a language follows its script: Kashmiri and Sindhi are RTL in Perso-Arabic (their default)
 * but LTR in Devanagari ('ks-Deva', 'sd-Deva'); Punjabi is LTR in Gurmukhi but RTL as 'pa-Arab'.
 */
const RTL_SCRIPTS: ReadonlySet<string> = new Set([
  'Adlm', 'Arab', 'Aran', 'Armi', 'Avst', 'Chrs', 'Cprt', 'Elym', 'Hatr', 'Hebr', 'Hung',
  'Khar', 'Lydi', 'Mand', 'Mani', 'Mend', 'Merc', 'Mero', 'Narb', 'Nbat', 'Nkoo', 'Orkh',
  'Ougr', 'Palm', 'Phli', 'Phlp', 'Phnx', 'Prti', 'Rohg', 'Samr', 'Sarb', 'Sogd', 'Sogo',
  'Syrc', 'Thaa', 'Yezi',
]);

type LocaleWithTextInfo = Intl.Locale & {
  textInfo?: { direction?: string };
  getTextInfo?: () => { direction?: string };
};

/**
 * 'rtl' or 'ltr' for a tag; an invalid tag is treated as 'ltr' (the safe default for display).
 *
 * The script comes first (explicit subtag, else CLDR likely-subtags via maximize()), because
 * Intl.Locale's textInfo on Node 20 only knows locales that have CLDR layout data: it answers
 * 'ltr' for Dhivehi (Thaana) and for 'az-Arab'. textInfo (a getter on Node 20, getTextInfo() on
 * newer engines) is the fallback for a language whose script ICU cannot guess.
 */
export function languageDirection(tag: string): TextDirection {
  const canonical = canonicalLanguageTag(tag);
  if (canonical === undefined) return 'ltr';
  const locale = new Intl.Locale(canonical) as LocaleWithTextInfo;
  const script = locale.script ?? locale.maximize().script;
  if (script !== undefined) return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  const info = locale.getTextInfo?.() ?? locale.textInfo;
  return info?.direction === 'rtl' ? 'rtl' : 'ltr';
}

/**
 * The name of a language in another language, for pickers and labels: languageLabel('ta', 'hi')
 * is 'तमिल'. Labels are rendering, never validation, so this does not throw: an invalid tag comes
 * back as given, an unknown one as its canonical code, and an invalid display language falls
 * back to English.
 */
export function languageLabel(tag: string, displayIn: string): string {
  const canonical = canonicalLanguageTag(tag);
  if (canonical === undefined) return tag;
  const display = canonicalLanguageTag(displayIn) ?? 'en';
  const names = new Intl.DisplayNames([display, 'en'], { type: 'language', fallback: 'code' });
  return names.of(canonical) ?? canonical;
}
