// Migrations are applied by the app itself, once, also when several processes start together.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database";
import { readMigrations } from "../../src/db/migrate";
import { createTestDatabase, type TestDatabase } from "../harness/testDatabase";

const created: TestDatabase[] = [];
afterAll(async () => {
  for (const db of created) await db.drop();
});

describe("migrations", () => {
  it("creates the whole schema on a fresh embedded database and records it as Prisma does", async () => {
    const db = await openDatabase({ memory: true });
    try {
      const rows = await db.prisma.$queryRaw<{ migration_name: string; checksum: string }[]>`
        SELECT migration_name, checksum FROM "_prisma_migrations"`;
      const files = await readMigrations();
      expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
      expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
      expect(await db.prisma.phoneNumber.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it("keeps at most one agent per number in the schema itself (R2)", async () => {
    const target = await createTestDatabase();
    created.push(target);
    const db = await openDatabase(target.target);
    try {
      const columns = await db.prisma.$queryRaw<{ column_name: string }[]>`
        SELECT column_name::text AS column_name FROM information_schema.columns WHERE table_name = 'PhoneNumber' AND column_name ILIKE '%agent%'`;
      // A single scalar column: a number cannot reference two agents.
      expect(columns.map((c) => c.column_name).sort()).toEqual(
        // intentAgentId is a change in flight (write-ahead), not a second binding; the provider* lists
        // are what the provider was last seen routing to (observations, not our binding).
        [
          "agentId",
          "intentAgentId",
          "outboundAgentId",
          "providerAgentIds",
          "providerOutboundAgentIds",
        ].sort(),
      );
    } finally {
      await db.close();
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "two processes migrating one PostgreSQL at once apply each migration once",
    async () => {
      const target = await createTestDatabase();
      created.push(target);
      const [a, b] = await Promise.all([openDatabase(target.target), openDatabase(target.target)]);
      try {
        const files = await readMigrations();
        expect([...a.applied, ...b.applied].sort()).toEqual(files.map((f) => f.name).sort());
        const client = new pg.Client({ connectionString: target.url });
        await client.connect();
        const count = await client.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
        await client.end();
        expect(count.rows[0].n).toBe(files.length);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    },
  );
});
