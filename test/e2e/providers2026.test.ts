// Issue 14, end to end: Bland v2 agents beside personas, no half-done Bland move, Retell outbound
// drift, a Bland migration split shown and never repaired, and each account problem with its own
// message and fix in `/numbers status` and App Home.
import { describe, expect, it } from "vitest";
import { ACTION_CONFIRM_CHANGE } from "../../src/slack/views/changeMessages";
import { ACTION_DRIFT_KEEP, ACTION_DRIFT_RESTORE } from "../../src/slack/views/driftViews";
import { viewWith } from "../harness/slackDriver";
import type { TestApp } from "../harness/testApp";
import { buttonValue, lastReply, numberRow, textOf, useWorldPerTest, type World } from "./support";

const start = useWorldPerTest();

const BLAND_NUMBER = "+16505550101";
const BLAND_PERSONA = "4a3b2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0";
const NEW_AGENT = "a9e00000-0000-4000-8000-00000000a9e1";
const DRAFT_AGENT = "a9e00000-0000-4000-8000-00000000a9e2";
const OTHER_PERSONA = "5b4c3d2e-1f0a-4b9c-a8d7-e6f5a4b3c2d1";
const PHONE = "+12125550147";

/** The standard world plus a Bland v2 agent with production pinned, one without, and a second persona. */
async function blandWorld(): Promise<World> {
  const world = await start();
  world.bland
    .addAgent({ id: NEW_AGENT, name: "New desk", kind: "agent" })
    .addAgent({ id: DRAFT_AGENT, name: "Draft desk", kind: "agent", published: false })
    .addAgent({ id: OTHER_PERSONA, name: "Night desk" });
  await world.app.switchboard.services.sync.syncAll();
  return world;
}

async function assign(app: TestApp, e164: string, agent: string): Promise<string> {
  app.slack.reset();
  await app.send.command("/assign-number", `${e164} ${agent}`);
  const first = await lastReply(app, (t) => t.includes("now routes to") || t.includes("Reassign"));
  if (!textOf(first).includes("Reassign")) return textOf(first);
  app.slack.reset();
  await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(first, ACTION_CONFIRM_CHANGE));
  return textOf(await lastReply(app, (t) => !t.includes("Working") && !t.includes(":hourglass")));
}

async function status(app: TestApp, e164: string): Promise<string> {
  app.slack.reset();
  await app.send.command("/numbers", `status ${e164}`);
  return textOf(await lastReply(app, (t) => t.includes("Status of")));
}

describe("Bland v2 agents (item 1)", () => {
  it("sync lists agents beside personas, each with its kind, and readiness from the production pin", async () => {
    const { app } = await blandWorld();
    const agents = await app.db.agent.findMany({ where: { provider: "bland" }, orderBy: { name: "asc" } });
    expect(agents.map((a) => [a.name, a.kind, a.published])).toEqual([
      ["Bland desk", "persona", true],
      ["Draft desk", "agent", false],
      ["New desk", "agent", true],
      ["Night desk", "persona", true],
    ]);
  });

  it("pickers label which is a Bland agent and which a persona", async () => {
    const { app } = await blandWorld();
    await app.send.command("/assign-number", BLAND_NUMBER);
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.response as { view: Record<string, unknown> }).view;
    const res = await app.send.suggest(viewWith(view as never), "agent_pick", "agent", "");
    const json = res.json as {
      options?: { text: { text: string } }[];
      option_groups?: { options: { text: { text: string } }[] }[];
    };
    const texts = (json.options ?? json.option_groups?.flatMap((g) => g.options) ?? []).map(
      (o) => o.text.text,
    );
    expect(texts).toEqual(
      expect.arrayContaining([
        "New desk · Bland agent",
        "Bland desk · Bland persona",
        "Draft desk · Bland agent (not published)",
      ]),
    );
  });

  it("assigns an agent with one attach call (it replaces the persona binding) and unassigns it with detach", async () => {
    const { app, bland } = await blandWorld();
    await assign(app, BLAND_NUMBER, "Bland desk");
    expect(bland.agentIdsOf(BLAND_NUMBER)).toEqual([BLAND_PERSONA]);
    const before = bland.writes().length;

    const moved = await assign(app, BLAND_NUMBER, "New desk");
    expect(moved).toContain("now routes to *New desk*");
    expect(
      bland
        .writes()
        .slice(before)
        .map((w) => `${w.method} ${w.path}`),
    ).toEqual([`POST /v2/agents/${NEW_AGENT}/inbound/attach`]);
    expect(bland.writes().at(-1)?.body).toEqual({ inbound_numbers: [BLAND_NUMBER] });
    expect(bland.agentIdsOf(BLAND_NUMBER)).toEqual([NEW_AGENT]);
    const row = await numberRow(app, BLAND_NUMBER);
    expect([row.agent?.name, row.agent?.kind, row.providerAgentIds]).toEqual([
      "New desk",
      "agent",
      [NEW_AGENT],
    ]);

    app.slack.reset();
    await app.send.command("/unassign-number", BLAND_NUMBER);
    const confirm = await lastReply(app, (t) => t.includes("Unassign"));
    await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(confirm, ACTION_CONFIRM_CHANGE));
    await lastReply(app, (t) => t.includes("no longer assigned"));
    expect(bland.writes().at(-1)).toMatchObject({
      method: "POST",
      path: `/v2/agents/${NEW_AGENT}/inbound/detach`,
      status: 200,
    });
    expect(bland.agentIdsOf(BLAND_NUMBER)).toEqual([]);
    expect((await numberRow(app, BLAND_NUMBER)).agentId).toBeNull();
  });

  it("status, the check and test calls say an unpinned agent cannot take calls, and why", async () => {
    const { app, bland } = await blandWorld();
    await assign(app, BLAND_NUMBER, "Draft desk");
    expect(bland.agentIdsOf(BLAND_NUMBER)).toEqual([DRAFT_AGENT]);

    const text = await status(app, BLAND_NUMBER);
    expect(text).toContain("Draft desk (Bland agent) has no version promoted to production");
    expect(text).toContain("AGENT_ENV_UNPINNED");
    expect(text).toContain("Promote a version of the agent to production in Bland");

    const summary = await app.switchboard.services.check.run("test");
    const finding = await app.db.routingFinding.findFirst({
      where: { number: { e164: BLAND_NUMBER }, resolvedAt: null },
    });
    expect(finding?.kind).toBe("agent_unpublished");
    expect(summary.byKind.agent_unpublished).toBeGreaterThanOrEqual(1);

    app.slack.reset();
    await app.send.command("/numbers", `test-call ${BLAND_NUMBER} ${PHONE}`);
    const refusal = textOf(await lastReply(app, (t) => t.includes("Draft desk")));
    expect(refusal).toContain("AGENT_ENV_UNPINNED");
    expect(bland.requestsTo("POST", "/v1/calls")).toHaveLength(0);
  });

  it("a test call through a pinned agent sends agent_id", async () => {
    const { app, bland } = await blandWorld();
    await assign(app, BLAND_NUMBER, "New desk");
    app.slack.reset();
    await app.send.command("/numbers", `test-call ${BLAND_NUMBER} ${PHONE}`);
    await app.slack.waitFor("chat.postMessage", (c) => textOf(c).includes("Test call"));
    await app.switchboard.services.testCalls.settled();
    expect(bland.requestsTo("POST", "/v1/calls").map((r) => r.body)).toEqual([
      { phone_number: PHONE, from: BLAND_NUMBER, agent_id: NEW_AGENT },
    ]);
  });
});

