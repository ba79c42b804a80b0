import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The lint config itself (eslint.config.js at the root, as `npm run lint` loads it) on snippets
// placed as files of the tree: a deliberate cross-module import must fail it. Only the type
// information is left out, which the boundary rule does not use: it would cost the whole
// program's type check, and a file that does not exist has none.
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'guddu/module-boundaries').map((m) => m.message);
}

describe('module boundaries lint', () => {
  it("fails on another module's repository, tables or private helper", async () => {
    const file = 'server/src/modules/setup/boundary-probe.ts';
    expect(await boundaryErrors(file, "import { UsersRepository } from '../identity/users.repository.js';\nexport const x = UsersRepository;\n")).toEqual([
      expect.stringContaining('private to the identity module'),
    ]);
    expect(await boundaryErrors(file, "import type { OrganisationsTable } from '../organisations/organisations.tables.js';\nexport type X = OrganisationsTable;\n")).toHaveLength(1);
    expect(await boundaryErrors(file, "import { Passwords } from '../identity/passwords.js';\nexport const x = Passwords;\n")).toHaveLength(1);
    expect(await boundaryErrors('server/src/modules/messages/approvals/probe.ts', "export * from '../../publishing/publishing.repository.js';\n")).toHaveLength(1);
  });

  it('passes on what a module exports, and on its own internals', async () => {
    const file = 'server/src/modules/setup/boundary-probe.ts';
    expect(await boundaryErrors(file, "import { UsersService } from '../identity/users.service.js';\nimport { SetupRepository } from './setup.repository.js';\nexport const x = [UsersService, SetupRepository];\n")).toEqual([]);
    expect(await boundaryErrors('server/src/modules/messages/approvals/probe.ts', "import { MessagesRepository } from '../messages.repository.js';\nexport const x = MessagesRepository;\n")).toEqual([]);
  });

  it('fails when platform imports a module', async () => {
    expect(await boundaryErrors('server/src/platform/http/probe.ts', "import { AuditService } from '../../modules/audit/audit.service.js';\nexport const x = AuditService;\n")).toHaveLength(1);
  });
});
