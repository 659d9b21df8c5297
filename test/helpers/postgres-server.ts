/**
 * A throw-away PostgreSQL server for tests, from the machine's PostgreSQL binaries
 * (`/usr/lib/postgresql/<version>/bin`: initdb, pg_ctl; the highest version wins, or
 * the directory in `PROCOS_PG_BIN`).
 *
 * The server is fast and NOT durable: fsync, synchronous_commit and full_page_writes are
 * off, it listens on 127.0.0.1 on a free port and its socket lives in its temp dir.
 * initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user
 * (`runuser -u postgres --`) in a temp dir owned by it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running server. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth, superuser). */
  readonly url: string;
  /** Stops the server (`pg_ctl stop -m fast`) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const ROOT = '/usr/lib/postgresql';

/** The bin directory holding initdb and pg_ctl, or undefined. */
export function findPostgresBin(): string | undefined {
  const fromEnv = process.env['PROCOS_PG_BIN'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!existsSync(ROOT)) return undefined;
  const versions = readdirSync(ROOT)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(ROOT, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`, { cause: error }));
      else resolve();
    });
  });
}

/**
 * Starts a fresh server in a temp dir.
 * @throws Error when the binaries are missing (message says where it looked) or the
 *   server does not start (message holds the server log).
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (bin === undefined) {
    throw new Error(
      `PostgreSQL binaries not found: looked for initdb and pg_ctl under ${ROOT}/*/bin (or PROCOS_PG_BIN). ` +
        'Install PostgreSQL 15 (apt-get install postgresql-15) or set PROCOS_TEST_PG_URL to an existing server.',
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'procos-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    await chown(dir, uid, gid);
  }
  const as = (tool: string, args: readonly string[]): Promise<void> =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await freePort();
  try {
    await as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const serverOptions = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
    ].join(' ');
    await as('pg_ctl', ['-D', data, '-l', log, '-o', serverOptions, '-w', '-t', '60', 'start']);
  } catch (e) {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-4000) : '(no server log)';
    await rm(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL test server did not start: ${e instanceof Error ? e.message : String(e)}\n${serverLog}`, { cause: e });
  }

  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      const args = [join(bin, 'pg_ctl'), '-D', data, 'stop', '-m', 'immediate'];
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
      else execFileSync(args[0] as string, args.slice(1), { stdio: 'ignore' });
    } catch {
      // best effort at process exit
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process that dies without calling stop() still takes its server down.
  process.once('exit', stopSync);

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopSync);
      try {
        await as('pg_ctl', ['-D', data, 'stop', '-m', 'fast', '-w']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
