// The two drivers behind the migration runner: PGlite (embedded) and node-postgres.
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";
import type { SqlRunner } from "./migrate";

export function pgliteRunner(db: PGlite | Transaction): SqlRunner {
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    transaction: (work) => {
      if (!("transaction" in db)) return work(pgliteRunner(db));
      return db.transaction((tx) => work(pgliteRunner(tx)));
    },
  };
}

export function pgRunner(client: pg.Client): SqlRunner {
  const runner: SqlRunner = {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params as unknown[])).rows as T[],
    transaction: async (work) => {
      await client.query("BEGIN");
      try {
        const result = await work(runner);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
  };
  return runner;
}
