import { type CompiledQuery, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from './database.types.js';
import type { Db } from './database.tokens.js';
import { preparedQuery } from './prepared-query.js';

/** A Kysely whose driver records what would be sent, so the spec sees the SQL and parameters. */
function recordingDb(): { db: Db; sent: CompiledQuery[] } {
  const sent: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    executeQuery: async <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
      sent.push(q);
      return { rows: [{ n: sent.length } as R] };
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    beginTransaction: async () => undefined,
    commitTransaction: async () => undefined,
    rollbackTransaction: async () => undefined,
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, sent };
}

const ID_A = '0b4f5a52-5d2b-4c39-9a55-6f0f3c1f0a01';
const ID_B = '7d1c0f7e-2f6a-4b5e-8b0b-0e6f4a9d2b02';

describe('preparedQuery', () => {
  it('builds once and binds each call’s own arguments, where the builder put them', async () => {
    const { db, sent } = recordingDb();
    let builds = 0;
    const q = preparedQuery((k, a: { id: string; limit: number }) => {
      builds += 1;
      return k
        .selectFrom('organisations')
        .select('id')
        .where((eb) => eb.or([eb('id', '=', a.id), sql<boolean>`${a.id}::uuid = ANY (ancestry)`]))
        .where('kind', '=', 'mission')
        .limit(a.limit);
    });
    await q(db, { id: ID_A, limit: 5 });
    await q(db, { id: ID_B, limit: 7 });
    expect(builds).toBe(1);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.sql).toBe(sent[1]!.sql);
    expect(sent[0]!.parameters).toEqual([ID_A, ID_A, 'mission', 5]);
    expect(sent[1]!.parameters).toEqual([ID_B, ID_B, 'mission', 7]);
  });

  it('refuses an argument that went into the SQL text instead of a parameter', async () => {
    const { db } = recordingDb();
    const q = preparedQuery((k, a: { col: string }) => k.selectFrom('organisations').select(sql.raw(a.col).as('x')));
    await expect(q(db, { col: 'name' })).rejects.toThrow(/SQL text/);
  });

  it('refuses an argument the builder did not bind (a branch on its value would be frozen)', async () => {
    const { db } = recordingDb();
    const q = preparedQuery((k, a: { id: string; archived: boolean }) => {
      const base = k.selectFrom('organisations').select('id').where('id', '=', a.id);
      return a.archived ? base.where('kind', '=', 'ministry') : base;
    });
    await expect(q(db, { id: ID_A, archived: false })).rejects.toThrow(/"archived" is not bound/);
  });
});
