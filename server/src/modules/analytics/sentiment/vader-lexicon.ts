import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * VADER's word list, read from the package: English words inside code-mixed Hindi ("service
 * bahut poor hai") are scored with it, and a Latin comment with none of the function words is
 * still English when it uses them ("Extremely slow service, totally unacceptable").
 */
export const VADER_LEXICON: ReadonlyMap<string, number> = new Map(
  readFileSync(join(dirname(require.resolve('vader-sentiment/package.json')), 'vader_lexicon.txt'), 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cols) => cols.length >= 2 && /^[a-z]{3,}$/.test(cols[0] ?? ''))
    .map((cols) => [cols[0] as string, Number(cols[1])]),
);
