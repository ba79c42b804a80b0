import { beforeAll, describe, expect, it } from 'vitest';
import { en } from './en';
import { hi } from './hi';
import { loadLocale, translate } from './i18n';

function leaves(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('catalogues', () => {
  it('speaks English for a language until its catalogue is loaded, and that language after', async () => {
    expect(translate('hi', 'nav.home')).toBe(en.nav.home);
    await loadLocale('hi');
    expect(translate('hi', 'nav.home')).toBe(hi.nav.home);
  });
});

describe('translations', () => {
  it('gives Hindi every English key, and nothing left in English by mistake', () => {
    expect(leaves(hi).sort()).toEqual(leaves(en).sort());
    const same = leaves(en).filter((k) => {
      const get = (d: unknown) => k.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown>)[p], d);
      return JSON.stringify(get(en)) === JSON.stringify(get(hi));
    });
    // Brand names of the networks are the same in both.
    expect(same.filter((k) => !k.startsWith('channels.'))).toEqual([]);
  });

  beforeAll(() => loadLocale('hi'));

  it('fills placeholders and chooses plurals by the language’s own rules', () => {
    expect(translate('en', 'home.approvals', { count: 1 })).toBe('1 message waits for your approval');
    expect(translate('en', 'home.approvals', { count: 3 })).toBe('3 messages wait for your approval');
    expect(translate('hi', 'home.approvals', { count: 1 })).toBe('1 संदेश आपके अनुमोदन की प्रतीक्षा में है');
    expect(translate('hi', 'home.approvals', { count: 2 })).toBe('2 संदेश आपके अनुमोदन की प्रतीक्षा में हैं');
    expect(translate('en', 'composer.bodyIn', { language: 'Hindi' })).toBe('Text in Hindi');
  });
});
