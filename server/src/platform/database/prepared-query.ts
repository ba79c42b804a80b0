import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './database.tokens.js';

// Stands for an argument while the query is built; no real value starts with a NUL.
const SLOT = '\u0000guddu-arg:';

/**
 * A query of fixed shape, built and compiled by Kysely once instead of on every call: building
 * the operation tree and compiling it to SQL was about a sixth of the node CPU of a tenant GET
 * (decision 0021). `build` gets stand-ins for its arguments and must pass each one as a bound
 * value (never into `sql.raw`, a branch, or a list whose length varies): the first call checks
 * that every argument came out as a parameter and that none leaked into the SQL text.
 *
 * For hot paths only; a query whose shape depends on its input stays an ordinary builder call.
 */
export function preparedQuery<A extends Record<string, string | number | boolean | Date>, R>(
  build: (db: Db, args: A) => Compilable<R>,
): (db: Db, args: A) => Promise<R[]> {
  let compiled: { query: CompiledQuery<R>; slots: (keyof A | undefined)[] } | undefined;
  return async (db, args) => {
    compiled ??= compile(db, build, Object.keys(args));
    const { query, slots } = compiled;
    const parameters = slots.map((key, i) => (key === undefined ? query.parameters[i] : args[key]));
    const result = await db.executeQuery<R>({ ...query, parameters });
    return result.rows;
  };
}

function compile<A, R>(db: Db, build: (db: Db, args: A) => Compilable<R>, keys: string[]) {
  const stand = Object.fromEntries(keys.map((k) => [k, `${SLOT}${k}`])) as A;
  const query = build(db, stand).compile();
  if (query.sql.includes(SLOT)) throw new Error('preparedQuery: an argument went into the SQL text instead of a parameter');
  const slots = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(SLOT) ? (p.slice(SLOT.length) as keyof A) : undefined));
  for (const k of keys) if (!slots.includes(k as keyof A)) throw new Error(`preparedQuery: argument "${k}" is not bound as a parameter`);
  return { query, slots };
}
