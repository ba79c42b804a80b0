import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { pino } from 'pino';
import pg from 'pg';
import { createPool, ensureDatabase } from '../src/platform/database/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/platform/database/embedded-postgres.js';
import { migrate } from '../src/platform/database/migrator.js';
import { migrateJobStore } from '../src/platform/jobs/job-backend.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test cluster, with DBNAME where the database name goes. */
    clusterUrl: string;
    /** A migrated database that each test file clones (CREATE DATABASE ... TEMPLATE). */
    templateDb: string;
    /** Prefix of every database this run creates, so teardown can drop them. */
    runPrefix: string;
    /** A database to connect to for CREATE DATABASE (never the template: that blocks cloning). */
    adminDb: string;
  }
}

/**
 * One PostgreSQL for the whole run: the server named by DATABASE_URL when set (CI's
 * PostgreSQL 15), otherwise an embedded PostgreSQL 18 in a temporary directory. Migrations run
 * once into a template; each test file gets its own database cloned from it.
 */
export default async function setup(project: TestProject) {
  const log = pino({ level: 'warn' });
  const runPrefix = `guddu_t${Date.now().toString(36)}${process.pid}`;
  let embedded: EmbeddedPostgresHandle | undefined;
  let dataDir: string | undefined;
  let clusterUrl: string;
  const given = process.env.DATABASE_URL;
  if (given) {
    const u = new URL(given);
    u.pathname = '/DBNAME';
    clusterUrl = u.toString();
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'guddu-test-'));
    embedded = await startEmbeddedPostgres(dataDir, log);
    clusterUrl = embedded.urlFor('DBNAME');
  }
  const urlFor = (db: string) => clusterUrl.replace('DBNAME', db);
  const adminDb = given ? new URL(given).pathname.slice(1) || 'postgres' : 'postgres';
  const templateDb = `${runPrefix}_tpl`;
  await ensureDatabase(urlFor(adminDb), templateDb);
  const pool = createPool(urlFor(templateDb), 2, log);
  await migrate(pool);
  // Every clone gets BullMQ's PostgreSQL job store too, as `guddu start` would create it.
  await migrateJobStore(pool);
  await pool.end();

  project.provide('clusterUrl', clusterUrl);
  project.provide('templateDb', templateDb);
  project.provide('runPrefix', runPrefix);
  project.provide('adminDb', adminDb);

  return async () => {
    const admin = new pg.Client({ connectionString: urlFor(adminDb) });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runPrefix}%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
