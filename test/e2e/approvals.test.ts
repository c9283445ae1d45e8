// Approving production changes (issue 5, points 3–5): every rule is driven through signed
// block_actions against the running app, and checked at the provider, in the database and in Slack.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ACTION_APPROVE,
  ACTION_APPROVE_OVERRIDE,
  ACTION_CANCEL_REQUEST,
  ACTION_REJECT,
} from "../../src/slack/views/approvalMessage";
import { ACTION_CONFIRM_CHANGE } from "../../src/slack/views/changeMessages";
import type { RecordedCall } from "../harness/fakeSlack";
import { USER } from "../harness/slackDriver";
import type { TestApp } from "../harness/testApp";
import { TestClock } from "../harness/testClock";
import {
  APPROVALS,
  APPROVER,
  buttonValue,
  expectNoProductionChangeWithoutApproval,
  numberRow,
  OTHER_APPROVER,
  startWorld,
  textOf,
  type World,
} from "./support";

const MAIN = "+14155550102"; // a production number on Front desk in these tests
const OUTSIDER = "U0OUTSIDER";

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  expect(world.app.slack.rejections()).toEqual([]);
  await expectNoProductionChangeWithoutApproval(world.app);
  await world.stop();
});

// ── helpers ──────────────────────────────────────────────────────────────────

interface Pending {
  id: string;
  /** The approval message in APPROVALS. */
  ts: string;
  post: RecordedCall;
  /** What the requester saw (response_url), with the Cancel button. */
  reply: RecordedCall;
}

/** Calls recorded after `mark` (an index into app.slack.calls) that match. */
function nextCall(
  app: TestApp,
  mark: number,
  method: string,
  predicate: (c: RecordedCall) => boolean = () => true,
) {
  return app.slack.waitFor(method, (c) => app.slack.calls.indexOf(c) >= mark && predicate(c));
}

async function setProduction(app: TestApp, e164: string, on: boolean, user = APPROVER) {
  const mark = app.slack.calls.length;
  await app.send.command("/numbers", `production ${e164} ${on ? "on" : "off"}`, { user });
  const reply = await nextCall(app, mark, "response_url");
  expect(textOf(reply)).toMatch(/is now a \*production\*|no longer a production/);
}

/** Makes MAIN production (if needed) and asks, as `user`, for a change that needs approval. */
async function request(
  app: TestApp,
  { command = "/assign-number", text = `${MAIN} Sales`, user = USER.id } = {},
): Promise<Pending> {
  if (!(await numberRow(app, MAIN)).isProduction) await setProduction(app, MAIN, true);
  const mark = app.slack.calls.length;
  await app.send.command(command, text, { user });
  const post = await nextCall(app, mark, "chat.postMessage", (c) => c.args.channel === APPROVALS);
  const reply = await nextCall(app, mark, "response_url", (c) =>
    textOf(c).includes("waiting for an approver"),
  );
  const id = buttonValue(post, ACTION_APPROVE);
  expect(buttonValue(reply, ACTION_CANCEL_REQUEST)).toBe(id);
  return { id, ts: (post.response as { ts: string }).ts, post, reply };
}

/** A click on the approval message in the approval channel. */
function click(app: TestApp, actionId: string, pending: Pending, user: string) {
  return app.send.clickButton(actionId, pending.id, { user, channel: APPROVALS, messageTs: pending.ts });
}

function updateOf(app: TestApp, pending: Pending, predicate: (text: string) => boolean = () => true) {
  return app.slack.waitFor("chat.update", (c) => c.args.ts === pending.ts && predicate(textOf(c)));
}

function ephemeralTo(app: TestApp, user: string, mark = 0) {
  return nextCall(app, mark, "chat.postEphemeral", (c) => c.args.user === user);
}

