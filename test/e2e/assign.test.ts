// Assigning, reassigning and unassigning numbers, driven exactly as Slack and the providers would.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTION_CONFIRM_CHANGE, ACTION_REPLACE } from "../../src/slack/views/changeMessages";
import { agentId, buttonValue, lastReply, numberRow, startWorld, textOf, type World } from "./support";

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  expect(world.app.slack.rejections()).toEqual([]);
  await world.stop();
});

describe("/assign-number <number> <agent>", () => {
  it("binds a free number at the provider, reads it back, records it and tells the requester (R1)", async () => {
    const { app, retell } = world;
    const res = await app.send.command("/assign-number", "+1 (415) 555-0101 Sales");
    expect(res.status).toBe(200);

    const reply = await lastReply(app, (t) => t.includes("now routes to"));
    expect(textOf(reply)).toContain("Sales");
    expect(textOf(reply)).toContain("outbound caller ID");

    const patch = retell.requestsTo("PATCH", "/update-phone-number/+14155550101");
    expect(patch).toHaveLength(1);
    expect(patch[0]!.body).toEqual({
      inbound_agents: [{ agent_id: "agent_sales", agent_version: "latest_published", weight: 1 }],
      outbound_agents: [{ agent_id: "agent_sales", agent_version: "latest_published", weight: 1 }],
    });
    expect(retell.requestsTo("GET", "/get-phone-number/+14155550101")).toHaveLength(1);
    expect(retell.agentIdsOf("+14155550101")).toEqual(["agent_sales"]);

    const row = await numberRow(app, "+14155550101");
    expect(row.agent?.providerAgentId).toBe("agent_sales");
    expect(row.outboundAgent?.providerAgentId).toBe("agent_sales");
    const audit = await app.db.auditEvent.findMany({ where: { numberId: row.id, outcome: "applied" } });
    expect(audit.map((a) => [a.action, a.actor, a.source])).toEqual([
      ["assign", "U0REQUESTER", "slash_command"],
    ]);
  });

  it("asks to confirm a reassignment, naming the agent that loses the number, and changes nothing until confirmed (R2, R6)", async () => {
    const { app, retell } = world;
    await app.send.command("/assign-number", "+14155550102 Sales");
    const confirm = await lastReply(app, (t) => t.includes("Reassign"));
    expect(textOf(confirm)).toContain("Front desk");
    expect(textOf(confirm)).toContain("loses");
    expect(retell.writes()).toHaveLength(0);
    expect((await numberRow(app, "+14155550102")).agent?.name).toBe("Front desk");

    app.slack.reset();
    await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(confirm, ACTION_CONFIRM_CHANGE));
    const done = await lastReply(app, (t) => t.includes("now routes to"));
    expect(textOf(done)).toContain("Sales");
    expect(textOf(done)).toContain("Previous agent: *Front desk*");
    expect(retell.agentIdsOf("+14155550102")).toEqual(["agent_sales"]);
    const row = await numberRow(app, "+14155550102");
    expect(row.agent?.name).toBe("Sales");
    // The previous agent is left without that number.
    expect(await app.db.phoneNumber.count({ where: { agentId: await agentId(app, "agent_front") } })).toBe(0);
  });

  it("a confirmation clicked twice applies once", async () => {
    const { app, retell } = world;
    await app.send.command("/assign-number", "+14155550102 Sales");
    const value = buttonValue(await lastReply(app, (t) => t.includes("Reassign")), ACTION_CONFIRM_CHANGE);
    await Promise.all([
      app.send.clickButton(ACTION_CONFIRM_CHANGE, value),
      app.send.clickButton(ACTION_CONFIRM_CHANGE, value),
    ]);
    await lastReply(app, (t) => t.includes("now routes to"));
    await lastReply(app, (t) => t.includes("changed") || t.includes("in progress"));
    expect(retell.writes()).toHaveLength(1);
  });

  it("refuses a number and an agent of different providers, naming both and why (R4)", async () => {
    const { app, retell, vapi } = world;
    await app.send.command("/assign-number", "+14155550101 Vapi desk");
    const reply = await lastReply(app);
    expect(textOf(reply)).toContain("Retell number");
    expect(textOf(reply)).toContain("Vapi agent");
    expect(textOf(reply)).toContain("bought per provider");
    expect([...retell.writes(), ...vapi.writes()]).toHaveLength(0);
    expect((await numberRow(app, "+14155550101")).agentId).toBeNull();
  });

  it("refuses an agent at its number limit, names its number, and Replace moves it (R3)", async () => {
    const { app, retell } = world;
    await app.send.command("/assign-number", "+14155550103 Front desk");
    const refusal = await lastReply(app, (t) => t.includes("limit"));
    expect(textOf(refusal)).toContain("+14155550102");
    expect(retell.writes()).toHaveLength(0);

    app.slack.reset();
    await app.send.clickButton(ACTION_REPLACE, buttonValue(refusal, ACTION_REPLACE));
    await lastReply(app, (t) => t.includes("now routes to"));
    expect(retell.agentIdsOf("+14155550102")).toEqual([]);
    expect(retell.agentIdsOf("+14155550103")).toEqual(["agent_front"]);
    expect((await numberRow(app, "+14155550102")).agentId).toBeNull();
    expect((await numberRow(app, "+14155550103")).agent?.name).toBe("Front desk");
  });

  it("says so when the number is already on that agent, and writes nothing", async () => {
    const { app, retell } = world;
    await app.send.command("/assign-number", "+14155550102 front DESK");
    expect(textOf(await lastReply(app))).toContain("already on Front desk");
    expect(retell.writes()).toHaveLength(0);
  });

  it("answers an unknown number with what to check", async () => {
    const { app } = world;
    await app.send.command("/assign-number", "+14155559999 Sales");
    expect(textOf(await lastReply(app))).toContain("not in any connected provider account");
  });

  it("answers an unknown agent with how to find it", async () => {
    const { app } = world;
    await app.send.command("/assign-number", "+14155550101 Nobody here");
    const text = textOf(await lastReply(app));
    expect(text).toContain("No agent called");
    expect(text).toContain("Retell");
  });

  it("opens the modal with the number fixed when the agent name is ambiguous", async () => {
    const { app, retell } = world;
    await app.send.command("/assign-number", "+14155550101 Support");
    const opened = await app.slack.waitFor("views.open");
    expect(textOf(opened)).toContain("matches 2 agents");
    expect(retell.writes()).toHaveLength(0);
  });

  it("answers a malformed number with the accepted formats", async () => {
    const { app } = world;
    const res = await app.send.command("/assign-number", "call-me-maybe Front desk");
    expect(res.status).toBe(200);
    expect(res.text).toContain("+15551234567");
  });

  it("refuses a number whose provider is not configured, naming the variable", async () => {
    const { app } = world;
    await world.stop();
    world = await startWorld({ without: ["bland"] });
    await world.app.db.agent.create({
      data: { provider: "bland", providerAgentId: "p-x", name: "Old persona" },
    });
    await world.app.db.phoneNumber.create({
      data: { provider: "bland", e164: "+16505550999", providerNumberId: "+16505550999" },
    });
    void app;
    await world.app.send.command("/assign-number", "+16505550999 Old persona");
    expect(textOf(await lastReply(world.app))).toContain("BLAND_API_KEY");
  });

  it("tells the user the provider is down and changes nothing when the write keeps failing", async () => {
    const { app, retell } = world;
    retell.failNext({ method: "PATCH" }, { status: 503, times: 10 });
    await app.send.command("/assign-number", "+14155550101 Sales");
    const text = textOf(await lastReply(app));
    expect(text).toContain("nothing changed");
    expect(text).toContain("Retell");
    const row = await numberRow(app, "+14155550101");
    expect(row.agentId).toBeNull();
    expect(row.lockToken).toBeNull();
    const failed = await app.db.auditEvent.findFirst({ where: { numberId: row.id, outcome: "failed" } });
    expect(failed?.detail).toContain("provider write failed");
  });

  it("does not record a binding the provider did not keep (read-back differs)", async () => {
    const { app, retell } = world;
    retell.onRead("+14155550101", ["agent_front"], { afterWrite: true });
    await app.send.command("/assign-number", "+14155550101 Sales");
    const text = textOf(await lastReply(app));
    expect(text).toContain("now reports it routes to agent_front");
    expect((await numberRow(app, "+14155550101")).agentId).toBeNull();
  });

  it("applies a slash command delivered twice only once", async () => {
    const { app, retell } = world;
    await Promise.all([
      app.send.command("/assign-number", "+14155550101 Sales", { trigger: "dup.1.trigger" }),
      app.send.command("/assign-number", "+14155550101 Sales", { trigger: "dup.1.trigger" }),
    ]);
    await lastReply(app, (t) => t.includes("now routes to"));
    // Both deliveries have finished all their work (not just been answered): one write, not two.
    expect(await app.switchboard.settled()).toBe(true);
    expect(retell.writes()).toHaveLength(1);
  });
});

