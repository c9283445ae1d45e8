// Drift repair (issue 10, points 3 and 4): routing changed at the provider behind Switchboard's back
// is flagged by the check and by `/numbers status`, and repaired with one click either way: Restore
// (Switchboard's binding written back through the normal assignment path: read back, audited, and
// waiting for an approver on a production number) or Keep provider's (the provider's routing becomes
// the record; of several weighted agents the user keeps one and the others are removed).
import { describe, expect, it } from "vitest";
import type { FindingKind } from "../../src/domain/routingFindings";
import { ACTION_APPROVE } from "../../src/slack/views/approvalMessage";
import { ACTION_DRIFT_KEEP, ACTION_DRIFT_RESTORE, KEEP_ONE_MODAL } from "../../src/slack/views/driftViews";
import type { FakeProviderAccount } from "../harness/fakeProviders";
import type { RecordedCall } from "../harness/fakeSlack";
import { type ModalPayloadView, USER } from "../harness/slackDriver";
import type { TestApp } from "../harness/testApp";
import {
  ALERTS,
  APPROVALS,
  APPROVER,
  agentId,
  buttonValue,
  lastReply,
  numberRow,
  pickOverflow,
  textOf,
  useWorldPerTest,
  type World,
} from "./support";

const MAIN = "+14155550102"; // on Front desk
const SPARE = "+14155550101"; // free
const VAPI_NUMBER = "+16285550101";
const VAPI_ASSISTANT = "5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a";
const BLAND_NUMBER = "+16505550101";
const BLAND_PERSONA = "4a3b2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0";
const DRIFT: FindingKind[] = ["drift", "multiple_agents"];

const start = useWorldPerTest();

/** Retell only, the two free numbers marked spare: only the drift under test is alerted, alone. */
async function retellOnly(): Promise<World> {
  const w = await start({ without: ["vapi", "bland"] });
  await w.app.db.phoneNumber.updateMany({ where: { agentId: null }, data: { isSpare: true } });
  return w;
}

const check = (app: TestApp) => app.switchboard.services.check.run("test");
const tsOf = (call: RecordedCall) => (call.response as { ts: string }).ts;

async function assign(app: TestApp, e164: string, agent: string) {
  await app.send.command("/assign-number", `${e164} ${agent}`);
  await lastReply(app, (t) => t.includes("now routes to") && t.includes(agent));
}

/** The one alert posted about `e164`. */
function alertFor(app: TestApp, e164: string): RecordedCall {
  const posts = app.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === ALERTS && String(c.args.text).includes(e164));
  expect(posts, `one alert about ${e164}`).toHaveLength(1);
  return posts[0]!;
}

function clickOnAlert(app: TestApp, actionId: string, alert: RecordedCall, user = USER.id) {
  return app.send.clickButton(actionId, buttonValue(alert, actionId), {
    channel: ALERTS,
    messageTs: tsOf(alert),
    user,
  });
}

/** The alert message updated in place, showing the number resolved. */
function resolvedAlert(app: TestApp, alert: RecordedCall): Promise<RecordedCall> {
  return app.slack.waitFor(
    "chat.update",
    (c) => c.args.channel === ALERTS && c.args.ts === tsOf(alert) && textOf(c).includes("resolved"),
  );
}

async function openDrift(app: TestApp, e164: string): Promise<string[]> {
  const rows = await app.db.routingFinding.findMany({
    where: { resolvedAt: null, number: { e164 }, kind: { in: DRIFT } },
  });
  return rows.map((r) => r.kind);
}

/** The provider and Switchboard's record agree on the number: one agent (or none), the same one. */
async function expectAgreement(
  app: TestApp,
  account: FakeProviderAccount,
  e164: string,
  agent: string | null,
) {
  const row = await numberRow(app, e164);
  expect(row.agent?.providerAgentId ?? null).toBe(agent);
  expect(account.agentIdsOf(e164)).toEqual(agent ? [agent] : []);
  expect(row.providerAgentIds).toEqual(agent ? [agent] : []);
  expect(row.lockToken).toBeNull();
  // And the check agrees: no drift any more.
  await check(app);
  expect(await openDrift(app, e164)).toEqual([]);
}