function dmTo(app: TestApp, user: string, predicate: (text: string) => boolean = () => true) {
  return app.slack.waitFor("chat.postMessage", (c) => c.args.channel === user && predicate(textOf(c)));
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

async function status(app: TestApp, pending: Pending) {
  return (await app.db.approvalRequest.findUniqueOrThrow({ where: { id: pending.id } })).status;
}

/** The refusal left everything as it was: request open, no message update, nothing written. */
async function expectStillOpen(w: World, pending: Pending) {
  expect(await status(w.app, pending)).toBe("pending");
  expect(w.app.slack.callsTo("chat.update").filter((c) => c.args.ts === pending.ts)).toEqual([]);
  expect(w.retell.writes()).toHaveLength(0);
  expect((await numberRow(w.app, MAIN)).agent?.name).toBe("Front desk");
}

async function auditTrail(app: TestApp) {
  const row = await numberRow(app, MAIN);
  const events = await app.db.auditEvent.findMany({
    where: { numberId: row.id },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
  return events.map((e) => [e.action, e.actor, e.outcome]);
}

/** See production.test.ts: every applied binding change of a production number names an approval it needed. */

// ── deciding ─────────────────────────────────────────────────────────────────

describe("deciding a production change", () => {
  it("reassigning a production number posts an approval request and changes nothing until an approver clicks Approve", async () => {
    const { app, retell } = world;
    const pending = await request(app);
    expect(retell.writes()).toHaveLength(0);
    expect((await numberRow(app, MAIN)).agent?.name).toBe("Front desk");

    await click(app, ACTION_APPROVE, pending, APPROVER);
    const update = await updateOf(app, pending, (t) => t.includes("Approved"));

    // The same service path as any change: write, read back, commit.
    expect(retell.requestsTo("PATCH", `/update-phone-number/${MAIN}`)).toHaveLength(1);
    expect(retell.requestsTo("GET", `/get-phone-number/${MAIN}`).length).toBeGreaterThanOrEqual(1);
    expect(retell.agentIdsOf(MAIN)).toEqual(["agent_sales"]);
    const row = await numberRow(app, MAIN);
    expect(row.agent?.name).toBe("Sales");
    expect(row.bindingVersion).toBe(1);

    // The message: no buttons any more, who decided, the outcome.
    expect(actionIds(update)).toEqual([]);
    expect(textOf(update)).toContain(`by <@${APPROVER}>`);
    expect(textOf(update)).toContain("verified at the provider");
    const dm = await dmTo(app, USER.id, (t) => t.includes("approved"));
    expect(textOf(dm)).toContain(`<@${APPROVER}>`);
    expect(app.slack.callsTo("chat.postEphemeral")).toEqual([]);

    expect(await app.db.approvalRequest.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: "approved",
      decidedBy: APPROVER,
      overrideReadiness: false,
    });
    expect(await auditTrail(app)).toEqual([
      ["production_on", APPROVER, "applied"],
      ["reassign_requested", USER.id, "pending"],
      ["approval_approve", APPROVER, "ok"],
      ["reassign", APPROVER, "applied"],
    ]);
    const applied = await app.db.auditEvent.findFirstOrThrow({
      where: { action: "reassign", outcome: "applied" },
    });
    expect(applied).toMatchObject({ source: "approval", detail: `approval ${pending.id}` });
    // The invariant every test ends with sees this change and finds its approval.
    expect(await expectNoProductionChangeWithoutApproval(app)).toBe(1);
  });

  it("an approved unassignment unbinds the number at the provider and leaves it unrouted", async () => {
    const { app, retell } = world;
    const pending = await request(app, { command: "/unassign-number", text: MAIN });
    await click(app, ACTION_APPROVE, pending, OTHER_APPROVER);
    await updateOf(app, pending, (t) => t.includes("Approved"));
    const patch = retell.requestsTo("PATCH", `/update-phone-number/${MAIN}`);
    expect(patch.map((p) => p.body)).toEqual([{ inbound_agents: null, outbound_agents: null }]);
    expect(retell.agentIdsOf(MAIN)).toEqual([]);
    expect((await numberRow(app, MAIN)).agentId).toBeNull();
    await dmTo(app, USER.id, (t) => t.includes("approved"));
  });

  it("Reject changes nothing, removes the buttons, names who rejected and tells the requester", async () => {
    const { app, retell } = world;
    const pending = await request(app);
    await click(app, ACTION_REJECT, pending, APPROVER);
    const update = await updateOf(app, pending, (t) => t.includes("Rejected"));
    expect(actionIds(update)).toEqual([]);
    expect(textOf(update)).toContain(`by <@${APPROVER}>`);
    expect(textOf(update)).toContain("nothing changed");
    await dmTo(app, USER.id, (t) => t.includes("rejected"));

    expect(retell.writes()).toHaveLength(0);
    expect((await numberRow(app, MAIN)).agent?.name).toBe("Front desk");
    expect(await status(app, pending)).toBe("rejected");
    expect(await auditTrail(app)).toEqual([
      ["production_on", APPROVER, "applied"],
      ["reassign_requested", USER.id, "pending"],
      ["approval_reject", APPROVER, "ok"],
    ]);

    // A late Approve on the rejected request is refused privately.
    const mark = app.slack.calls.length;
    await click(app, ACTION_APPROVE, pending, OTHER_APPROVER);
    expect(textOf(await ephemeralTo(app, OTHER_APPROVER, mark))).toContain("already rejected");
    expect(retell.writes()).toHaveLength(0);
  });

  it("the requester cancels from their pending reply: the message says so and a later Approve is refused", async () => {
    const { app, retell } = world;
    const pending = await request(app);
    const mark = app.slack.calls.length;
    await app.send.clickButton(ACTION_CANCEL_REQUEST, pending.id);
    const answer = await nextCall(app, mark, "response_url");
    expect(answer.args).toMatchObject({ replace_original: true });
    expect(textOf(answer)).toContain("Cancelled");
    const update = await updateOf(app, pending, (t) => t.includes("Cancelled"));
    expect(actionIds(update)).toEqual([]);
    expect(await status(app, pending)).toBe("cancelled");
    expect(await auditTrail(app)).toEqual([
      ["production_on", APPROVER, "applied"],
      ["reassign_requested", USER.id, "pending"],
      ["approval_cancel", USER.id, "ok"],
    ]);

    const late = app.slack.calls.length;
    await click(app, ACTION_APPROVE, pending, APPROVER);
    expect(textOf(await ephemeralTo(app, APPROVER, late))).toContain("already cancelled");
    expect(retell.writes()).toHaveLength(0);
    expect((await numberRow(app, MAIN)).agent?.name).toBe("Front desk");
  });

  it("only the requester can cancel: anyone else is told so without touching the requester's message", async () => {
    const { app } = world;
    const pending = await request(app);
    const mark = app.slack.calls.length;
    await app.send.clickButton(ACTION_CANCEL_REQUEST, pending.id, { user: APPROVER });
    const answer = await nextCall(app, mark, "response_url");
    expect(textOf(answer)).toContain("Only the person who asked can cancel");
    expect(answer.args).toMatchObject({ replace_original: false });
    await expectStillOpen(world, pending);

    // The request is still decidable.
    await click(app, ACTION_APPROVE, pending, APPROVER);
    await updateOf(app, pending, (t) => t.includes("Approved"));
  });
});

// ── who may approve ─────────────────────────────────────────────────────────

describe("who may approve", () => {
  it("a click by someone who is not an approver is refused privately and leaves the buttons live", async () => {
    const { app } = world;
    const pending = await request(app);
    for (const action of [ACTION_APPROVE, ACTION_REJECT]) {
      const mark = app.slack.calls.length;
      await click(app, action, pending, OUTSIDER);
      const told = await ephemeralTo(app, OUTSIDER, mark);
      expect(told.args).toMatchObject({ channel: APPROVALS, user: OUTSIDER });
      expect(textOf(told)).toContain("Only approvers can decide");
    }
    await expectStillOpen(world, pending);
    expect(
      await app.db.auditEvent.count({
        where: { actor: OUTSIDER, outcome: "refused", detail: { startsWith: "not_approver" } },
      }),
    ).toBe(2);
  });

  it("an approver cannot approve their own request; it stays open and another approver can", async () => {
    const { app, retell } = world;
    const pending = await request(app, { user: APPROVER });
    await click(app, ACTION_APPROVE, pending, APPROVER);
    const told = await ephemeralTo(app, APPROVER);
    expect(textOf(told)).toContain("another approver has to decide it");
    await expectStillOpen(world, pending);

    await click(app, ACTION_APPROVE, pending, OTHER_APPROVER);
    await updateOf(app, pending, (t) => t.includes("Approved"));
    expect(retell.agentIdsOf(MAIN)).toEqual(["agent_sales"]);
    expect(await app.db.approvalRequest.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      requesterId: APPROVER,
      decidedBy: OTHER_APPROVER,
    });
  });

  it("with no approvers configured, the request says nobody can approve it and a click says why, leaving the buttons", async () => {
    await world.stop();
    world = await startWorld({ env: { APPROVER_USER_IDS: "" } });
    const { app } = world;
    // Nobody can set the flag from Slack without approvers; it may still be set by an operator.
    await app.db.phoneNumber.updateMany({ where: { e164: MAIN }, data: { isProduction: true } });
    const pending = await request(app);
    expect(textOf(pending.reply)).toContain("No approvers are configured");

    await click(app, ACTION_APPROVE, pending, APPROVER);
    const told = await ephemeralTo(app, APPROVER);
    expect(textOf(told)).toContain("no approvers are configured");
    expect(textOf(told)).toContain("APPROVER_USER_IDS");
    await expectStillOpen(world, pending);
  });

  it("members of APPROVER_USERGROUP_ID may approve; the membership is looked up once, cached, and refreshed later", async () => {
    await world.stop();
    world = await startWorld({ env: { APPROVER_USER_IDS: "", APPROVER_USERGROUP_ID: "S0APPROVERS" } });
    const { app, retell } = world;
    app.slack.setUsergroup("S0APPROVERS", [APPROVER, OTHER_APPROVER]);

    const first = await request(app); // the flag set by a member: first lookup
    await click(app, ACTION_APPROVE, first, OUTSIDER);
    expect(textOf(await ephemeralTo(app, OUTSIDER))).toContain("Only approvers can decide");
    await click(app, ACTION_APPROVE, first, OTHER_APPROVER);
    await updateOf(app, first, (t) => t.includes("Approved"));
    expect(retell.agentIdsOf(MAIN)).toEqual(["agent_sales"]);
    const lookups = app.slack.callsTo("usergroups.users.list");
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.args).toMatchObject({ usergroup: "S0APPROVERS" });

    // Membership changes in Slack; after the cache period the next decision sees it.
    app.slack.setUsergroup("S0APPROVERS", [APPROVER, OUTSIDER]);
    const realNow = Date.now;
    Date.now = () => realNow() + 6 * 60_000;
    try {
      const second = await request(app, { text: `${MAIN} Front desk` });
      await click(app, ACTION_APPROVE, second, OUTSIDER);
      await updateOf(app, second, (t) => t.includes("Approved"));
      expect(app.slack.callsTo("usergroups.users.list")).toHaveLength(2);
      expect(retell.agentIdsOf(MAIN)).toEqual(["agent_front"]);
    } finally {
      Date.now = realNow;
    }
  });

  it("group members clicking at the same moment share one membership lookup", async () => {
    await world.stop();
    world = await startWorld({ env: { APPROVER_USER_IDS: "", APPROVER_USERGROUP_ID: "S0APPROVERS" } });
    const { app } = world;
    app.slack.setUsergroup("S0APPROVERS", [APPROVER, OTHER_APPROVER]);
    await app.db.phoneNumber.updateMany({ where: { e164: MAIN }, data: { isProduction: true } });
    const pending = await request(app);
    expect(app.slack.callsTo("usergroups.users.list")).toHaveLength(0);

    await Promise.all([
      click(app, ACTION_APPROVE, pending, APPROVER),
      click(app, ACTION_APPROVE, pending, OTHER_APPROVER),
    ]);
    await updateOf(app, pending, (t) => t.includes("Approved"));
    await app.slack.waitFor("chat.postEphemeral");
    expect(app.slack.callsTo("usergroups.users.list")).toHaveLength(1);
    await expectAppliedOnce(world, "agent_sales");
  });
});

