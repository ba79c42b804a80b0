import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type { Logger } from 'pino';
import { EmbeddedPostgresError } from './embedded-postgres-error.js';

/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user. That user
 * must be able to execute the bundled binaries and to reach its cluster; a clone in a folder
 * only root may enter (root's home, 0700) allows neither. Then the binaries are mirrored to, and
 * the cluster kept in, ROOT_HOME, and the data dir records where its cluster lives.
 */
export interface Binaries {
  initdb: string;
  postgres: string;
}

export interface PostgresUser {
  uid: number;
  gid: number;
}

export const POSTGRES_USER = 'postgres';
/** Where root's Guddu keeps what the postgres user must reach; root-owned, 0755. */
export const ROOT_HOME = '/var/lib/guddu';
/** In the data dir: the absolute path of a cluster kept outside it. */
const LOCATION_FILE = 'postgres.location';

/** The user to run PostgreSQL as, when we are root (created if missing); otherwise undefined. */
export function postgresUser(): PostgresUser | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, POSTGRES_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', POSTGRES_USER]);
    const made = spawnSync('useradd', ['--system', '-g', POSTGRES_USER, POSTGRES_USER], { encoding: 'utf8' });
    if (made.status !== 0) {
      throw new EmbeddedPostgresError(
        `cannot create the ${POSTGRES_USER} system user (PostgreSQL refuses to run as root): ${made.error?.message ?? made.stderr.trim()}`,
        `create it yourself (useradd --system ${POSTGRES_USER}), run Guddu as a non-root user, or set DATABASE_URL`,
      );
    }
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/**
 * Whether `user` may enter `dir`: search permission on it and every folder above it, read from
 * the mode bits. Supplementary groups and ACLs are not consulted, so the answer errs towards
 * "no", which costs a relocation, never a failed start.
 */
export function canEnter(dir: string, user: PostgresUser): boolean {
  for (let at = resolve(dir); ; at = dirname(at)) {
    let st;
    try {
      st = statSync(at);
    } catch {
      return false;
    }
    const searchable = st.uid === user.uid ? st.mode & 0o100 : st.gid === user.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!searchable) return false;
    if (at === dirname(at)) return true;
  }
}

/** The bundled binaries when the postgres user can run them where they are, else a mirror it can. */
export async function binariesFor(bin: Binaries, user: PostgresUser | undefined, log: Logger): Promise<Binaries> {
  if (!user || runs(bin.postgres, user)) return bin;
  const native = dirname(dirname(bin.postgres)); // <package>/native/bin/postgres
  const version = (JSON.parse(await readFile(join(native, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const mirror = join(await rootHome(), `pg-${version}`);
  if (!existsSync(mirror)) {
    log.info({ from: native, to: mirror }, 'the postgres user cannot reach the bundled PostgreSQL; mirroring it');
    // Copied beside the target and renamed into place, so a mirror that exists is whole.
    const partial = `${mirror}.partial-${randomBytes(4).toString('hex')}`;
    try {
      await cp(native, partial, { recursive: true, verbatimSymlinks: true });
      await openUp(partial);
      await rename(partial, mirror).catch((err: NodeJS.ErrnoException) => {
        if (!existsSync(mirror)) throw err; // another Guddu mirrored it meanwhile: use theirs
      });
    } catch (cause) {
      throw new EmbeddedPostgresError(`cannot mirror the PostgreSQL binaries to ${mirror}: ${(cause as Error).message}`, `make ${ROOT_HOME} writable by root, run Guddu as a non-root user, or set DATABASE_URL`, cause);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }
  const mirrored = { initdb: join(mirror, 'bin', 'initdb'), postgres: join(mirror, 'bin', 'postgres') };
  if (!runs(mirrored.postgres, user)) {
    throw new EmbeddedPostgresError(`the ${POSTGRES_USER} user cannot run ${mirrored.postgres}`, `remove ${mirror} so that it is mirrored again, run Guddu as a non-root user, or set DATABASE_URL`);
  }
  return mirrored;
}

function runs(binary: string, user: PostgresUser): boolean {
  return spawnSync(binary, ['--version'], { ...user, stdio: 'ignore' }).status === 0;
}

/** A root umask (077) may have made the installed files private: let others read and run them. */
async function openUp(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await openUp(path);
    else if (entry.isFile()) {
      const { mode } = await lstat(path);
      await chmod(path, mode & 0o100 ? 0o755 : 0o644);
    }
  }
}

/** ROOT_HOME, refused if anyone but root could write to it (they could swap the binaries). */
async function rootHome(): Promise<string> {
  await mkdir(ROOT_HOME, { recursive: true, mode: 0o755 });
  const st = statSync(ROOT_HOME);
  if (st.uid !== 0 || st.mode & 0o022) {
    throw new EmbeddedPostgresError(`${ROOT_HOME} is not owned by root or is writable by others`, `chown root ${ROOT_HOME} && chmod 755 ${ROOT_HOME}`);
  }
  return ROOT_HOME;
}

/**
 * Where the cluster of `dataDir` lives: `<dataDir>/postgres` unless we are root and the postgres
 * user cannot reach the data dir, then a folder of its own under ROOT_HOME, recorded in the data
 * dir so that every later start finds it.
 */
export async function clusterDirFor(dataDir: string, user: PostgresUser | undefined, log: Logger): Promise<string> {
  const inPlace = join(dataDir, 'postgres');
  if (!user) return inPlace;
  const location = join(dataDir, LOCATION_FILE);
  if (existsSync(location)) {
    const recorded = (await readFile(location, 'utf8')).trim();
    if (!existsSync(recorded)) {
      throw new EmbeddedPostgresError(
        `the embedded PostgreSQL cluster of ${dataDir} was kept in ${recorded}, which no longer exists`,
        `restore ${recorded} from a backup, or delete ${location} to start again with an empty database`,
      );
    }
    return recorded;
  }
  if (canEnter(dirname(resolve(dataDir)), user)) {
    // Only the data dir itself is in our hands: let the postgres user through (its files stay 0600).
    await chmod(dataDir, 0o711);
    return inPlace;
  }
  if (existsSync(join(inPlace, 'PG_VERSION'))) {
    throw new EmbeddedPostgresError(
      `the ${POSTGRES_USER} user cannot reach the cluster in ${inPlace}`,
      `let it through the folders above (chmod o+x on each), or move GUDDU_DATA_DIR somewhere it can reach`,
    );
  }
  const clusters = join(await rootHome(), 'clusters');
  await mkdir(clusters, { recursive: true, mode: 0o755 });
  const slug = basename(resolve(dataDir, '..')).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'guddu';
  const clusterDir = join(clusters, `${slug}-${randomBytes(4).toString('hex')}`);
  await mkdir(clusterDir, { mode: 0o700 });
  await chown(clusterDir, user.uid, user.gid);
  await writeFile(location, `${clusterDir}\n`, { mode: 0o600 });
  log.info({ clusterDir, dataDir }, `the ${POSTGRES_USER} user cannot reach the data dir; keeping the cluster outside it`);
  return clusterDir;
}
