// Inventory sync: every enabled provider mirrored into the database, idempotent, failures isolated.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { FakeProviderAccount, mountWithNock } from "../harness/fakeProviders";
import { startTestApp, type TestApp } from "../harness/testApp";
import { lastReply, numberRow, startWorld, textOf, type World } from "./support";

let world: World | undefined;
let app: TestApp | undefined;
let unmount: (() => void) | undefined;
afterEach(async () => {
  await world?.stop();
  await app?.stop();
  unmount?.();
  nock.cleanAll();
  world = app = unmount = undefined;
});

describe("inventory sync", () => {
  it("imports numbers, agents and live bindings from every enabled provider", async () => {
    world = await startWorld();
    const { app } = world;
    expect(await app.db.phoneNumber.count()).toBe(5);
    expect((await numberRow(app, "+14155550102")).agent?.name).toBe("Front desk");
    const agents = await app.db.agent.findMany({ where: { provider: "retell" }, orderBy: { name: "asc" } });
    expect(agents.find((a) => a.providerAgentId === "agent_draft")).toMatchObject({ published: false });
    const accounts = await app.db.providerAccount.findMany({ orderBy: { provider: "asc" } });
    expect(accounts.map((a) => [a.provider, a.enabled, a.health])).toEqual([
      ["retell", true, "ok"],
      ["vapi", true, "ok"],
      ["bland", true, "ok"],
    ]);
  });

  it("records drift without overwriting Switchboard's binding, and a Retell number split between two agents", async () => {
    world = await startWorld();
    const { app, retell } = world;
    retell.setBinding("+14155550102", ["agent_sales"]);
    retell.setBinding("+14155550103", ["agent_support_1", "agent_support_2"]);
    const result = await app.switchboard.services.sync.syncAll();
    expect(result.providers.find((p) => p.provider === "retell")?.drift).toBe(2);
    const main = await numberRow(app, "+14155550102");
    expect(main.agent?.providerAgentId).toBe("agent_front");
    expect(main.providerAgentIds).toEqual(["agent_sales"]);
    expect((await numberRow(app, "+14155550103")).providerAgentIds).toEqual([
      "agent_support_1",
      "agent_support_2",
    ]);
  });

  it("marks what disappeared at the provider as gone, keeping its history", async () => {
    world = await startWorld();
    const { app, retell } = world;
    retell.removeNumber("+14155550103");
    await app.switchboard.services.sync.syncAll();
    const gone = await numberRow(app, "+14155550103");
    expect(gone.goneAt).not.toBeNull();
    retell.addNumber({ e164: "+14155550103" });
    await app.switchboard.services.sync.syncAll();
    expect((await numberRow(app, "+14155550103")).goneAt).toBeNull();
  });

  it("a failing provider does not stop the others; the summary says which failed and why", async () => {
    world = await startWorld();
    const { app, vapi } = world;
    vapi.failNext({}, { status: 401, times: 20 });
    const result = await app.switchboard.services.sync.syncAll();
    const byProvider = Object.fromEntries(result.providers.map((p) => [p.provider, p]));
    expect(byProvider.retell?.ok).toBe(true);
    expect(byProvider.bland?.ok).toBe(true);
    expect(byProvider.vapi?.ok).toBe(false);
    // Vapi's 401 has its own message and fix (issue 14): the private key, not the public one.
    expect(byProvider.vapi?.error).toContain("Vapi rejected the API key (HTTP 401)");
    expect((await app.db.providerAccount.findUniqueOrThrow({ where: { provider: "vapi" } })).health).toBe(
      "invalid_key",
    );
  });

  it("/numbers sync runs on demand from Slack and answers with the per-provider summary", async () => {
    world = await startWorld();
    const { app, bland } = world;
    bland.failNext({}, { status: 503, times: 20 });
    await app.send.command("/numbers", "sync");
    const reply = await lastReply(app, (t) => t.includes("Sync finished"));
    expect(textOf(reply)).toContain("*Retell*: 3 numbers");
    expect(textOf(reply)).toContain(":x: *Bland*");
  });

  it("Retell: a later sync reads agent versions only for bound, new or modified agents (200 agents, bounded calls)", async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    // 200 agents, 10 numbers bound round-robin to the first 10 of them.
    const retell = new FakeProviderAccount("retell").seed({ numbers: 10, agents: 200, boundRatio: 1 });
    unmount = mountWithNock([retell]);
    app = await startTestApp({ env: { RETELL_API_KEY: retell.apiKey } });
    const versionReads = () => retell.requestsTo("GET", "/list-agent-versions/").length;

    await app.switchboard.services.sync.syncAll();
    expect(versionReads()).toBe(200); // first sight: every agent is new

    let before = versionReads();
    await app.switchboard.services.sync.syncAll();
    expect(versionReads() - before).toBe(10); // only the 10 bound agents

    retell.setAgent("agent_seed0150", { published: false }); // an unbound agent changes at Retell
    before = versionReads();
    await app.switchboard.services.sync.syncAll();
    expect(versionReads() - before).toBe(11);
    const changed = await app.db.agent.findFirstOrThrow({ where: { providerAgentId: "agent_seed0150" } });
    expect(changed.published).toBe(false);
  });
});