// ── requests that cannot be approved ──────────────────────────────────────────

describe("requests that cannot be approved", () => {
  it("a request expires after APPROVAL_TTL: marked expired, message updated, requester told, clicks refused", async () => {
    await world.stop();
    const clock = new TestClock();
    world = await startWorld({ env: { APPROVAL_TTL: "1s" }, clock });
    const { app, retell } = world;
    const pending = await request(app);
    const row = await app.db.approvalRequest.findUniqueOrThrow({ where: { id: pending.id } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(1_500);
    clock.advancePast(row.expiresAt);

    // What the scheduler runs every minute.
    expect(await app.switchboard.services.approvals.expireDue()).toBe(1);
    expect(await status(app, pending)).toBe("expired");
    const update = await updateOf(app, pending, (t) => t.includes("Expired"));
    expect(actionIds(update)).toEqual([]);
    await dmTo(app, USER.id, (t) => t.includes("expired"));
    expect(await app.switchboard.services.approvals.expireDue()).toBe(0);

    await click(app, ACTION_APPROVE, pending, APPROVER);
    expect(textOf(await ephemeralTo(app, APPROVER))).toContain("expired");
    expect(retell.writes()).toHaveLength(0);
    expect((await numberRow(app, MAIN)).agent?.name).toBe("Front desk");
    expect(await auditTrail(app)).toEqual([
      ["production_on", APPROVER, "applied"],
      ["reassign_requested", USER.id, "pending"],
      ["approval_expired", "system", "noop"],
      ["approval_approve", APPROVER, "refused"],
    ]);
  });

  it("an overdue request is refused and marked expired even before the expiry job has run, and does not block a new request", async () => {
    await world.stop();
    const clock = new TestClock();
    world = await startWorld({ env: { APPROVAL_TTL: "1s" }, clock });
    const { app, retell } = world;
    const overdue = await request(app);
    clock.advancePast(
      (await app.db.approvalRequest.findUniqueOrThrow({ where: { id: overdue.id } })).expiresAt,
    );

    // A new request for the number is accepted: the overdue one no longer holds it.
    const fresh = await request(app, { text: `${MAIN} Support East` });
    expect(await status(app, overdue)).toBe("expired");
    await updateOf(app, overdue, (t) => t.includes("Expired"));

    clock.advancePast(
      (await app.db.approvalRequest.findUniqueOrThrow({ where: { id: fresh.id } })).expiresAt,
    );
    await click(app, ACTION_APPROVE, fresh, APPROVER);
    expect(textOf(await ephemeralTo(app, APPROVER))).toContain("expired");
    expect(await status(app, fresh)).toBe("expired");
    await updateOf(app, fresh, (t) => t.includes("Expired"));
    expect(retell.writes()).toHaveLength(0);
  });

  it("a stale request (the number changed since it was made) cannot be approved and says why", async () => {
    const { app, retell } = world;
    const pending = await request(app);

    // Meanwhile the number changes another way: production off, then an ordinary confirmed reassignment.
    await setProduction(app, MAIN, false);
    let mark = app.slack.calls.length;
    await app.send.command("/assign-number", `${MAIN} Support East`);
    const confirm = await nextCall(app, mark, "response_url", (c) => textOf(c).includes("Reassign"));
    mark = app.slack.calls.length;
    await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(confirm, ACTION_CONFIRM_CHANGE));
    await nextCall(app, mark, "response_url", (c) => textOf(c).includes("now routes to"));
    expect(retell.writes()).toHaveLength(1);
    expect((await numberRow(app, MAIN)).bindingVersion).toBe(1);

    mark = app.slack.calls.length;
    await click(app, ACTION_APPROVE, pending, APPROVER);
    const told = await ephemeralTo(app, APPROVER, mark);
    expect(textOf(told)).toContain("changed after this request was made");
    const update = await updateOf(app, pending, (t) => t.includes("Failed"));
    expect(actionIds(update)).toEqual([]);
    expect(textOf(update)).toContain("changed after this request was made");
    await dmTo(app, USER.id, (t) => t.includes("changed after this request"));

    expect(retell.writes()).toHaveLength(1); // only the ordinary reassignment
    expect(retell.agentIdsOf(MAIN)).toEqual(["agent_support_1"]);
    expect((await numberRow(app, MAIN)).agent?.name).toBe("Support East");
    expect(await app.db.approvalRequest.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: "failed",
      decidedBy: APPROVER,
    });
    const refused = await app.db.auditEvent.findFirstOrThrow({ where: { action: "approval_approve" } });
    expect(refused).toMatchObject({ actor: APPROVER, outcome: "refused" });
    expect(refused.detail).toContain("stale");
  });

  it("a target agent that is not ready blocks Approve; “Approve anyway” applies it and the audit notes the override", async () => {
    const { app, retell } = world;
    const pending = await request(app, { text: `${MAIN} Draft bot` });
    expect(textOf(pending.post)).toContain(":x: not published");
    expect(actionIds(pending.post)).toEqual([ACTION_APPROVE, ACTION_REJECT, ACTION_APPROVE_OVERRIDE]);

    await click(app, ACTION_APPROVE, pending, APPROVER);
    const told = await ephemeralTo(app, APPROVER);
    expect(textOf(told)).toContain("not ready (not published)");
    expect(textOf(told)).toContain("Approve anyway");
    await expectStillOpen(world, pending);

    await click(app, ACTION_APPROVE_OVERRIDE, pending, APPROVER);
    const update = await updateOf(app, pending, (t) => t.includes("Approved"));
    expect(textOf(update)).toContain("readiness overridden");
    expect(actionIds(update)).toEqual([]);
    expect(retell.agentIdsOf(MAIN)).toEqual(["agent_draft"]);
    expect((await numberRow(app, MAIN)).agent?.name).toBe("Draft bot");
    expect(await app.db.approvalRequest.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: "approved",
      overrideReadiness: true,
    });
    const decision = await app.db.auditEvent.findFirstOrThrow({
      where: { action: "approval_approve", outcome: "ok" },
    });
    expect(decision.detail).toContain("readiness overridden");
  });

  it("a provider failure on approval is shown on the message, fails the request, leaves the binding and tells the requester", async () => {
    const { app, retell } = world;
    const pending = await request(app);
    retell.failNext({ method: "PATCH" }, { status: 503, times: 10 });

    await click(app, ACTION_APPROVE, pending, APPROVER);
    const update = await updateOf(app, pending, (t) => t.includes("Failed"));
    expect(actionIds(update)).toEqual([]);
    expect(textOf(update)).toContain(`by <@${APPROVER}>`);
    expect(textOf(update)).toContain("Retell refused or failed the change");
    const dm = await dmTo(app, USER.id, (t) => t.includes("failed"));
    expect(textOf(dm)).toContain("Retell");

    expect(retell.agentIdsOf(MAIN)).toEqual(["agent_front"]);
    const row = await numberRow(app, MAIN);
    expect(row.agent?.name).toBe("Front desk");
    expect(row.bindingVersion).toBe(0);
    expect(row.lockToken).toBeNull();
    const approval = await app.db.approvalRequest.findUniqueOrThrow({ where: { id: pending.id } });
    expect(approval.status).toBe("failed");
    expect(approval.outcome).toContain("Retell");
    expect(await auditTrail(app)).toEqual([
      ["production_on", APPROVER, "applied"],
      ["reassign_requested", USER.id, "pending"],
      ["approval_approve", APPROVER, "ok"],
      ["reassign", APPROVER, "failed"],
      ["approval_failed", APPROVER, "failed"],
    ]);

    // The number is not left blocked: it can be asked for again.
    const retry = await request(app);
    expect(retry.id).not.toBe(pending.id);
  });
});