describe("no half-done Bland move (item 2)", () => {
  it("a failed attach after the detach puts the old persona back, and the user is told it still answers as before", async () => {
    const { app, bland } = await blandWorld();
    await assign(app, BLAND_NUMBER, "Bland desk");
    bland.failNext(
      { method: "POST", path: `/v1/personas/${OTHER_PERSONA}/inbound/attach` },
      { status: 400, body: { data: null, errors: [{ error: "INVALID", message: "Number is busy." }] } },
    );

    const text = await assign(app, BLAND_NUMBER, "Night desk");

    expect(text).toContain("still answers as before");
    expect(text).not.toContain("now routes to");
    expect(bland.agentIdsOf(BLAND_NUMBER)).toEqual([BLAND_PERSONA]);
    expect(
      bland
        .writes()
        .slice(-3)
        .map((w) => [w.path, w.status]),
    ).toEqual([
      [`/v1/personas/${BLAND_PERSONA}/inbound/detach`, 200],
      [`/v1/personas/${OTHER_PERSONA}/inbound/attach`, 400],
      [`/v1/personas/${BLAND_PERSONA}/inbound/attach`, 200],
    ]);
    const row = await numberRow(app, BLAND_NUMBER);
    expect(row.agent?.name).toBe("Bland desk");
    const failed = await app.db.auditEvent.findFirst({
      where: { numberId: row.id, outcome: "failed" },
      orderBy: { at: "desc" },
    });
    expect(failed?.detail).toContain("the previous binding was put back");
  });

  it("when putting the old persona back fails too, the user and the audit trail say the number answers no calls", async () => {
    const { app, bland } = await blandWorld();
    await assign(app, BLAND_NUMBER, "Bland desk");
    const refuse = { status: 400, body: { data: null, errors: [{ error: "INVALID", message: "Refused." }] } };
    bland
      .failNext({ method: "POST", path: `/v1/personas/${OTHER_PERSONA}/inbound/attach` }, refuse)
      .failNext({ method: "POST", path: `/v1/personas/${BLAND_PERSONA}/inbound/attach` }, refuse);

    const text = await assign(app, BLAND_NUMBER, "Night desk");

    expect(text).toContain("now answers no calls");
    expect(bland.agentIdsOf(BLAND_NUMBER)).toEqual([]);
    const row = await numberRow(app, BLAND_NUMBER);
    expect(row.providerAgentIds).toEqual([]);
    const failed = await app.db.auditEvent.findFirst({
      where: { numberId: row.id, outcome: "failed" },
      orderBy: { at: "desc" },
    });
    expect(failed?.detail).toContain("now answers no calls");
    expect(
      await app.db.auditEvent.count({ where: { numberId: row.id, action: "reassign", outcome: "applied" } }),
    ).toBe(0);
    // The live state says so too.
    expect(await status(app, BLAND_NUMBER)).toContain("Bland routes it to no agent");
  });
});