describe("/unassign-number", () => {
  it("asks to confirm that the number stays in the account but answers no calls, then unbinds it (R7)", async () => {
    const { app, retell } = world;
    await app.send.command("/unassign-number", "+14155550102");
    const confirm = await lastReply(app, (t) => t.includes("Unassign"));
    expect(textOf(confirm)).toContain("stays in the account but answers no calls");
    expect(retell.writes()).toHaveLength(0);

    await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(confirm, ACTION_CONFIRM_CHANGE));
    await lastReply(app, (t) => t.includes("no longer assigned"));
    const patch = retell.requestsTo("PATCH", "/update-phone-number/+14155550102");
    expect(patch[0]!.body).toEqual({ inbound_agents: null, outbound_agents: null });
    expect((await numberRow(app, "+14155550102")).agentId).toBeNull();
  });

  it("without a number opens a modal listing assigned numbers only", async () => {
    const { app } = world;
    await app.send.command("/unassign-number", "");
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.args as { view: { id?: string; callback_id: string } }).view;
    expect(view.callback_id).toBe("unassign_number");
    const options = await app.send.suggest(
      { id: "V1", callback_id: "unassign_number", state: { values: {} } },
      "number_pick",
      "number",
      "",
    );
    const values = (options.json as { options: { text: { text: string } }[] }).options.map(
      (o) => o.text.text,
    );
    expect(values).toEqual([expect.stringContaining("415 555 0102")]);
  });
});

