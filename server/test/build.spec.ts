import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// server/build.mjs on a two-file project of its own: it must compile when, and only when, the
// output does not match the sources (`npm start` runs it before every start).
const server = join(dirname(fileURLToPath(import.meta.url)), '..');
let project: string;

function build(): { built: boolean; status: number | null } {
  const run = spawnSync(process.execPath, [join(project, 'build.mjs')], { encoding: 'utf8' });
  return { built: run.stderr.includes('building the server'), status: run.status };
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'guddu-build-'));
  await copyFile(join(server, 'build.mjs'), join(project, 'build.mjs'));
  await symlink(join(server, '..', 'node_modules'), join(project, 'node_modules'));
  await mkdir(join(project, 'src', 'nested'), { recursive: true });
  await writeFile(join(project, 'src', 'main.ts'), "import { two } from './nested/two.js';\nexport const three = two + 1;\n");
  await writeFile(join(project, 'src', 'nested', 'two.ts'), 'export const two = 2;\n');
  await writeFile(join(project, 'src', 'main.spec.ts'), 'export {};\n');
  const options = { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: [] };
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: ['src'] }));
  await writeFile(
    join(project, 'tsconfig.build.json'),
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { rootDir: 'src', outDir: 'dist', incremental: true, tsBuildInfoFile: 'dist/.tsbuildinfo' },
      include: ['src'],
      exclude: ['src/**/*.spec.ts'],
    }),
  );
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('the server build before a start', () => {
  it('compiles a tree never built, then leaves it alone while nothing changes', () => {
    expect(build()).toEqual({ built: true, status: 0 });
    expect(existsSync(join(project, 'dist', 'nested', 'two.js'))).toBe(true);
    expect(build()).toEqual({ built: false, status: 0 });
  }, 120_000);

  it('compiles again when a source changes, and brings back an output deleted from dist', async () => {
    // The edit comes after the build, however coarse the file system's clock.
    const earlier = new Date(Date.now() - 60_000);
    await utimes(join(project, 'dist', '.tsbuildinfo'), earlier, earlier);
    await writeFile(join(project, 'src', 'nested', 'two.ts'), 'export const two = 20;\n');
    expect(build()).toEqual({ built: true, status: 0 });
    const { three } = (await import(join(project, 'dist', 'main.js'))) as { three: number };
    expect(three).toBe(21);

    await rm(join(project, 'dist', 'main.js'));
    expect(build()).toEqual({ built: true, status: 0 });
    expect(existsSync(join(project, 'dist', 'main.js'))).toBe(true);
    expect(build()).toEqual({ built: false, status: 0 });
  }, 120_000);
});
