import type pg from 'pg';

/**
 * Requests run as `guddu_app`: neither the owner of the tables nor a superuser, so PostgreSQL
 * row-level security applies to every query they make. The connecting user (owner of the
 * schema) switches to it per transaction with `SET LOCAL ROLE`.
 */
export const APP_ROLE = 'guddu_app';

export async function ensureAppRole(client: pg.PoolClient): Promise<void> {
  // System work (sign-in, setup, operator commands) runs as the connecting user and must see
  // every tenant's rows: refuse to start rather than fail later with empty results.
  const me = await client.query<{ name: string; ok: boolean }>(
    'SELECT current_user AS name, rolsuper OR rolbypassrls AS ok FROM pg_roles WHERE rolname = current_user',
  );
  if (!me.rows[0]?.ok) {
    throw new Error(`database user ${me.rows[0]?.name ?? '?'} must be a superuser or have BYPASSRLS (see docs/decisions/0002)`);
  }
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
  if (exists.rowCount === 0) {
    try {
      await client.query(`CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT`);
    } catch (err) {
      // Roles are cluster-wide while our migration lock is per database: another database on
      // the same server may have created it a moment ago.
      if ((err as { code?: string }).code !== '42710' && (err as { code?: string }).code !== '23505') {
        throw new Error(`cannot create role ${APP_ROLE}; create it or connect as a user with CREATEROLE`, { cause: err });
      }
    }
  }
  const member = await client.query<{ ok: boolean }>(`SELECT pg_has_role(current_user, $1, 'MEMBER') AS ok`, [APP_ROLE]);
  if (!member.rows[0]?.ok) await client.query(`GRANT ${APP_ROLE} TO current_user`);
}
