'use client';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type Messages } from './en';

export const LOCALES = { en: { dir: 'ltr', name: 'English' }, hi: { dir: 'ltr', name: 'हिन्दी' } } as const;
export type Locale = keyof typeof LOCALES;

/**
 * English is the source and the fallback, so it ships with the first page; every other catalogue
 * is its own chunk, fetched only by those who choose that language (Hindi alone is ~12 KB gzipped).
 */
const LOADERS: Record<Locale, () => Promise<Messages>> = {
  en: () => Promise.resolve(en),
  hi: () => import('./hi').then((m) => m.hi),
};
const loaded = new Map<Locale, Messages>([['en', en]]);

/** Fetches a language's catalogue once; `translate` falls back to English until it is here. */
export async function loadLocale(locale: Locale): Promise<void> {
  if (!loaded.has(locale)) loaded.set(locale, await LOADERS[locale]());
}

type Leaf = string | { one: string; other: string };
type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends Leaf ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Paths<Messages>;
export type Vars = Record<string, string | number>;

const STORE = 'guddu.locale';

function lookup(dict: Messages, key: string): Leaf | undefined {
  let node: unknown = dict;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node as Leaf | undefined;
}

/** Whole sentences with placeholders; plurals chosen by the locale's own rules. */
export function translate(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  const leaf = lookup(loaded.get(locale) ?? en, key) ?? lookup(en, key) ?? key;
  const text = typeof leaf === 'string' ? leaf : leaf[new Intl.PluralRules(locale).select(Number(vars.count ?? 0)) === 'one' ? 'one' : 'other'];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = vars[name];
    return v === undefined ? `{${name}}` : typeof v === 'number' ? new Intl.NumberFormat(locale).format(v) : v;
  });
}

interface I18n {
  locale: Locale;
  t: (key: MessageKey, vars?: Vars) => string;
  setLocale: (locale: Locale) => void;
  /** Remember the choice for this user (called once the user is known). */
  bindUser: (userId: string | undefined) => void;
}

const Ctx = createContext<I18n | undefined>(undefined);

function stored(userId: string | undefined): Locale | undefined {
  const value = localStorage.getItem(userId ? `${STORE}.${userId}` : STORE);
  return value && value in LOCALES ? (value as Locale) : undefined;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>('en');
  const [userId, setUserId] = useState<string | undefined>();
  // The language is switched once its catalogue is here, so no screen shows keys meanwhile.
  const show = useCallback((next: Locale) => {
    void loadLocale(next).then(() => setLocaleState(next));
  }, []);
  useEffect(() => {
    const chosen = stored(userId) ?? stored(undefined);
    if (chosen) show(chosen);
  }, [userId, show]);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = LOCALES[locale].dir;
  }, [locale]);
  const setLocale = useCallback(
    (next: Locale) => {
      localStorage.setItem(STORE, next);
      if (userId) localStorage.setItem(`${STORE}.${userId}`, next);
      show(next);
    },
    [userId, show],
  );
  const value = useMemo<I18n>(
    () => ({ locale, setLocale, bindUser: setUserId, t: (key, vars) => translate(locale, key, vars) }),
    [locale, setLocale],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Ctx);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

export const useT = () => useI18n().t;
