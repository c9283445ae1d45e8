// The production flag (issue 5, points 1–2): who may set it, where it shows, and that every way of
// reassigning or unassigning a production number turns into an approval request that changes nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTION_APPROVE, ACTION_CANCEL_REQUEST, ACTION_REJECT } from "../../src/slack/views/approvalMessage";
import { ACTION_CONFIRM_CHANGE, ACTION_REPLACE } from "../../src/slack/views/changeMessages";
import type { RecordedCall } from "../harness/fakeSlack";
import { USER, viewWith } from "../harness/slackDriver";
import type { TestApp } from "../harness/testApp";
import {
  APPROVALS,
  APPROVER,
  agentId,
  buttonValue,
  expectNoProductionChangeWithoutApproval,
  lastReply,
  numberRow,
  startWorld,
  textOf,
  type World,
} from "./support";

const MAIN = "+14155550102"; // on Front desk
const SPARE = "+14155550101"; // free

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  expect(world.app.slack.rejections()).toEqual([]);
  await expectNoProductionChangeWithoutApproval(world.app);
  await world.stop();
});

async function setProduction(app: TestApp, e164: string, on: boolean, user = APPROVER) {
  await app.send.command("/numbers", `production ${e164} ${on ? "on" : "off"}`, { user });
  return lastReply(app, (t) => t.includes("production"));
}

function approvalPost(app: TestApp): Promise<RecordedCall> {
  return app.slack.waitFor("chat.postMessage", (c) => c.args.channel === APPROVALS);
}

function modalTitled(app: TestApp, title: string): Promise<RecordedCall> {
  return app.slack.waitFor(
    "views.update",
    (c) => (c.args.view as { title?: { text?: string } }).title?.text === title,
  );
}

function actionIds(call: RecordedCall): string[] {
  const blocks = ((call.args as { blocks?: unknown[] }).blocks ?? []) as {
    type: string;
    elements?: { action_id?: string }[];
  }[];
  return blocks
    .filter((b) => b.type === "actions")
    .flatMap((b) => (b.elements ?? []).map((e) => e.action_id!));
}

/** The list line for a number in a `/numbers list` reply. */
function listLine(reply: RecordedCall, national: string): string {
  const text = textOf(reply).replace(/\\n/g, "\n");
  return text.split("\n").find((line) => line.includes(national)) ?? "";
}

/** Nothing happened to the number: no provider write, the binding and its version unchanged. */
async function expectUnchanged(w: World, e164: string, agent: string | null, version = 0) {
  expect(w.retell.writes()).toHaveLength(0);
  const row = await numberRow(w.app, e164);
  expect(row.agent?.name ?? null).toBe(agent);
  expect(row.bindingVersion).toBe(version);
  expect(row.lockToken).toBeNull();
}

/**
 * The rule "no path changes a production number's binding without a recorded approval", checked
 * against the whole audit trail: every applied binding change on a number that was production at
 * the time names an approval that an approver other than the requester approved.
 */

describe("/numbers production <number> on|off", () => {
  it("an approver turns the flag on and off; each change is audited and shows in /numbers list and status", async () => {
    const { app } = world;
    const on = await setProduction(app, MAIN, true);
    expect(textOf(on)).toContain("is now a *production* number");
    expect((await numberRow(app, MAIN)).isProduction).toBe(true);

    app.slack.reset();
    await app.send.command("/numbers", "list");
    const list = await lastReply(app, (t) => t.includes("All numbers"));
    expect(listLine(list, "+1 415 555 0102")).toContain("production");
    expect(listLine(list, "+1 415 555 0101")).not.toContain("production");

    app.slack.reset();
    await app.send.command("/numbers", `status ${MAIN}`);
    const status = await lastReply(app, (t) => t.includes("555 0102"));
    expect(textOf(status)).toContain("production");

    app.slack.reset();
    const again = await setProduction(app, MAIN, true);
    expect(textOf(again)).toContain("No change");

    app.slack.reset();
    const off = await setProduction(app, MAIN, false);
    expect(textOf(off)).toContain("no longer a production number");
    expect((await numberRow(app, MAIN)).isProduction).toBe(false);
    app.slack.reset();
    await app.send.command("/numbers", "list");
    expect(listLine(await lastReply(app, (t) => t.includes("All numbers")), "+1 415 555 0102")).not.toContain(
      "production",
    );

    const row = await numberRow(app, MAIN);
    const audit = await app.db.auditEvent.findMany({
      where: { numberId: row.id, action: { startsWith: "production" } },
      orderBy: { at: "asc" },
    });
    expect(audit.map((a) => [a.action, a.actor, a.outcome, a.after])).toEqual([
      ["production_on", APPROVER, "applied", { isProduction: true }],
      ["production_off", APPROVER, "applied", { isProduction: false }],
    ]);
  });

  it("refuses a non-approver, changes nothing and records nothing", async () => {
    const { app } = world;
    const reply = await setProduction(app, MAIN, true, USER.id);
    expect(textOf(reply)).toContain("Only approvers can change the production flag");
    expect((await numberRow(app, MAIN)).isProduction).toBe(false);
    expect(await app.db.auditEvent.count({ where: { action: { startsWith: "production" } } })).toBe(0);
  });

  it("says no approvers are configured, naming the variables, when nobody could ever approve", async () => {
    await world.stop();
    world = await startWorld({ env: { APPROVER_USER_IDS: "" } });
    const { app } = world;
    const reply = await setProduction(app, MAIN, true);
    expect(textOf(reply)).toContain("APPROVER_USER_IDS");
    expect(textOf(reply)).toContain("APPROVER_USERGROUP_ID");
    expect((await numberRow(app, MAIN)).isProduction).toBe(false);
  });
});

