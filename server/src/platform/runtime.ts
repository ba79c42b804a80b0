import type { Config } from './config/config.js';
import { resolveSecretKey } from './crypto/secret-key.js';
import { createDb, createPool, ensureDatabase } from './database/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './database/embedded-postgres.js';
import { migrate } from './database/migrator.js';
import { migrateJobStore } from './jobs/job-backend.js';
import type { Logger } from './logging/logger.js';
import type { PlatformResources, ProcessRole } from './platform.module.js';

export interface Runtime extends PlatformResources {
  close(): Promise<void>;
}

/**
 * Opens what every Guddu process needs before Nest: the database (starting the embedded
 * PostgreSQL when no DATABASE_URL is given), migrations applied, and the secret key. An admin
 * command run beside a server uses that server's embedded PostgreSQL; a second server
 * (`exclusive`) on the same data directory is refused.
 */
export async function openRuntime(config: Config, log: Logger, opts: { migrate?: boolean; exclusive?: boolean; role?: ProcessRole } = {}): Promise<Runtime> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(`${config.dataDir}`, log);
    if (opts.exclusive && embedded.sharedWith !== undefined) {
      throw new Error(`Guddu is already running on ${config.dataDir} (pid ${embedded.sharedWith}); stop it first, or give this one its own GUDDU_DATA_DIR`);
    }
    await ensureDatabase(embedded.urlFor('postgres'), 'guddu');
    url = embedded.url;
    if (embedded.sharedWith === undefined) log.info({ port: embedded.port }, 'embedded PostgreSQL started');
  }
  const pool = createPool(url, config.dbPoolSize, log);
  try {
    if (opts.migrate !== false) {
      const applied = await migrate(pool);
      if (applied.length) log.info({ applied }, 'migrations applied');
      // The embedded job store lives in its own schema and migrates itself, once, here: the
      // queues never migrate on connect, so replicas do not race to do it.
      if (!config.redisUrl) await migrateJobStore(pool);
    }
    const secretKey = await resolveSecretKey(config);
    const db = createDb(pool);
    return {
      config,
      log,
      pool,
      databaseUrl: url,
      db,
      secretKey,
      embedded: embedded !== undefined,
      role: opts.role ?? 'cli',
      async close() {
        await db.destroy();
        // Kysely ends the pool only if a query ever went through it; `migrate` alone never does,
        // and the pool's idle connection would then hold the process open for 30 seconds.
        if (!pool.ending) await pool.end();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await pool.end();
    await embedded?.stop();
    throw err;
  }
}
