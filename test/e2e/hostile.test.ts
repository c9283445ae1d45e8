// Hostile input: forged and replayed requests, oversized bodies, injection strings in every text
// field, tampered button values. Each is rejected, nothing changes, and it is audited where it matters.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTION_ALERT_SNOOZE, ACTION_ALERT_SPARE } from "../../src/slack/views/alertMessage";
import { ACTION_APPROVE } from "../../src/slack/views/approvalMessage";
import { ACTION_CONFIRM_CHANGE } from "../../src/slack/views/changeMessages";
import { ACTION_STATUS_UNSPARE } from "../../src/slack/views/statusViews";
import { TEAM_ID, viewWith } from "../harness/slackDriver";
import { agentId, buttonValue, lastReply, numberRow, startWorld, textOf, type World } from "./support";

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  expect(world.app.slack.rejections()).toEqual([]);
  await world.stop();
});

const INJECTIONS = [
  "<!channel> <!here> <@U0ADMIN>",
  '\'; DROP TABLE "PhoneNumber"; --',
  "<script>alert(1)</script>",
  "*bold* _it_ ~strike~ `code` <https://evil.example|click>",
  "%_%\\",
  "\u202eevil\u0000\u0007",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection attempt, on purpose
  "{{7*7}} ${process.env.SLACK_BOT_TOKEN}",
];