describe("a Bland migration split (item 1)", () => {
  it("is shown as split routing, is not drift, and offers no Restore or Keep", async () => {
    const { app, bland } = await blandWorld();
    bland.addNumber({ e164: "+16505550102", fields: { pathway_id: "pw-legacy" } });
    bland.setMigrationSplit("pw-legacy", { agentId: NEW_AGENT, percentage: 25 });
    await app.switchboard.services.check.run("test");

    const text = await status(app, "+16505550102");
    expect(text).toContain(
      "Split between pathway pw-legacy and agent New desk: 25 % of calls go to the agent",
    );
    expect(text).not.toContain(ACTION_DRIFT_RESTORE);
    expect(text).not.toContain(ACTION_DRIFT_KEEP);
    const findings = await app.db.routingFinding.findMany({ where: { number: { e164: "+16505550102" } } });
    expect(findings).toEqual([]);
    const row = await numberRow(app, "+16505550102");
    expect(row.providerRouting).toMatchObject({
      migrationSplit: { pathwayId: "pw-legacy", agentId: NEW_AGENT, percentage: 25 },
    });
  });
});

describe("Retell outbound drift (item 4)", () => {
  it("a change of outbound_agents at Retell is drift, and Restore repairs both lists", async () => {
    const { app, retell } = await start();
    retell.setBinding("+14155550102", ["agent_front"], { outbound: ["agent_sales"] });
    await app.switchboard.services.check.run("test");
    const row = await numberRow(app, "+14155550102");
    const open = await app.db.routingFinding.findMany({ where: { numberId: row.id, resolvedAt: null } });
    expect(open.map((f) => f.kind)).toEqual(["drift"]);

    const text = await status(app, "+14155550102");
    expect(text).toContain("Outbound caller ID saved at the provider");
    expect(text).toContain("makes it the outbound caller ID of Sales");

    app.slack.reset();
    await app.send.clickButton(ACTION_DRIFT_RESTORE, row.id);
    await lastReply(app, (t) => t.includes("Restored"));
    expect(retell.agentIdsOf("+14155550102")).toEqual(["agent_front"]);
    expect(retell.outboundAgentIdsOf("+14155550102")).toEqual(["agent_front"]);
    expect(
      await app.db.routingFinding.count({ where: { numberId: row.id, resolvedAt: null, kind: "drift" } }),
    ).toBe(0);
  });
});

describe("honest key checks (item 6)", () => {
  const openHome = async (app: TestApp) => {
    app.slack.reset();
    await app.send.event({ type: "app_home_opened", user: "U0VIEWER", channel: "D0HOME", tab: "home" });
    return textOf(await app.slack.waitFor("views.publish"));
  };

  it("a Bland account that is not active: its own message and fix in status and App Home", async () => {
    const { app, bland } = await start();
    bland.setAccountStatus("suspended");
    await app.switchboard.services.sync.syncAll();
    expect((await app.db.providerAccount.findUniqueOrThrow({ where: { provider: "bland" } })).health).toBe(
      "account_inactive",
    );
    const home = await openHome(app);
    expect(home).toContain("account not active");
    expect(home).toContain('the Bland account is \\"suspended\\", not active');
    const text = await status(app, BLAND_NUMBER);
    expect(text).toContain('the Bland account is \\"suspended\\", not active');
    expect(text).toContain("Open the Bland dashboard and check the account's status and billing");
  });

  it("Retell 402 is a billing problem, not an outage", async () => {
    const { app, retell } = await start();
    retell.failNext({}, { status: 402, times: 1000 });
    await app.switchboard.services.check.run("test");
    expect((await app.db.providerAccount.findUniqueOrThrow({ where: { provider: "retell" } })).health).toBe(
      "billing",
    );
    const home = await openHome(app);
    expect(home).toContain("billing problem");
    expect(home).toContain("Retell billing problem");
    expect(home).not.toContain("unreachable");
    const kinds = await app.db.routingFinding.findMany({
      where: { number: { provider: "retell" }, resolvedAt: null },
    });
    expect(new Set(kinds.map((f) => f.kind))).toEqual(new Set(["provider_billing"]));
    const text = await status(app, "+14155550102");
    expect(text).toContain("Retell billing problem");
    expect(text).toContain("Check the account's payment method");
  });

  it("Retell 401 and Vapi 401 each say what to do", async () => {
    const { app, retell, vapi } = await start();
    retell.failNext({}, { status: 401, times: 1000 });
    vapi.failNext({}, { status: 401, times: 1000 });
    await app.switchboard.services.sync.syncAll();
    const home = await openHome(app);
    expect(home).toContain("Retell rejected the API key (HTTP 401: missing or invalid)");
    expect(home).toContain("Vapi rejected the API key (HTTP 401)");
    expect(home).toContain("not the public key");
    const text = await status(app, "+16285550101");
    expect(text).toContain("not the public key");
  });
});
