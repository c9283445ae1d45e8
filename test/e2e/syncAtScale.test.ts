// Inventory sync at scale: 3,000 numbers in one run (moved out of sync.test.ts so that this long
// test runs in the "slow" project, in parallel with the rest, instead of at the end of one file).
import nock from "nock";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeProviderAccount, mountWithNock } from "../harness/fakeProviders";
import { startTestApp, type TestApp } from "../harness/testApp";

let app: TestApp | undefined;
let unmount: (() => void) | undefined;
afterEach(async () => {
  await app?.stop();
  unmount?.();
  nock.cleanAll();
  nock.enableNetConnect();
  app = unmount = undefined;
});

describe("inventory sync at scale", () => {
  it("1,000 numbers and 200 agents per provider sync completely, and a second run changes nothing", async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    const accounts = (["retell", "vapi", "bland"] as const).map((p) =>
      new FakeProviderAccount(p).seed({ numbers: 1000, agents: 200, boundRatio: 0.6 }),
    );
    unmount = mountWithNock(accounts);
    app = await startTestApp({
      env: Object.fromEntries(accounts.map((a) => [`${a.provider.toUpperCase()}_API_KEY`, a.apiKey])),
    });
    const first = await app.switchboard.services.sync.syncAll();
    expect(first.providers.every((p) => p.ok)).toBe(true);
    expect(await app.db.phoneNumber.count()).toBe(3000);
    expect(await app.db.agent.count()).toBe(600);
    const bound = await app.db.phoneNumber.count({ where: { agentId: { not: null } } });
    expect(bound).toBeGreaterThan(1500);

    const before = await app.db.phoneNumber.findMany({
      select: { id: true, updatedAt: true },
      orderBy: { id: "asc" },
    });
    const second = await app.switchboard.services.sync.syncAll();
    for (const p of second.providers) {
      expect(p).toMatchObject({
        ok: true,
        numbers: { added: 0, updated: 0, gone: 0 },
        agents: { added: 0, updated: 0, gone: 0 },
      });
    }
    const after = await app.db.phoneNumber.findMany({
      select: { id: true, updatedAt: true },
      orderBy: { id: "asc" },
    });
    expect(after).toEqual(before);
  }, 120_000);

  // Prisma splits a createMany too large for one statement and sends the parts at once over the
  // transaction's one connection: pg queues them and warns that pg 9 will refuse it.
  it.runIf(process.env.TEST_DATABASE_URL)(
    "a first sync of 4,000 numbers and 2,500 agents on PostgreSQL never sends a query over a busy connection",
    async () => {
      nock.disableNetConnect();
      nock.enableNetConnect("127.0.0.1");
      const vapi = new FakeProviderAccount("vapi").seed({ numbers: 4000, agents: 2500, boundRatio: 0.5 });
      unmount = mountWithNock([vapi]);
      app = await startTestApp({ env: { VAPI_API_KEY: vapi.apiKey } });
      const overlapping: string[] = [];
      const query = pg.Client.prototype.query;
      const spy = vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (
        this: pg.Client & { _queryQueue: unknown[]; _activeQuery: unknown },
        ...args: unknown[]
      ) {
        if (this._queryQueue.length > 0 || this._activeQuery)
          overlapping.push(
            (typeof args[0] === "string" ? args[0] : (args[0] as { text: string }).text).slice(0, 60),
          );
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as never);
      try {
        const first = await app.switchboard.services.sync.syncAll();
        expect(first.providers.every((p) => p.ok)).toBe(true);
      } finally {
        spy.mockRestore();
      }
      expect(await app.db.phoneNumber.count()).toBe(4000);
      expect(await app.db.agent.count()).toBe(2500);
      expect(overlapping).toEqual([]);
    },
    120_000,
  );
});
