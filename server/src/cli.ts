#!/usr/bin/env node
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { runAdminCommand } from './admin-commands.js';
import { AppModule } from './app.module.js';
import { packageVersion } from './cli-version.js';
import { ConfigError, loadConfig, type Config } from './platform/config/config.js';
import { createDb, createPool } from './platform/database/database.js';
import { buildOpenApi } from './platform/http/openapi.js';
import { createLogger, NestPinoLogger, type Logger } from './platform/logging/logger.js';
import { openRuntime, type Runtime } from './platform/runtime.js';
import { serve } from './serve.js';

const USAGE = `Usage: guddu <command> [options]

Commands:
  start            run Guddu (the default)
  serve            the HTTP API only (no background jobs)
  worker           background jobs only (HTTP answers /healthz and /readyz)
  migrate          apply database migrations and exit
  create-user      --email E --password P --org ORG_ID [--role viewer] [--name "Full Name"]
  reset-password   --email E --password P   (ends the user's sessions)
  reset-mfa        --email E   remove the user's second factors and end their sessions (a lost
                   authenticator, including the last owner's: the operator's way back in)
  clear-sso-requirement --org ORG_ID   set the organisation's own "require SSO" rule back to nobody
                   (break-glass: the identity provider is down or misconfigured; audited)
  verify-audit     [--org ORG_ID] [--checkpoint JWS]   chain what has committed, then verify audit
                   hash chains (every organisation by default); with --checkpoint, also check that
                   the chain still holds that signed checkpoint
  audit-checkpoint --org ORG_ID   print a signed checkpoint of the organisation's chain head
  rotate-keys      make a new access-token signing key current
  reseal-secrets   after a new GUDDU_SECRET_KEY (the old one in GUDDU_PREVIOUS_SECRET_KEY): seal every
                   stored secret (signing keys, channel tokens) again under the new key
  openapi          print the OpenAPI document
`;
const ADMIN_COMMANDS = ['create-user', 'reset-password', 'reset-mfa', 'clear-sso-requirement', 'verify-audit', 'audit-checkpoint', 'rotate-keys', 'reseal-secrets'];

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      checkpoint: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0] ?? 'start';
  if (values.help || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel, ['start', 'serve', 'worker'].includes(command) ? 'stdout' : 'stderr', config.logFormat);
  if (command === 'start') return serve(config, log, 'all');
  if (command === 'serve') return serve(config, log, 'api');
  if (command === 'worker') return serve(config, log, 'worker');
  if (command === 'migrate') {
    await (await openRuntime(config, log)).close();
    return 0;
  }
  if (command === 'openapi') return printOpenApi(config, log);
  if (!ADMIN_COMMANDS.includes(command)) {
    process.stderr.write(`Unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const runtime = await openRuntime(config, log);
  return withContext(runtime, log, (app) => runAdminCommand(app, command, values));
}

async function withContext(runtime: Runtime, log: Logger, fn: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<number>) {
  try {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(runtime), { logger: new NestPinoLogger(log) });
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  } finally {
    await runtime.close();
  }
}

/** The OpenAPI document needs the route metadata only, not a database: the pool never connects. */
async function printOpenApi(config: Config, log: Logger): Promise<number> {
  const quiet = log.child({}, { level: 'error' });
  const databaseUrl = 'postgres://unused@127.0.0.1:1/unused';
  const pool = createPool(databaseUrl, 1, quiet);
  const db = createDb(pool);
  const runtime: Runtime = { config, log: quiet, pool, databaseUrl, db, secretKey: randomBytes(32), embedded: false, role: 'cli', close: () => db.destroy() };
  return withContext(runtime, quiet, async (app) => {
    process.stdout.write(`${JSON.stringify(buildOpenApi(app, packageVersion()), null, 2)}\n`);
    return 0;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 78; // EX_CONFIG
      return;
    }
    process.stderr.write(`guddu: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