async function repairAudit(app: TestApp, e164: string) {
  const events = await app.db.auditEvent.findMany({
    where: {
      e164,
      outcome: "applied",
      action: { in: ["restore", "adopt_provider", "reassign", "assign", "unassign"] },
    },
    orderBy: { at: "asc" },
  });
  return events.map((e) => [e.action, e.actor, e.source]);
}

function submitKeepOne(app: TestApp, opened: RecordedCall, agent: string | null) {
  const view = (opened.response as { view: Record<string, unknown> }).view;
  const payload = {
    ...view,
    id: String(view.id),
    callback_id: KEEP_ONE_MODAL,
    state: {
      values: {
        keep: {
          keep_pick: {
            type: "radio_buttons",
            selected_option: agent ? { text: { type: "plain_text", text: agent }, value: agent } : null,
          },
        },
      },
    },
  } as ModalPayloadView;
  return app.send.submitView(payload);
}

/** Picks an option of a digest's overflow menu. */

describe("drift is flagged with both repairs offered", () => {
  it("on the alert the check posts, and on the /numbers status answer", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, ["agent_sales"]);
    await check(app);
    expect(await openDrift(app, MAIN)).toEqual(["drift"]);
    const alert = alertFor(app, MAIN);
    expect(textOf(alert)).toContain("routes this number differently");
    const id = (await numberRow(app, MAIN)).id;
    expect(buttonValue(alert, ACTION_DRIFT_RESTORE)).toBe(id);
    expect(buttonValue(alert, ACTION_DRIFT_KEEP)).toBe(id);

    await app.send.command("/numbers", `status ${MAIN}`);
    const status = await lastReply(app, (t) => t.includes("Status of"));
    expect(textOf(status)).toContain("Retell routes it to Sales, but Switchboard's record says Front desk");
    expect(buttonValue(status, ACTION_DRIFT_RESTORE)).toBe(id);
    expect(buttonValue(status, ACTION_DRIFT_KEEP)).toBe(id);
    expect(retell.writes()).toHaveLength(0);
  });

  it("not where the routing agrees", async () => {
    const { app } = await retellOnly();
    await check(app);
    expect(app.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === ALERTS)).toHaveLength(0);
    await app.send.command("/numbers", `status ${MAIN}`);
    const status = await lastReply(app, (t) => t.includes("Status of"));
    expect(textOf(status)).not.toContain(ACTION_DRIFT_RESTORE);
    expect(textOf(status)).not.toContain(ACTION_DRIFT_KEEP);
  });
});

