import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../peers/nodes.ts';

const run = promisify(execFile);
/** Debian's PostgreSQL 15 (scripts/install-peers.sh installs it). */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/** A role that logs in with a password (SCRAM) over TCP, unlike `postgres` (trust). */
export const PASSWORD_ROLE = { user: 'guard', password: 'guard-secret-pw' } as const;

export type RunningPostgres = {
  port: number;
  /** A URL of database `name` as the `postgres` user (no password: trust on loopback). */
  url(name: string): string;
  /** Creates an empty database and returns its URL (of `owner`, default `postgres`). */
  createDatabase(name?: string, owner?: 'postgres' | 'guard'): Promise<string>;
  /** Stops the server, keeping its data: `fast` (default) closes every connection; `immediate`
   * ends every process at once, as a crash would (recovery from the WAL at the next start). */
  pause(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same data directory and port. */
  resume(): Promise<void>;
  /** A hot standby of this server on its own port, streaming and synchronous: from then on a
   * commit returns only once the standby has flushed it, so a promoted standby holds every commit
   * a client was told about. Stopped with this server. */
  startStandby(): Promise<RunningStandby>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
};

export type RunningStandby = {
  port: number;
  /** Makes it a primary (`pg_ctl promote`), read-write once this resolves. */
  promote(): Promise<void>;
};

let databases = 0;

/**
 * A throwaway PostgreSQL 15 on a free loopback port (`durable`: with fsync, as in production; by
 * default without): `initdb` into a temporary directory owned by
 * the `postgres` user (initdb refuses root), started with `pg_ctl` as that user, sockets in the same
 * directory. Stopped by `stop()` (`pg_ctl stop`, which signals the postmaster's process id).
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-pg-'));
  // initdb refuses root: as root, run everything as the `postgres` user that owns the directory;
  // otherwise as this user.
  const root = process.getuid?.() === 0;
  if (root) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(uid.trim()), Number(gid.trim()));
  }
  const asPostgres = (command: string, args: string[]) =>
    root
      ? run('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, command), ...args], { cwd: dir })
      : run(join(POSTGRES_BIN, command), args, { cwd: dir });
  const data = join(dir, 'data');
  await asPostgres('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--locale=C',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  // The role `guard` needs its password; everything else is trusted on loopback.
  const hba = join(data, 'pg_hba.conf');
  writeFileSync(
    hba,
    `host all ${PASSWORD_ROLE.user} 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`,
  );
  const port = await freePort();
  // Tests skip fsync (a crash of the machine is not what they test); benchmarks keep it.
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200${options.durable ? '' : ' -c fsync=off'}`;
  const start = () =>
    asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'pg.log'), '-w', '-o', settings, 'start']);
  const halt = (mode: 'fast' | 'immediate') => asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  await start();
  let running = true;
  const standbys: string[] = [];
  const url = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE ROLE ${PASSWORD_ROLE.user} LOGIN PASSWORD '${PASSWORD_ROLE.password}'`);
  return {
    port,
    url,
    async createDatabase(name, owner = 'postgres') {
      databases += 1;
      const database = name ?? `cg_${process.pid}_${databases}`;
      await admin(`CREATE DATABASE ${database} OWNER ${owner}`);
      return owner === 'postgres' ? url(database) : `postgres://${owner}@127.0.0.1:${port}/${database}`;
    },
    async pause(mode = 'fast') {
      await halt(mode);
      running = false;
    },
    async resume() {
      await start();
      running = true;
    },
    async startStandby() {
      const standby = join(dir, `standby${standbys.length + 1}`);
      const standbyPort = await freePort();
      await asPostgres('pg_basebackup', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-D',
        standby,
        '-R',
        '-X',
        'stream',
        '--no-sync',
        '--checkpoint=fast',
      ]);
      const standbySettings = settings.replace(`-p ${port}`, `-p ${standbyPort}`);
      await asPostgres('pg_ctl', [
        '-D',
        standby,
        '-l',
        `${standby}.log`,
        '-w',
        '-o',
        standbySettings,
        'start',
      ]);
      standbys.push(standby);
      await admin("ALTER SYSTEM SET synchronous_standby_names = '*'");
      await admin('SELECT pg_reload_conf()');
      // Synchronous once the primary says so for the standby's WAL receiver.
      for (;;) {
        const client = new pg.Client({ connectionString: url('postgres') });
        await client.connect();
        const state = (await client.query('SELECT sync_state FROM pg_stat_replication')).rows[0]?.sync_state;
        await client.end();
        if (state === 'sync') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return {
        port: standbyPort,
        async promote() {
          await asPostgres('pg_ctl', ['-D', standby, '-w', 'promote']);
        },
      };
    },
    async stop() {
      for (const standby of standbys) {
        await asPostgres('pg_ctl', ['-D', standby, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      }
      if (running) await halt('immediate').catch(() => undefined);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
