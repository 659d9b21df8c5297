/**
 * The store kinds the contract suite runs on, each giving every test a FRESH database:
 * - `sqlite`: a real file in a new temp dir;
 * - `postgres`: a new schema in a database of this test process (CREATE DATABASE once
 *   per process, CREATE SCHEMA per test: ~10× faster) on the test server — the one
 *   scripts/run-tests.mjs started (PROCOS_TEST_PG_URL), or else one this test file
 *   starts on first use and stops after its tests.
 *
 * @example
 * for (const kind of storeKinds()) {
 *   describe(`fetchAndLock [${kind.name}]`, () => {
 *     let db: OpenedStore;
 *     beforeEach(async () => { db = await kind.open(); });
 *     afterEach(() => db.cleanup());
 *     it('…', async () => { await db.store.commit(…); });
 *   });
 * }
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore, type OpenStoreOptions, type Store } from '../../src/store/index.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';

/** A row returned by {@link StoreKind.exec}. */
export type RawRow = Record<string, unknown>;

/** An empty database that exists until `drop()`. */
export interface TestDatabase {
  /** Store URL (`sqlite:<file>` or `postgres://…/<db>`). */
  readonly url: string;
  /** Removes the database (temp dir / DROP DATABASE … WITH (FORCE)). */
  drop(): Promise<void>;
}

/** An open store on a fresh database. */
export interface OpenedStore {
  readonly store: Store;
  readonly url: string;
  /** Closes the store and drops the database. */
  cleanup(): Promise<void>;
}

/** One database kind. */
export interface StoreKind {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh, empty database (no schema yet). */
  newDatabase(): Promise<TestDatabase>;
  /** A store opened on a fresh database. */
  open(options?: OpenStoreOptions): Promise<OpenedStore>;
  /** Runs raw SQL (`?` placeholders on SQLite, `$1` on PostgreSQL) outside the store: for tests that tamper with a database. */
  exec(url: string, sql: string, params?: readonly unknown[]): Promise<RawRow[]>;
}

async function openOn(db: TestDatabase, options?: OpenStoreOptions): Promise<OpenedStore> {
  let store: Store;
  try {
    store = await openStore(db.url, options);
  } catch (e) {
    await db.drop();
    throw e;
  }
  return {
    store,
    url: db.url,
    async cleanup() {
      try {
        await store.close();
      } finally {
        await db.drop();
      }
    },
  };
}

// ---- SQLite

const sqlite: StoreKind = {
  name: 'sqlite',
  async newDatabase() {
    const dir = await mkdtemp(join(tmpdir(), 'procos-store-'));
    return { url: `sqlite:${join(dir, 'procos.db')}`, drop: () => rm(dir, { recursive: true, force: true }) };
  },
  async open(options) {
    return openOn(await this.newDatabase(), options);
  },
  async exec(url, sql, params = []) {
    const db = new Database(url.slice('sqlite:'.length).replace(/\?.*$/, ''));
    try {
      const s = db.prepare(sql);
      if (s.reader) return s.all(...params) as RawRow[];
      s.run(...params);
      return [];
    } finally {
      db.close();
    }
  },
};

// ---- PostgreSQL

let server: Promise<{ url: string; own: PostgresServer | undefined }> | undefined;
let database: Promise<{ url: string; name: string }> | undefined;
let admin: pg.Pool | undefined;
let counter = 0;

function serverUrl(): Promise<{ url: string; own: PostgresServer | undefined }> {
  if (server === undefined) {
    const fromEnv = process.env['PROCOS_TEST_PG_URL'];
    server =
      fromEnv !== undefined && fromEnv !== ''
        ? Promise.resolve({ url: fromEnv, own: undefined })
        : startPostgres().then((s) => ({ url: s.url, own: s }));
  }
  return server;
}

async function adminPool(): Promise<pg.Pool> {
  if (admin === undefined) admin = new pg.Pool({ connectionString: (await serverUrl()).url, max: 2 });
  return admin;
}

function withPath(url: string, database: string, schema?: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  if (schema !== undefined) u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** This test process's database (one per process: CREATE DATABASE is slow; schemas are not). */
function processDatabase(): Promise<{ url: string; name: string }> {
  if (database === undefined) {
    database = (async () => {
      const name = `procos_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      await (await adminPool()).query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return { url: withPath((await serverUrl()).url, name), name };
    })();
  }
  return database;
}

after(async () => {
  if (database !== undefined) {
    const db = await database.catch(() => undefined);
    database = undefined;
    if (db !== undefined && admin !== undefined) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(db.name)} WITH (FORCE)`);
  }
  if (admin !== undefined) await admin.end();
  admin = undefined;
  if (server !== undefined) {
    const s = await server.catch(() => undefined);
    server = undefined;
    if (s?.own !== undefined) await s.own.stop();
  }
});

/**
 * PostgreSQL: each test gets a fresh SCHEMA in this process's database; the store URL
 * selects it with `?options=-c search_path=<schema>`, so every table the store creates
 * and reads lives there.
 */
const postgres: StoreKind = {
  name: 'postgres',
  async newDatabase() {
    const db = await processDatabase();
    const schema = `t${++counter}_${Math.random().toString(36).slice(2, 8)}`;
    const ident = pg.escapeIdentifier(schema);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${ident}`);
    } finally {
      await client.end();
    }
    return {
      url: withPath(db.url, db.name, schema),
      drop: async () => {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        try {
          await c.query(`DROP SCHEMA IF EXISTS ${ident} CASCADE`);
        } finally {
          await c.end();
        }
      },
    };
  },
  async open(options) {
    return openOn(await this.newDatabase(), options);
  },
  async exec(url, sql, params = []) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<RawRow>(sql, [...params])).rows;
    } finally {
      await client.end();
    }
  },
};

/** The kinds the contract suite runs on: SQLite always, PostgreSQL (needs its binaries or PROCOS_TEST_PG_URL). */
export function storeKinds(): StoreKind[] {
  return [sqlite, postgres];
}