describe("Restore", () => {
  it("writes Switchboard's binding back at the provider, reads it back, audits it and resolves the alert", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, ["agent_sales"]);
    await check(app);
    const alert = alertFor(app, MAIN);
    const before = await numberRow(app, MAIN);

    await clickOnAlert(app, ACTION_DRIFT_RESTORE, alert);
    const done = await lastReply(app, (t) => t.includes("Restored"));
    expect(textOf(done)).toContain("routes to *Front desk* again, as recorded");
    // Nobody lost the number: a restore is not worded as a reassignment.
    expect(textOf(done)).not.toContain("Previous agent");
    expect(done.args.response_type).toBe("ephemeral");
    expect(retell.requestsTo("PATCH", `/update-phone-number/${MAIN}`).map((r) => r.body)).toEqual([
      {
        inbound_agents: [{ agent_id: "agent_front", agent_version: "latest_published", weight: 1 }],
        outbound_agents: [{ agent_id: "agent_front", agent_version: "latest_published", weight: 1 }],
      },
    ]);
    // Read back after the write.
    const write = retell.writes()[0]!;
    expect(retell.requestsTo("GET", `/get-phone-number/${MAIN}`).some((r) => r.at >= write.at)).toBe(true);
    const update = await resolvedAlert(app, alert);
    expect(update.args.text).toBe(`Resolved: ${MAIN}`);
    expect(textOf(update)).not.toContain(ACTION_DRIFT_RESTORE);

    const row = await numberRow(app, MAIN);
    expect(row.agent?.name).toBe("Front desk");
    expect(row.bindingVersion).toBe(before.bindingVersion + 1);
    expect(await repairAudit(app, MAIN)).toEqual([["restore", USER.id, "button"]]);
    await expectAgreement(app, retell, MAIN, "agent_front");
  });

  it("from the /numbers status answer, when the provider dropped the agent", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, []);
    await app.send.command("/numbers", `status ${MAIN}`);
    const status = await lastReply(app, (t) => t.includes("Status of"));
    expect(textOf(status)).toContain("routes it to no agent");
    app.slack.reset();
    await app.send.clickButton(ACTION_DRIFT_RESTORE, buttonValue(status, ACTION_DRIFT_RESTORE));
    await lastReply(app, (t) => t.includes("Restored"));
    expect(await repairAudit(app, MAIN)).toEqual([["restore", USER.id, "button"]]);
    await expectAgreement(app, retell, MAIN, "agent_front");
  });

  it("of a number Switchboard records as unassigned removes the agent the provider added", async () => {
    const { app, retell } = await start({ without: ["vapi", "bland"] });
    retell.setBinding(SPARE, ["agent_sales"]);
    await check(app);
    expect(await openDrift(app, SPARE)).toEqual(["drift"]);
    const alert = alertFor(app, SPARE);
    await clickOnAlert(app, ACTION_DRIFT_RESTORE, alert);
    const done = await lastReply(app, (t) => t.includes("Restored"));
    expect(textOf(done)).toContain("routes to no agent again, as recorded");
    expect(textOf(done)).not.toContain("outbound caller ID");
    expect(retell.requestsTo("PATCH", `/update-phone-number/${SPARE}`).map((r) => r.body)).toEqual([
      { inbound_agents: null, outbound_agents: null },
    ]);
    await resolvedAlert(app, alert);
    expect(await repairAudit(app, SPARE)).toEqual([["restore", USER.id, "button"]]);
    const row = await numberRow(app, SPARE);
    expect(row.agentId).toBeNull();
    expect(retell.agentIdsOf(SPARE)).toEqual([]);
  });

  it("of several weighted agents routes the number to Switchboard's agent alone", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, ["agent_front", "agent_sales"]);
    await check(app);
    expect(await openDrift(app, MAIN)).toEqual(["multiple_agents"]);
    const alert = alertFor(app, MAIN);
    await clickOnAlert(app, ACTION_DRIFT_RESTORE, alert);
    await lastReply(app, (t) => t.includes("Restored"));
    await resolvedAlert(app, alert);
    await expectAgreement(app, retell, MAIN, "agent_front");
  });

  it("of a Vapi number and of a Bland number", async () => {
    const { app, vapi, bland } = await start();
    await assign(app, VAPI_NUMBER, "Vapi desk");
    await assign(app, BLAND_NUMBER, "Bland desk");
    vapi.setBinding(VAPI_NUMBER, []);
    bland.setBinding(BLAND_NUMBER, []);
    await check(app);
    expect(await openDrift(app, VAPI_NUMBER)).toEqual(["drift"]);
    expect(await openDrift(app, BLAND_NUMBER)).toEqual(["drift"]);
    const ids = await Promise.all([VAPI_NUMBER, BLAND_NUMBER].map(async (e) => (await numberRow(app, e)).id));

    app.slack.reset();
    await app.send.clickButton(ACTION_DRIFT_RESTORE, ids[0]!);
    await lastReply(app, (t) => t.includes("Restored") && t.includes("Vapi desk"));
    await app.send.clickButton(ACTION_DRIFT_RESTORE, ids[1]!);
    await lastReply(app, (t) => t.includes("Restored") && t.includes("Bland desk"));
    await expectAgreement(app, vapi, VAPI_NUMBER, VAPI_ASSISTANT);
    await expectAgreement(app, bland, BLAND_NUMBER, BLAND_PERSONA);
    expect(await repairAudit(app, VAPI_NUMBER)).toEqual([
      ["assign", USER.id, "slash_command"],
      ["restore", USER.id, "button"],
    ]);
  });

  it("of a production number waits for an approver, and changes nothing until approved", async () => {
    const { app, retell } = await retellOnly();
    await app.send.command("/numbers", `production ${MAIN} on`, { user: APPROVER });
    await lastReply(app, (t) => t.includes("production"));
    retell.setBinding(MAIN, ["agent_sales"]);
    await check(app);
    const alert = alertFor(app, MAIN);
    app.slack.reset();

    await clickOnAlert(app, ACTION_DRIFT_RESTORE, alert);
    const request = await app.slack.waitFor("chat.postMessage", (c) => c.args.channel === APPROVALS);
    expect(textOf(request)).toContain("restore Switchboard's routing of production number");
    expect(textOf(request)).toContain("Front desk");
    await lastReply(app, (t) => t.includes("waiting for an approver"));
    expect(retell.writes()).toHaveLength(0);
    expect(retell.agentIdsOf(MAIN)).toEqual(["agent_sales"]);
    expect(await openDrift(app, MAIN)).toEqual(["drift"]);
    const approval = await app.db.approvalRequest.findFirstOrThrow();
    expect(approval).toMatchObject({ kind: "restore", status: "pending", requesterId: USER.id });

    await app.send.clickButton(ACTION_APPROVE, buttonValue(request, ACTION_APPROVE), {
      channel: APPROVALS,
      messageTs: tsOf(request),
      user: APPROVER,
    });
    await app.slack.waitFor(
      "chat.postMessage",
      (c) => c.args.channel === USER.id && textOf(c).includes("approved"),
    );
    expect(retell.agentIdsOf(MAIN)).toEqual(["agent_front"]);
    const events = await app.db.auditEvent.findMany({ where: { e164: MAIN, action: "restore" } });
    expect(events.map((e) => [e.actor, e.source, e.outcome, e.detail])).toEqual([
      [APPROVER, "approval", "applied", `approval ${approval.id}`],
    ]);
    // The alert shows the finding resolved once the approved restore is applied.
    await resolvedAlert(app, alert);
    await expectAgreement(app, retell, MAIN, "agent_front");
  });

  it("says so, and writes nothing, when the provider already routes as recorded again", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, ["agent_sales"]);
    await check(app);
    const alert = alertFor(app, MAIN);
    retell.setBinding(MAIN, ["agent_front"]);
    await clickOnAlert(app, ACTION_DRIFT_RESTORE, alert);
    await lastReply(app, (t) => t.includes("already on Front desk"));
    expect(retell.writes()).toHaveLength(0);
    await resolvedAlert(app, alert);
  });

  it("tells the user when the provider does not keep the restored binding, and records nothing", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, ["agent_sales"]);
    await check(app);
    retell.onRead(MAIN, ["agent_sales"], { afterWrite: true });
    await clickOnAlert(app, ACTION_DRIFT_RESTORE, alertFor(app, MAIN));
    const reply = textOf(await lastReply(app, (t) => t.includes("now reports")));
    expect(reply).toContain("agent_sales");
    expect(await openDrift(app, MAIN)).toEqual(["drift"]);
    const failed = await app.db.auditEvent.findFirst({ where: { e164: MAIN, outcome: "failed" } });
    expect(failed?.detail).toContain("read-back");
  });
});