describe("concurrent requests for one number", () => {
  it("50 conflicting assignments end with one binding at the provider and in the database, and an audit event for each", async () => {
    const { app, retell } = world;
    const agents = Array.from({ length: 50 }, (_, i) => `agent_c${String(i).padStart(2, "0")}`);
    for (const id of agents) retell.addAgent({ id, name: `Concurrent ${id}` });
    await app.switchboard.services.sync.syncAll();
    const responses = await Promise.all(
      agents.map((id) => app.send.command("/assign-number", `+14155550101 ${id}`)),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await app.slack.waitFor("response_url", () => app.slack.callsTo("response_url").length >= 50, 20_000);

    expect(retell.writes()).toHaveLength(1);
    const bound = retell.agentIdsOf("+14155550101");
    expect(bound).toHaveLength(1);
    const row = await numberRow(app, "+14155550101");
    expect(row.agent?.providerAgentId).toBe(bound[0]);
    const events = await app.db.auditEvent.findMany({ where: { numberId: row.id } });
    expect(events).toHaveLength(50);
    expect(events.filter((e) => e.outcome === "applied")).toHaveLength(1);
    for (const e of events.filter((e) => e.outcome !== "applied")) {
      expect(["refused", "pending"]).toContain(e.outcome);
    }
  });
});

describe("concurrent requests for one agent", () => {
  it("two numbers assigned at once to an agent allowed one number: it never ends up with two (R3)", async () => {
    const { app, retell } = world;
    const [a, b] = await Promise.all([
      app.send.command("/assign-number", "+14155550101 Sales"),
      app.send.command("/assign-number", "+14155550103 Sales"),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await app.slack.waitFor("response_url", () => app.slack.callsTo("response_url").length >= 2, 10_000);
    const sales = await agentId(app, "agent_sales");
    expect(await app.db.phoneNumber.count({ where: { agentId: sales } })).toBeLessThanOrEqual(1);
    const atProvider = ["+14155550101", "+14155550103"].filter((n) =>
      retell.agentIdsOf(n).includes("agent_sales"),
    );
    expect(atProvider.length).toBeLessThanOrEqual(1);
    const replies = app.slack.callsTo("response_url").map(textOf).join("\n");
    expect(replies).toMatch(/limit 1 per agent/);
  });
});