describe("requests that are not Slack's", () => {
  it("a forged or replayed state-changing command changes nothing", async () => {
    const { app, retell } = world;
    const forged = await app.send.command("/assign-number", "+14155550101 Sales", {
      secret: "guessed-secret",
    });
    const replayed = await app.send.command("/assign-number", "+14155550101 Sales", {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect([forged.status, replayed.status]).toEqual([401, 401]);
    expect(retell.writes()).toHaveLength(0);
    expect((await numberRow(app, "+14155550101")).agentId).toBeNull();
  });

  it("an oversized body is refused with 413 and the app keeps serving", async () => {
    const { app } = world;
    const res = await app.send.command("/numbers", `help ${"x".repeat(5 * 1024 * 1024)}`);
    expect(res.status).toBe(413);
    expect((await app.send.command("/numbers", "help")).status).toBe(200);
  });

  it("a correctly signed request claiming another workspace is refused before any listener, and audited", async () => {
    const { app, retell } = world;
    const res = await app.send.interactive({
      type: "block_actions",
      team: { id: "T0OTHER", domain: "other" },
      user: { id: "U0EVIL", team_id: "T0OTHER" },
      trigger_id: "1.2.3",
      response_url: app.slack.responseUrl(),
      actions: [
        { type: "button", action_id: ACTION_CONFIRM_CHANGE, value: "{}", block_id: "b", action_ts: "1" },
      ],
    });
    expect(res.status).toBe(200);
    expect(retell.writes()).toHaveLength(0);
    const audit = await app.db.auditEvent.findFirst({ where: { action: "foreign_workspace_request" } });
    expect(audit?.detail).toContain("T0OTHER");
  });
});

describe("injection strings in every text field", () => {
  it.each(INJECTIONS)("as an agent name typed in /assign-number: %j", async (text) => {
    const { app, retell } = world;
    const before = await app.db.phoneNumber.count();
    await app.send.command("/assign-number", `+14155550101 ${text}`);
    const reply = await lastReply(app);
    const shown = JSON.stringify(reply.args);
    expect(shown).not.toMatch(/<!channel>|<!here>|<@U0ADMIN>|<https:\/\/evil/);
    expect(retell.writes()).toHaveLength(0);
    expect(await app.db.phoneNumber.count()).toBe(before);
  });

  it.each(INJECTIONS)("as /numbers and /unassign-number text: %j", async (text) => {
    const { app, retell } = world;
    for (const [command, args] of [
      ["/numbers", text],
      ["/numbers", `status ${text}`],
      ["/numbers", `test-call +14155550102 ${text}`],
      ["/unassign-number", text],
    ] as const) {
      const res = await app.send.command(command, args);
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/<!channel>|<!here>|<@U0ADMIN>|<https:\/\/evil/);
    }
    expect(retell.writes()).toHaveLength(0);
    expect(retell.requestsTo("POST", "/v2/create-phone-call")).toHaveLength(0);
  });

  it.each(INJECTIONS)("as a typeahead query: %j matches nothing it should not", async (text) => {
    const { app } = world;
    const view = { id: "V1", callback_id: "assign_number", state: { values: {} } };
    const numbers = await app.send.suggest(viewWith(view), "number_pick", "number", text);
    const agents = await app.send.suggest(viewWith(view), "agent_pick", "agent", text);
    expect(numbers.status).toBe(200);
    expect(agents.status).toBe(200);
    const digits = text.replace(/\D/g, "");
    if (!digits) expect((numbers.json as { options: unknown[] }).options).toEqual([]);
    expect((agents.json as { option_groups: unknown[] }).option_groups).toEqual([]);
  });

  it("a provider agent named like a mention is shown escaped, never as a ping", async () => {
    const { app, retell } = world;
    retell.addAgent({ id: "agent_evil", name: "<!channel> Evil *bot*" });
    await app.switchboard.services.sync.syncAll();
    await app.send.command("/assign-number", "+14155550101 agent_evil");
    const reply = await lastReply(app, (t) => t.includes("now routes to"));
    expect(textOf(reply)).toContain("&lt;!channel&gt;");
    expect(textOf(reply)).not.toContain("<!channel>");
  });
});

describe("tampered button values", () => {
  it("a confirm button rewritten to another number is refused: the number changed since, nothing written, audited", async () => {
    const { app, retell } = world;
    await app.send.command("/assign-number", "+14155550102 Sales");
    const confirm = await lastReply(app, (t) => t.includes("Reassign"));
    const value = JSON.parse(buttonValue(confirm, ACTION_CONFIRM_CHANGE));
    const other = await numberRow(app, "+14155550103");
    await app.db.phoneNumber.update({ where: { id: other.id }, data: { bindingVersion: 5 } });
    app.slack.reset();
    await app.send.clickButton(ACTION_CONFIRM_CHANGE, JSON.stringify({ ...value, n: other.id }));
    expect(textOf(await lastReply(app, (t) => !t.includes("hourglass")))).toContain(
      "changed since you looked",
    );
    expect(retell.writes()).toHaveLength(0);
    const audit = await app.db.auditEvent.findFirst({ where: { numberId: other.id, outcome: "refused" } });
    expect(audit?.detail).toContain("changed since");
  });

  it("a malformed or oversized button value is refused without touching anything", async () => {
    const { app, retell } = world;
    for (const value of [
      "not json",
      JSON.stringify({ n: "x".repeat(500), a: null, v: 0 }),
      JSON.stringify({ n: 1, a: [], v: "0" }),
    ]) {
      app.slack.reset();
      await app.send.clickButton(ACTION_CONFIRM_CHANGE, value);
      expect(textOf(await lastReply(app))).toContain("malformed");
    }
    expect(retell.writes()).toHaveLength(0);
  });

  it("an approval button pointing at a request that does not exist, or clicked by a non-approver, changes nothing", async () => {
    const { app, retell } = world;
    await app.send.clickButton(ACTION_APPROVE, "cl_nonexistent_request", { user: "U0APPROVER" });
    const told = await app.slack.waitFor("chat.postEphemeral");
    expect(textOf(told)).toContain("does not exist");
    expect(retell.writes()).toHaveLength(0);
    expect(await agentId(app, "agent_sales")).toBeTruthy();
  });
});

describe("access (issue 15): hostile input under the who-may-do-what rules", () => {
  const OPERATOR = "U0OPERATOR";
  const GUEST = "U0GUEST";

  it("a guest replaying an operator's Confirm, a guest approver, tampered spare and snooze values, and a redelivered click change nothing", async () => {
    await world.stop();
    world = await startWorld({
      env: { OPERATOR_USER_IDS: OPERATOR, APPROVER_USER_IDS: `U0APPROVER,${GUEST}` },
    });
    const { app, retell } = world;
    app.slack.setUser(GUEST, { is_restricted: true });

    // The operator is offered a reassignment; the guest clicks the very same button (same value).
    await app.send.command("/assign-number", "+14155550102 Sales", { user: OPERATOR });
    const confirm = await lastReply(app, (t) => t.includes("Reassign"));
    const value = buttonValue(confirm, ACTION_CONFIRM_CHANGE);
    app.slack.reset();
    await app.send.clickButton(ACTION_CONFIRM_CHANGE, value, { user: GUEST });
    expect(textOf(await lastReply(app, (t) => t.includes("Guests")))).toContain("nothing was changed");
    expect(retell.writes()).toHaveLength(0);
    expect((await numberRow(app, "+14155550102")).agent?.providerAgentId).toBe("agent_front");

    // A guest named as an approver still cannot approve.
    const number = await numberRow(app, "+14155550102");
    await app.db.phoneNumber.update({ where: { id: number.id }, data: { isProduction: true } });
    const sales = await agentId(app, "agent_sales");
    const filed = await app.switchboard.services.assignment.requestChange({
      actor: OPERATOR,
      source: "button",
      numberId: number.id,
      targetAgentId: sales,
      confirmed: true,
    });
    expect(filed.outcome).toBe("approval");
    const approval = await app.db.approvalRequest.findFirstOrThrow({ where: { status: "pending" } });
    app.slack.reset();
    await app.send.clickButton(ACTION_APPROVE, approval.id, { user: GUEST });
    expect(textOf(await app.slack.waitFor("chat.postEphemeral"))).toContain("Guests");
    expect((await app.db.approvalRequest.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      "pending",
    );

    // Spare, not-a-spare and snooze buttons whose value names no number, or is oversized.
    for (const [actionId, value] of [
      [ACTION_STATUS_UNSPARE, "cl_not_a_number"],
      [ACTION_ALERT_SPARE, "x".repeat(5000)],
      [ACTION_ALERT_SNOOZE, '{"n":"+14155550103"}'],
    ] as const) {
      app.slack.reset();
      const res = await app.send.clickButton(actionId, value, { user: OPERATOR });
      expect(res.status).toBe(200);
      const told = textOf(await app.slack.waitFor("chat.postEphemeral"));
      expect(told).toContain("no longer in the inventory");
    }
    expect(await app.db.phoneNumber.count({ where: { isSpare: true } })).toBe(0);
    expect(
      await app.db.auditEvent.count({ where: { action: { in: ["spare_on", "spare_off", "snooze"] } } }),
    ).toBe(0);

    // The same Confirm click delivered twice (one trigger_id) applies once.
    await app.db.phoneNumber.update({ where: { id: number.id }, data: { isProduction: false } });
    await app.db.approvalRequest.updateMany({ data: { status: "cancelled" } });
    await app.send.command("/assign-number", "+14155550102 Support East", { user: OPERATOR });
    const again = await lastReply(app, (t) => t.includes("Reassign"));
    const click = {
      type: "block_actions",
      user: { id: OPERATOR, username: "op", name: "op", team_id: TEAM_ID },
      trigger_id: "replayed.trigger.1",
      channel: { id: "C0OPS", name: "ops" },
      container: { type: "message", message_ts: "1.2", channel_id: "C0OPS", is_ephemeral: true },
      response_url: app.slack.responseUrl(),
      actions: [
        {
          type: "button",
          action_id: ACTION_CONFIRM_CHANGE,
          block_id: "b",
          value: buttonValue(again, ACTION_CONFIRM_CHANGE),
          action_ts: "1",
        },
      ],
    };
    await app.send.interactive(click);
    await app.send.interactive(click);
    await app.slack.waitFor("response_url", (c) => textOf(c).includes("now routes to"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(retell.writes()).toHaveLength(1);
    expect(
      await app.db.auditEvent.count({ where: { action: "reassign", outcome: "applied", actor: OPERATOR } }),
    ).toBe(1);
  });

  it("a correctly signed request from our workspace id but another enterprise is refused before any listener, and audited", async () => {
    const { app, retell } = world;
    const res = await app.send.interactive({
      type: "block_actions",
      team: { id: TEAM_ID, domain: "acme" },
      enterprise: { id: "E0OTHER", name: "Other Corp" },
      user: { id: "U0EVIL", team_id: TEAM_ID },
      trigger_id: "1.2.4",
      response_url: app.slack.responseUrl(),
      actions: [
        { type: "button", action_id: ACTION_ALERT_SPARE, value: "anything", block_id: "b", action_ts: "1" },
      ],
    });
    expect(res.status).toBe(200);
    expect(retell.writes()).toHaveLength(0);
    const audit = await app.db.auditEvent.findFirst({ where: { action: "foreign_workspace_request" } });
    expect(audit?.detail).toContain("E0OTHER");
    expect(app.slack.callsTo("users.info")).toHaveLength(0);
  });
});