describe("Keep provider's", () => {
  it("adopts the provider's agent as the record, writes nothing at the provider, audits it and resolves the alert", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, ["agent_sales"], { outbound: ["agent_sales"] });
    await check(app);
    const alert = alertFor(app, MAIN);

    await clickOnAlert(app, ACTION_DRIFT_KEEP, alert);
    const reply = await lastReply(app, (t) => t.includes("Kept the provider's routing"));
    expect(textOf(reply)).toContain("on *Sales*");
    expect(retell.writes()).toHaveLength(0);
    await resolvedAlert(app, alert);
    const row = await numberRow(app, MAIN);
    expect(row.agent?.name).toBe("Sales");
    expect(row.outboundAgent?.name).toBe("Sales");
    const [event] = await app.db.auditEvent.findMany({ where: { e164: MAIN, action: "adopt_provider" } });
    expect(event).toMatchObject({ actor: USER.id, source: "button", outcome: "applied" });
    expect(event!.before).toMatchObject({ agent: "Front desk" });
    expect(event!.after).toMatchObject({ agent: "Sales" });
    await expectAgreement(app, retell, MAIN, "agent_sales");
  });

  it("of a number the provider left without an agent records it as unassigned", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, [], { outbound: [] });
    await app.send.command("/numbers", `status ${MAIN}`);
    const status = await lastReply(app, (t) => t.includes("Status of"));
    app.slack.reset();
    await app.send.clickButton(ACTION_DRIFT_KEEP, buttonValue(status, ACTION_DRIFT_KEEP));
    expect(textOf(await lastReply(app, (t) => t.includes("Kept")))).toContain("as unassigned");
    expect(retell.writes()).toHaveLength(0);
    expect(await repairAudit(app, MAIN)).toEqual([["adopt_provider", USER.id, "button"]]);
    await expectAgreement(app, retell, MAIN, null);
  });

  it("of a Vapi number and of a Bland number", async () => {
    const { app, vapi, bland } = await start();
    await assign(app, VAPI_NUMBER, "Vapi desk");
    await assign(app, BLAND_NUMBER, "Bland desk");
    vapi.setBinding(VAPI_NUMBER, []);
    bland.setBinding(BLAND_NUMBER, []);
    await check(app);
    app.slack.reset();
    for (const e164 of [VAPI_NUMBER, BLAND_NUMBER]) {
      await app.send.clickButton(ACTION_DRIFT_KEEP, (await numberRow(app, e164)).id);
      await lastReply(app, (t) => t.includes("Kept") && t.includes(e164));
    }
    expect([...vapi.writes(), ...bland.writes()]).toHaveLength(2); // the two assigns only
    await expectAgreement(app, vapi, VAPI_NUMBER, null);
    await expectAgreement(app, bland, BLAND_NUMBER, null);
  });

  it("of several weighted agents: the user picks one to keep and the others are removed at the provider", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, ["agent_front", "agent_sales"]);
    await check(app);
    const alert = alertFor(app, MAIN);

    await clickOnAlert(app, ACTION_DRIFT_KEEP, alert);
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.args as { view: { callback_id: string } }).view;
    expect(view.callback_id).toBe(KEEP_ONE_MODAL);
    expect(textOf(opened)).toContain("split between 2 agents");
    expect(textOf(opened)).toContain("Front desk");
    expect(textOf(opened)).toContain("Sales");
    expect(retell.writes()).toHaveLength(0);

    const empty = await submitKeepOne(app, opened, null);
    expect((empty.json as { response_action: string }).response_action).toBe("errors");
    expect(retell.writes()).toHaveLength(0);

    const sales = await agentId(app, "agent_sales");
    const res = await submitKeepOne(app, opened, sales);
    expect((res.json as { response_action: string }).response_action).toBe("update");
    const result = await app.slack.waitFor("views.update", (c) => textOf(c).includes("now routes to"));
    expect(textOf(result)).toContain("Sales");
    expect(retell.requestsTo("PATCH", `/update-phone-number/${MAIN}`)).toHaveLength(1);
    await resolvedAlert(app, alert);
    expect(await repairAudit(app, MAIN)).toEqual([["reassign", USER.id, "button"]]);
    await expectAgreement(app, retell, MAIN, "agent_sales");
  });

  it("of several weighted agents, keeping Switchboard's own agent removes the other", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, ["agent_front", "agent_sales"]);
    await app.send.command("/numbers", `status ${MAIN}`);
    const status = await lastReply(app, (t) => t.includes("Status of"));
    expect(textOf(status)).toContain("Front desk, Sales");
    await app.send.clickButton(ACTION_DRIFT_KEEP, buttonValue(status, ACTION_DRIFT_KEEP));
    const opened = await app.slack.waitFor("views.open");
    await submitKeepOne(app, opened, await agentId(app, "agent_front"));
    await app.slack.waitFor("views.update", (c) => textOf(c).includes("Restored"));
    expect(await repairAudit(app, MAIN)).toEqual([["restore", USER.id, "button"]]);
    await expectAgreement(app, retell, MAIN, "agent_front");
  });

  it("of several weighted agents on a production number asks an approver before removing any", async () => {
    const { app, retell } = await retellOnly();
    await app.send.command("/numbers", `production ${MAIN} on`, { user: APPROVER });
    await lastReply(app, (t) => t.includes("production"));
    retell.setBinding(MAIN, ["agent_front", "agent_sales"]);
    await check(app);
    await clickOnAlert(app, ACTION_DRIFT_KEEP, alertFor(app, MAIN));
    const opened = await app.slack.waitFor("views.open");
    await submitKeepOne(app, opened, await agentId(app, "agent_sales"));
    const request = await app.slack.waitFor("chat.postMessage", (c) => c.args.channel === APPROVALS);
    expect(textOf(request)).toContain("Sales");
    await app.slack.waitFor("views.update", (c) => textOf(c).includes("waiting for an approver"));
    expect(retell.writes()).toHaveLength(0);
    expect(retell.agentIdsOf(MAIN)).toEqual(["agent_front", "agent_sales"]);
  });

  it("refuses to adopt an agent that already has its number (R3), naming it, and changes nothing", async () => {
    const { app, retell } = await start({ without: ["vapi", "bland"] });
    // Front desk holds MAIN; someone also routes SPARE to it at Retell.
    retell.setBinding(SPARE, ["agent_front"]);
    await check(app);
    const alert = alertFor(app, SPARE);
    await clickOnAlert(app, ACTION_DRIFT_KEEP, alert);
    const text = textOf(await lastReply(app, (t) => t.includes("MAX_NUMBERS_PER_AGENT")));
    expect(text).toContain(`Switchboard records Front desk on ${MAIN} already`);
    expect(text).toContain("Restore Switchboard's routing instead");
    expect((await numberRow(app, SPARE)).agentId).toBeNull();
    expect(await app.db.phoneNumber.count({ where: { agentId: await agentId(app, "agent_front") } })).toBe(1);
    expect(await app.db.auditEvent.count({ where: { action: "adopt_provider" } })).toBe(0);
    expect(retell.writes()).toHaveLength(0);
    expect(await openDrift(app, SPARE)).toEqual(["drift"]);

    // Restore is still offered and works.
    app.slack.reset();
    await clickOnAlert(app, ACTION_DRIFT_RESTORE, alert);
    await lastReply(app, (t) => t.includes("Restored"));
    await resolvedAlert(app, alert);
    expect(retell.agentIdsOf(SPARE)).toEqual([]);
  });

  it("refuses a stale keep-one form once the provider no longer routes to the picked agent", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, ["agent_front", "agent_sales"]);
    await app.send.clickButton(ACTION_DRIFT_KEEP, (await numberRow(app, MAIN)).id);
    const opened = await app.slack.waitFor("views.open");
    retell.setBinding(MAIN, ["agent_front"]);
    await submitKeepOne(app, opened, await agentId(app, "agent_sales"));
    const result = await app.slack.waitFor("views.update", (c) => textOf(c).includes("no longer routes"));
    expect(textOf(result)).toContain("nothing was changed");
    expect(retell.writes()).toHaveLength(0);
    expect((await numberRow(app, MAIN)).agent?.name).toBe("Front desk");
  });

  it("of several agents, one unknown to Switchboard: asks for a sync instead of a short list", async () => {
    const { app, retell } = await retellOnly();
    retell.addAgent({ id: "agent_new", name: "Brand new" });
    retell.setBinding(MAIN, ["agent_front", "agent_new"]);
    await app.send.clickButton(ACTION_DRIFT_KEEP, (await numberRow(app, MAIN)).id);
    const text = textOf(await lastReply(app));
    expect(text).toContain("agent_new");
    expect(text).toContain("/numbers sync");
    expect(app.slack.callsTo("views.open")).toHaveLength(0);
  });

  it("refuses to adopt an agent Switchboard does not know yet, naming the fix", async () => {
    const { app, retell } = await retellOnly();
    retell.addAgent({ id: "agent_new", name: "Brand new" });
    retell.setBinding(MAIN, ["agent_new"]);
    await app.send.clickButton(ACTION_DRIFT_KEEP, (await numberRow(app, MAIN)).id);
    const text = textOf(await lastReply(app));
    expect(text).toContain("agent_new");
    expect(text).toContain("/numbers sync");
    expect((await numberRow(app, MAIN)).agent?.name).toBe("Front desk");
  });
});

