// A fresh database per test app: in-memory PGlite cloned from a migrated template (made once per
// run by test/globalSetup.ts), or a new database on the PostgreSQL server of TEST_DATABASE_URL.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { type Database, type DatabaseTarget, openDatabase } from "../../src/db/database";

export interface TestDatabase {
  target: DatabaseTarget;
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const template = inject("pgliteTemplate");
    const dump = template ? new Blob([await readFile(template)]) : undefined;
    return { target: dump ? { memory: true, template: dump } : { memory: true }, drop: async () => {} };
  }
  const name = `${inject("databasePrefix") ?? "switchboard_test_"}${randomBytes(6).toString("hex")}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    target: { url: url.toString() },
    url: url.toString(),
    drop: async () => {
      await withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * One database per test file (per worker module graph), emptied before each app that borrows it:
 * TRUNCATE of every table but the migration history costs milliseconds, where cloning PGlite or
 * creating and migrating a PostgreSQL database costs ~0.3–1 s per app. A database a test closed or
 * took away (test/e2e/faults.test.ts) fails its reset and is replaced by a fresh one; an app that
 * starts while another still holds the shared one gets a database of its own.
 */
export interface SharedTestDatabase {
  /** The open database, for startSwitchboard's `database` option (it is not closed at app stop). */
  database: Database;
  /** The PostgreSQL database it is (unset on PGlite). */
  url?: string;
  /** Gives it back (the app has stopped); a database of its own is closed and dropped. */
  release(): Promise<void>;
}

interface Opened {
  database: Database;
  closed: () => boolean;
  test: TestDatabase;
}

let shared: Promise<Opened> | undefined;
let lent = false;

export async function borrowSharedDatabase(): Promise<SharedTestDatabase> {
  if (lent) {
    const own = await openFresh();
    return handOut(own, () => discard(own));
  }
  lent = true;
  try {
    const current = shared ? await shared.catch(() => undefined) : undefined;
    if (current && !current.closed() && (await emptied(current.database))) {
      return handOut(current, giveBack);
    }
    if (current) await discard(current);
    shared = openFresh();
    return handOut(await shared, giveBack);
  } catch (error) {
    lent = false;
    shared = undefined;
    throw error;
  }
}

async function giveBack(): Promise<void> {
  lent = false;
}

function handOut(opened: Opened, release: () => Promise<void>): SharedTestDatabase {
  return { database: opened.database, ...(opened.test.url ? { url: opened.test.url } : {}), release };
}

async function openFresh(): Promise<Opened> {
  const test = await createTestDatabase();
  const opened = await openDatabase(test.target).catch(async (error: unknown) => {
    await test.drop();
    throw error;
  });
  let closed = false;
  // A test may close the app's database on purpose; the next borrower must then get a new one.
  const database: Database = {
    ...opened,
    close: async () => {
      closed = true;
      await opened.close();
    },
  };
  return { database, closed: () => closed, test };
}

async function discard(current: Opened) {
  await current.database.close().catch(() => undefined);
  await current.test.drop().catch(() => undefined);
}

let tables: string | undefined;

async function emptied(database: Database): Promise<boolean> {
  try {
    tables ??= (
      await database.prisma.$queryRawUnsafe<{ name: string }[]>(
        `SELECT quote_ident(tablename) AS name FROM pg_tables
          WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY tablename`,
      )
    )
      .map((t) => t.name)
      .join(", ");
    if (tables) await database.prisma.$executeRawUnsafe(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  // Shared by the worker's later files too (vitest isolate: false): it lives until the worker exits.
  if (inject("databasePerWorker")) return;
  const current = shared ? await shared.catch(() => undefined) : undefined;
  shared = undefined;
  lent = false;
  if (current) await discard(current);
});