// ── concurrency ─────────────────────────────────────────────────────────────

describe("clicks at the same moment", () => {
  it("a double click on Approve applies the change once", async () => {
    const { app } = world;
    const pending = await request(app);
    await Promise.all([
      click(app, ACTION_APPROVE, pending, APPROVER),
      click(app, ACTION_APPROVE, pending, APPROVER),
    ]);
    await updateOf(app, pending, (t) => t.includes("Approved"));
    expect(textOf(await ephemeralTo(app, APPROVER))).toContain("already");
    await expectAppliedOnce(world, "agent_sales");
  });

  it("two approvers approving at once apply the change once; the second is told it was already decided", async () => {
    const { app } = world;
    const pending = await request(app);
    await Promise.all([
      click(app, ACTION_APPROVE, pending, APPROVER),
      click(app, ACTION_APPROVE, pending, OTHER_APPROVER),
    ]);
    await updateOf(app, pending, (t) => t.includes("Approved"));
    const told = await app.slack.waitFor("chat.postEphemeral");
    expect(textOf(told)).toContain("already");
    const decided = await app.db.approvalRequest.findUniqueOrThrow({ where: { id: pending.id } });
    expect([APPROVER, OTHER_APPROVER]).toContain(decided.decidedBy);
    expect(told.args.user).not.toBe(decided.decidedBy);
    await expectAppliedOnce(world, "agent_sales");
  });

  it("Approve and Reject at the same moment end with exactly one decision", async () => {
    const { app, retell } = world;
    const pending = await request(app);
    await Promise.all([
      click(app, ACTION_APPROVE, pending, APPROVER),
      click(app, ACTION_REJECT, pending, OTHER_APPROVER),
    ]);
    await app.slack.waitFor("chat.postEphemeral");
    const update = await updateOf(app, pending, (t) => t.includes("Approved") || t.includes("Rejected"));
    const final = await status(app, pending);
    expect(
      await app.db.auditEvent.count({ where: { action: { startsWith: "approval_" }, outcome: "ok" } }),
    ).toBe(1);
    if (final === "approved") {
      expect(textOf(update)).toContain("Approved");
      await expectAppliedOnce(world, "agent_sales");
    } else {
      expect(final).toBe("rejected");
      expect(retell.writes()).toHaveLength(0);
      expect((await numberRow(app, MAIN)).agent?.name).toBe("Front desk");
    }
  });
});

async function expectAppliedOnce(w: World, providerAgentId: string) {
  // Callers wait for the losing click's private answer first, so both clicks are done here.
  expect(w.retell.writes()).toHaveLength(1);
  expect(w.retell.agentIdsOf(MAIN)).toEqual([providerAgentId]);
  const row = await numberRow(w.app, MAIN);
  expect(row.bindingVersion).toBe(1);
  expect(
    await w.app.db.auditEvent.count({ where: { numberId: row.id, outcome: "applied", action: "reassign" } }),
  ).toBe(1);
  expect(await w.app.db.auditEvent.count({ where: { action: "approval_approve", outcome: "ok" } })).toBe(1);
  expect(w.app.slack.callsTo("chat.update").filter((c) => textOf(c).includes("Approved"))).toHaveLength(1);
}
