import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** A fresh database for one test file, cloned from the migrated template. */
export function createTestDatabase(): Promise<string> {
  return createDatabase({ fromTemplate: true });
}

/**
 * A new database on the test cluster, named with the run's prefix so teardown drops it:
 * cloned from the migrated template, or empty (for code that must migrate it itself).
 */
export async function createDatabase(opts: { fromTemplate: boolean }): Promise<string> {
  const clusterUrl = inject('clusterUrl');
  const name = `${inject('runPrefix')}_${opts.fromTemplate ? '' : 'e'}${randomUUID().slice(0, 8)}`;
  const template = opts.fromTemplate ? ` TEMPLATE ${pg.escapeIdentifier(inject('templateDb'))}` : '';
  const admin = new pg.Client({ connectionString: clusterUrl.replace('DBNAME', inject('adminDb')) });
  await admin.connect();
  try {
    // Cloning fails while another session is connected to the template; test files starting
    // together only race on that briefly, so retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${template}`);
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await admin.end();
  }
  return clusterUrl.replace('DBNAME', name);
}