describe("changing a production number asks for approval and changes nothing", () => {
  it("a typed reassignment posts an approval request with the number, both agents, readiness, requester, expiry and Approve/Reject", async () => {
    const { app } = world;
    await setProduction(app, MAIN, true);
    app.slack.reset();

    await app.send.command("/assign-number", `${MAIN} Sales`);
    const post = await approvalPost(app);
    const text = textOf(post);
    expect(text).toContain("+1 415 555 0102");
    expect(text).toContain("Front desk");
    expect(text).toContain("Sales");
    expect(text).toContain("published");
    expect(text).toContain("active");
    expect(text).toContain("Retell key valid");
    expect(text).toContain(`<@${USER.id}>`);
    expect(text).toContain("Expires");
    expect(actionIds(post)).toEqual([ACTION_APPROVE, ACTION_REJECT]);

    const pending = await lastReply(app, (t) => t.includes("waiting for an approver"));
    expect(textOf(pending)).toContain("Nothing has changed yet");
    const approvalId = buttonValue(pending, ACTION_CANCEL_REQUEST);
    expect(buttonValue(post, ACTION_APPROVE)).toBe(approvalId);

    await expectUnchanged(world, MAIN, "Front desk");
    const request = await app.db.approvalRequest.findUniqueOrThrow({ where: { id: approvalId } });
    expect(request).toMatchObject({
      kind: "reassign",
      status: "pending",
      requesterId: USER.id,
      fromAgentId: await agentId(app, "agent_front"),
      toAgentId: await agentId(app, "agent_sales"),
      bindingVersion: 0,
      channelId: APPROVALS,
      messageTs: (post.response as { ts: string }).ts,
    });
    const inAnHour = Date.now() + 3_600_000;
    expect(Math.abs(request.expiresAt.getTime() - inAnHour)).toBeLessThan(60_000);
    const audit = await app.db.auditEvent.findMany({ where: { action: "reassign_requested" } });
    expect(audit.map((a) => [a.actor, a.outcome, a.detail])).toEqual([
      [USER.id, "pending", `approval ${approvalId}`],
    ]);
  });

  it("a typed unassignment posts an approval request warning that the number will answer no calls", async () => {
    const { app } = world;
    await setProduction(app, MAIN, true);
    app.slack.reset();

    await app.send.command("/unassign-number", MAIN);
    const post = await approvalPost(app);
    expect(textOf(post)).toContain("unassign production number");
    expect(textOf(post)).toContain("Front desk");
    expect(textOf(post)).toContain("will not be answered");
    expect(actionIds(post)).toEqual([ACTION_APPROVE, ACTION_REJECT]);
    const pending = await lastReply(app, (t) => t.includes("waiting for an approver"));
    expect(textOf(pending)).toContain("unassign");

    await expectUnchanged(world, MAIN, "Front desk");
    expect(await app.db.approvalRequest.findMany()).toMatchObject([
      { kind: "unassign", status: "pending", toAgentId: null },
    ]);
  });

  it("the assign modal (opened by /assign-number) files an approval request, DMs the requester a Cancel button and reports it in the modal", async () => {
    const { app } = world;
    await setProduction(app, MAIN, true);
    app.slack.reset();

    await app.send.command("/assign-number", "");
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.response as { view: Record<string, unknown> }).view;
    const number = await numberRow(app, MAIN);
    const submitted = await app.send.submitView(
      viewWith(view, {
        number: { number_pick: number.id },
        agent: { agent_pick: await agentId(app, "agent_sales") },
      }),
    );
    expect(submitted.status).toBe(200);

    const post = await approvalPost(app);
    expect(textOf(post)).toContain("Sales");
    const dm = await app.slack.waitFor(
      "chat.postMessage",
      (c) => c.args.channel === USER.id && textOf(c).includes("waiting for an approver"),
    );
    expect(buttonValue(dm, ACTION_CANCEL_REQUEST)).toBe(buttonValue(post, ACTION_APPROVE));
    const modal = await modalTitled(app, "Approval needed");
    expect(textOf(modal)).toContain("Nothing has changed yet");

    await expectUnchanged(world, MAIN, "Front desk");
    expect(await app.db.approvalRequest.findMany()).toMatchObject([
      { kind: "reassign", status: "pending", requesterId: USER.id },
    ]);
    expect(await app.db.auditEvent.count({ where: { action: "reassign_requested", source: "modal" } })).toBe(
      1,
    );
  });

  it("the unassign modal (opened by /unassign-number) files an approval request and changes nothing", async () => {
    const { app } = world;
    await setProduction(app, MAIN, true);
    app.slack.reset();

    await app.send.command("/unassign-number", "");
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.response as { view: Record<string, unknown> }).view;
    await app.send.submitView(viewWith(view, { number: { number_pick: (await numberRow(app, MAIN)).id } }));

    const post = await approvalPost(app);
    expect(textOf(post)).toContain("unassign production number");
    await modalTitled(app, "Approval needed");
    await expectUnchanged(world, MAIN, "Front desk");
    expect(await app.db.approvalRequest.findMany()).toMatchObject([{ kind: "unassign", status: "pending" }]);
  });

  it("a confirmation given before the number became production turns into an approval request when clicked", async () => {
    const { app } = world;
    await app.send.command("/assign-number", `${MAIN} Sales`);
    const confirm = await lastReply(app, (t) => t.includes("Reassign"));
    await setProduction(app, MAIN, true);
    app.slack.reset();

    await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(confirm, ACTION_CONFIRM_CHANGE));
    await approvalPost(app);
    await lastReply(app, (t) => t.includes("waiting for an approver"));
    await expectUnchanged(world, MAIN, "Front desk");
    expect(await app.db.approvalRequest.count({ where: { status: "pending" } })).toBe(1);
  });

  it("Replace, when the agent's current number is production, asks for approval to release it and assigns nothing", async () => {
    const { app } = world;
    await setProduction(app, MAIN, true);
    await app.send.command("/assign-number", `${SPARE} Front desk`);
    const refusal = await lastReply(app, (t) => t.includes("limit"));
    app.slack.reset();

    await app.send.clickButton(ACTION_REPLACE, buttonValue(refusal, ACTION_REPLACE));
    const post = await approvalPost(app);
    expect(textOf(post)).toContain("unassign production number");
    await lastReply(app, (t) => t.includes("waiting for an approver"));
    await expectUnchanged(world, MAIN, "Front desk");
    expect((await numberRow(app, SPARE)).agentId).toBeNull();
  });

  it("refuses a second request for a number that already has one pending, naming who asked", async () => {
    const { app } = world;
    await setProduction(app, MAIN, true);
    await app.send.command("/assign-number", `${MAIN} Sales`);
    await lastReply(app, (t) => t.includes("waiting for an approver"));
    app.slack.reset();

    await app.send.command("/unassign-number", MAIN, { user: "U0SOMEONE" });
    const reply = await lastReply(app);
    expect(textOf(reply)).toContain("already has a change waiting for approval");
    expect(textOf(reply)).toContain(USER.id);
    expect(await app.db.approvalRequest.count()).toBe(1);
    await expectUnchanged(world, MAIN, "Front desk");
  });

  it("when the approval channel refuses the post, the requester is told and the number is not left blocked", async () => {
    const { app } = world;
    await setProduction(app, MAIN, true);
    app.slack.reset();
    app.slack.failNext("chat.postMessage", { error: "not_in_channel" });

    await app.send.command("/assign-number", `${MAIN} Sales`);
    const reply = await lastReply(app);
    expect(textOf(reply)).toContain("approval channel");
    expect(textOf(reply)).not.toContain("waiting for an approver");
    await expectUnchanged(world, MAIN, "Front desk");
    expect(await app.db.approvalRequest.count({ where: { status: "pending" } })).toBe(0);

    // A retry is not blocked by the request that could not be posted.
    app.slack.reset();
    await app.send.command("/assign-number", `${MAIN} Sales`);
    await approvalPost(app);
    await lastReply(app, (t) => t.includes("waiting for an approver"));
    expect(await app.db.approvalRequest.count({ where: { status: "pending" } })).toBe(1);
  });
});
