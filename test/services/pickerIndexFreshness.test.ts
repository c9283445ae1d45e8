// The pickers' in-memory index is never older than the database: a committed change to what a
// picker shows — from this process, another replica, or psql — retires it, and typeahead reads SQL
// until a fresh copy is loaded. Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Database, openDatabase } from "../../src/db/database";
import { createLogger } from "../../src/logger";
import { PickerIndexCache } from "../../src/services/pickerIndexCache";
import { createTestDatabase, type TestDatabase } from "../harness/testDatabase";

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const logger = createLogger({ level: "silent", secrets: [] });

let testDb: TestDatabase;
let database: Database;
let cache: PickerIndexCache;
let now = 1_000_000;
let numberId: string;
let agentId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase(testDb.target);
  const agent = await database.prisma.agent.create({
    data: { provider: "retell", providerAgentId: "agent_front", name: "Front desk" },
  });
  agentId = agent.id;
  const number = await database.prisma.phoneNumber.create({
    data: { provider: "retell", e164: "+14155550101", providerNumberId: "n1", nickname: "Main line" },
  });
  numberId = number.id;
}, 60_000);

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

beforeEach(async () => {
  cache = new PickerIndexCache(database.prisma, database.inventoryChanges, logger, { now: () => now });
  await cache.warm();
  expect(cache.current()).toBeDefined();
});

afterEach(async () => {
  await cache.close();
  await database.prisma.phoneNumber.update({
    where: { id: numberId },
    data: { agentId: null, nickname: "Main line", lastSyncedAt: null },
  });
});

/** PGlite reports a change before the write resolves; PostgreSQL's NOTIFY arrives a moment later. */
const retired = () => vi.waitFor(() => expect(cache.current()).toBeUndefined(), { timeout: 2000 });

const free = () =>
  cache
    .current()
    ?.searchNumbers({ text: "", digits: "", nickname: "no" }, { providers: ["retell"], agent: "free" }, 100);

describe("the picker index", () => {
  it("offers a number as free until it is assigned, then not at all until reloaded", async () => {
    expect(free()?.map((n) => n.e164)).toEqual(["+14155550101"]);
    await database.prisma.phoneNumber.update({ where: { id: numberId }, data: { agentId } });
    if (!onPostgres) expect(cache.current()).toBeUndefined();
    await retired();
    await cache.warm();
    expect(free()).toEqual([]);
  });

  // An embedded PGlite has no second connection: the test above covers it.
  it.runIf(onPostgres)(
    "is retired by a change committed through another connection (another replica, psql)",
    async () => {
      const other = await openDatabase({ url: testDb.url! });
      try {
        await other.prisma
          .$executeRaw`UPDATE "PhoneNumber" SET "nickname" = 'Renamed' WHERE "id" = ${numberId}`;
        await retired();
        const index = await cache.warm();
        expect(
          index?.searchNumbers(
            { text: "renamed", digits: "", nickname: "anywhere" },
            { providers: ["retell"] },
            100,
          ),
        ).toHaveLength(1);
      } finally {
        await other.close();
      }
    },
  );

  it("is kept by an update that leaves what pickers show alone (sync timestamps, locks)", async () => {
    let notified = 0;
    const stop = await database.inventoryChanges.follow({
      onChange: () => notified++,
      onLost: () => undefined,
    });
    try {
      await database.prisma.phoneNumber.update({
        where: { id: numberId },
        data: { lastSyncedAt: new Date() },
      });
      expect(cache.current()).toBeDefined();
      // Notifications arrive in commit order: once this one is in, the one before would be too.
      await database.prisma.phoneNumber.update({ where: { id: numberId }, data: { nickname: "Renamed" } });
      await vi.waitFor(() => expect(notified).toBeGreaterThan(0), { timeout: 2000 });
      expect(notified).toBe(1);
    } finally {
      await stop();
    }
  });

  it("is retired when an agent it shows is renamed", async () => {
    await database.prisma.agent.update({ where: { id: agentId }, data: { name: "Reception" } });
    await retired();
    const index = await cache.warm();
    expect(index?.searchAgents("recep", ["retell"], 100).map((a) => a.name)).toEqual(["Reception"]);
    await database.prisma.agent.update({ where: { id: agentId }, data: { name: "Front desk" } });
  });

  it("is not trusted for more than a minute, in case a notification was lost on the way", async () => {
    now += 61_000;
    expect(cache.current()).toBeUndefined();
    expect(await cache.warm()).toBeDefined();
  });

  it.runIf(onPostgres)(
    "answers from SQL while its listening connection is down, then listens and loads again",
    async () => {
      const terminated = await database.prisma.$queryRaw<{ ok: boolean }[]>`
        SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE datname = current_database() AND query LIKE 'LISTEN%'`;
      expect(terminated).toHaveLength(1);
      await retired();
      // It waits a moment before trying again, then listens anew.
      expect(await cache.warm()).toBeUndefined();
      now += 6_000;
      expect(await cache.warm()).toBeDefined();
      await database.prisma.phoneNumber.update({ where: { id: numberId }, data: { agentId } });
      await retired();
    },
  );

  it.runIf(onPostgres)("stops listening when closed", async () => {
    await cache.close();
    await vi.waitFor(async () => {
      const listening = await database.prisma.$queryRaw<unknown[]>`
        SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`;
      expect(listening).toEqual([]);
    });
  });
});