describe("the digest's menu", () => {
  it("restores one number and keeps the provider's routing of another", async () => {
    const { app, retell } = await start();
    retell.setBinding(MAIN, ["agent_sales"]);
    retell.setBinding(SPARE, ["agent_support_1"]);
    await check(app);
    const digests = app.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === ALERTS);
    expect(digests).toHaveLength(1);
    const ts = tsOf(digests[0]!);
    const menu = JSON.stringify(digests[0]!.args.blocks);
    const main = (await numberRow(app, MAIN)).id;
    const spare = (await numberRow(app, SPARE)).id;
    for (const value of [`restore:${main}`, `keep:${main}`, `restore:${spare}`, `keep:${spare}`])
      expect(menu).toContain(value);

    await pickOverflow(app, `restore:${main}`, ts);
    await lastReply(app, (t) => t.includes("Restored"));
    await pickOverflow(app, `keep:${spare}`, ts);
    await lastReply(app, (t) => t.includes("Kept the provider's routing"));
    const updated = app.slack.callsTo("chat.update").filter((c) => c.args.ts === ts);
    expect(textOf(updated.at(-1))).toMatch(/~\*\+1 415 555 0102\*[^~]*~ — resolved/);
    expect(textOf(updated.at(-1))).toMatch(/~\*\+1 415 555 0101\*[^~]*~ — resolved/);
    expect(await repairAudit(app, MAIN)).toEqual([["restore", USER.id, "button"]]);
    expect(await repairAudit(app, SPARE)).toEqual([["adopt_provider", USER.id, "button"]]);
    await expectAgreement(app, retell, MAIN, "agent_front");
    await expectAgreement(app, retell, SPARE, "agent_support_1");
  });
});

describe("a repair clicked twice", () => {
  it("Restore applies once", async () => {
    const { app, retell } = await retellOnly();
    retell.setBinding(MAIN, ["agent_sales"]);
    await check(app);
    const alert = alertFor(app, MAIN);
    await Promise.all([
      clickOnAlert(app, ACTION_DRIFT_RESTORE, alert),
      clickOnAlert(app, ACTION_DRIFT_RESTORE, alert),
    ]);
    await lastReply(app, (t) => t.includes("Restored"));
    await lastReply(app, (t) => !t.includes("Restoring") && !t.includes("Restored"));
    expect(retell.writes()).toHaveLength(1);
    expect(await repairAudit(app, MAIN)).toEqual([["restore", USER.id, "button"]]);
    await expectAgreement(app, retell, MAIN, "agent_front");
  });
});
