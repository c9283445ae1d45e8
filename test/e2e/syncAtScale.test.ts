// Inventory sync at scale: 3,000 numbers in one run (moved out of sync.test.ts so that this long
// test runs in the "slow" project, in parallel with the rest, instead of at the end of one file).
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
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
});
