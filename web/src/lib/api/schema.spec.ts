import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

it('the committed API types match server/openapi.json (regenerate with `npm run api-types -w web`)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guddu-api-types-'));
  try {
    const cli = join(createRequire(import.meta.url).resolve('openapi-typescript/package.json'), '../bin/cli.js');
    execFileSync(process.execPath, [cli, here('../../../../server/openapi.json'), '-o', join(dir, 'schema.d.ts')], { stdio: 'pipe' });
    expect(readFileSync(here('./schema.d.ts'), 'utf8')).toBe(readFileSync(join(dir, 'schema.d.ts'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
