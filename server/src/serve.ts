import { createHttpApp } from './app.js';
import { SetupService } from './modules/setup/setup.service.js';
import type { Config } from './platform/config/config.js';
import { setupSteps } from './modules/setup/setup.steps.js';
import { announce, type Logger } from './platform/logging/logger.js';
import { openRuntime } from './platform/runtime.js';

/**
 * Starts the process in its role (`all`: API and jobs; `api`; `worker`: jobs, with only the
 * health probes on HTTP) and runs until SIGINT/SIGTERM. Shutdown stops accepting connections,
 * lets in-flight requests and jobs finish (up to the grace period), then closes the database,
 * so nothing a client was told succeeded is lost.
 */
export async function serve(config: Config, log: Logger, role: 'all' | 'api' | 'worker' = 'all'): Promise<number> {
  // A worker may share the embedded PostgreSQL of a `guddu serve` on the same data directory.
  const runtime = await openRuntime(config, log, { exclusive: role !== 'worker', role });
  let app;
  try {
    app = await createHttpApp(runtime);
  } catch (err) {
    await runtime.close();
    throw err;
  }
  const token = role === 'worker' ? undefined : await app.get(SetupService).prepare();
  await app.listen({ port: config.port, host: config.host });
  log.info({ url: `http://${config.host}:${config.port}`, embedded: runtime.embedded, role }, 'Guddu is listening');
  if (token) announce(log, 'First run: finish setup with the one-time token below', setupSteps(config.publicUrl, token), { setupToken: token });

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      log.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        log.error('shutdown grace period passed; exiting');
        process.exit(1);
      }, config.shutdownGraceSeconds * 1000);
      force.unref();
      // Fastify closes the keep-alive connections that are idle now; those serving a request
      // go idle once it is answered and would then hold the close open until the client drops
      // them, so keep reaping until the server has closed.
      const server = app.getHttpAdapter().getInstance().server;
      const reaper = setInterval(() => server.closeIdleConnections(), 100);
      app
        .close()
        .finally(() => clearInterval(reaper))
        .then(() => runtime.close())
        .then(
          () => resolve(0),
          (err: unknown) => {
            log.error({ err }, 'error during shutdown');
            resolve(1);
          },
        );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
