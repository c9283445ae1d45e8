// The routing check (issue 6, R8): every finding kind, alerts that are posted once and then updated
// in place, digests, resolution, the daily re-raise of production findings, snooze, spares, the
// alert buttons and `/numbers check`. Driven as Slack and the providers would; time-based rules by
// moving the database timestamps rather than sleeping.
import { describe, expect, it } from "vitest";
import type { FindingKind } from "../../src/domain/routingFindings";
import {
  ACTION_ALERT_ASSIGN,
  ACTION_ALERT_MENU,
  ACTION_ALERT_SNOOZE,
  ACTION_ALERT_SPARE,
} from "../../src/slack/views/alertMessage";
import type { RecordedCall } from "../harness/fakeSlack";
import { USER } from "../harness/slackDriver";
import type { TestApp } from "../harness/testApp";
import {
  ALERTS,
  APPROVER,
  buttonValue,
  lastReply,
  numberRow,
  pickOverflow,
  textOf,
  useWorldPerTest,
} from "./support";

const HOUR = 3_600_000;
const BLAND_PERSONA = "4a3b2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0";

const start = useWorldPerTest();

/** Retell only: +14155550101 and +14155550103 unassigned, +14155550102 on Front desk. */
const retellOnly = () => start({ without: ["vapi", "bland"] });

const check = (app: TestApp) => app.switchboard.services.check.run("test");

const alertPosts = (app: TestApp) =>
  app.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === ALERTS);
const alertUpdates = (app: TestApp) =>
  app.slack.callsTo("chat.update").filter((c) => c.args.channel === ALERTS);

const tsOf = (call: RecordedCall) => (call.response as { ts: string }).ts;
const postFor = (app: TestApp, e164: string) => {
  const posts = alertPosts(app).filter((c) => String(c.args.text).includes(e164));
  expect(posts, `one alert posted for ${e164}`).toHaveLength(1);
  return posts[0]!;
};

/** Open findings by number: { "+1415…": ["unassigned"] }. */
async function openFindings(app: TestApp): Promise<Record<string, FindingKind[]>> {
  const rows = await app.db.routingFinding.findMany({
    where: { resolvedAt: null },
    include: { number: { select: { e164: true } } },
  });
  const out: Record<string, FindingKind[]> = {};
  for (const r of rows) out[r.number.e164] = [...(out[r.number.e164] ?? []), r.kind as FindingKind];
  for (const kinds of Object.values(out)) kinds.sort();
  return out;
}

const BASELINE: Record<string, FindingKind[]> = {
  "+14155550101": ["unassigned"],
  "+14155550103": ["unassigned"],
  "+16285550101": ["unassigned"],
  "+16505550101": ["unassigned"],
};

/** Picks an option of the overflow menu next to a number in a digest. */

const clickAlert = (app: TestApp, actionId: string, post: RecordedCall) =>
  app.send.clickButton(actionId, buttonValue(post, actionId), { channel: ALERTS, messageTs: tsOf(post) });

async function assign(app: TestApp, e164: string, agent: string) {
  await app.send.command("/assign-number", `${e164} ${agent}`);
  await lastReply(app, (t) => t.includes("now routes to"));
}

/** Moves every open finding's timestamps into the past. */
async function age(app: TestApp, field: "lastRaisedAt" | "snoozedUntil", msAgo: number, e164?: string) {
  await app.db.routingFinding.updateMany({
    where: { resolvedAt: null, ...(e164 ? { number: { e164 } } : {}) },
    data: { [field]: new Date(Date.now() - msAgo) },
  });
}

describe("finding kinds", () => {
  it("flags unassigned numbers, but not spares or numbers another route answers", async () => {
    const { app, retell } = await start();
    retell.addNumber({ e164: "+14155550104", webhookUrl: "https://hooks.example.com/inbound" });
    await app.db.phoneNumber.update({
      where: { id: (await numberRow(app, "+16285550101")).id },
      data: { isSpare: true },
    });
    const summary = await check(app);
    expect(await openFindings(app)).toEqual({
      "+14155550101": ["unassigned"],
      "+14155550103": ["unassigned"],
      "+16505550101": ["unassigned"],
    });
    expect(summary).toMatchObject({ numbersChecked: 6, open: 3, opened: 3, byKind: { unassigned: 3 } });
    const run = await app.db.checkRun.findUniqueOrThrow({ where: { id: summary.runId } });
    expect(run.trigger).toBe("test");
    expect(run.finishedAt).not.toBeNull();
  });

  it("flags a number bound to an agent that is gone at the provider", async () => {
    const { app, retell } = await start();
    retell.removeAgent("agent_front");
    await check(app);
    expect(await openFindings(app)).toEqual({ ...BASELINE, "+14155550102": ["agent_gone"] });
    expect(textOf(alertPosts(app)[0])).toContain("no longer exists at the provider");
  });

  it("flags a number bound to an unpublished agent", async () => {
    const { app, retell } = await start();
    retell.setAgent("agent_front", { published: false });
    await check(app);
    expect(await openFindings(app)).toEqual({ ...BASELINE, "+14155550102": ["agent_unpublished"] });
    expect(textOf(alertPosts(app)[0])).toContain("Publish the agent at the provider");
  });

  it("flags a number bound to an inactive (deleted) agent, once: not also as unpublished or drift", async () => {
    const { app, bland, retell } = await start();
    await assign(app, "+16505550101", "Bland desk");
    // Bland drops a deleted persona's numbers; Retell keeps pointing at a deleted agent.
    bland.setAgent(BLAND_PERSONA, { active: false });
    retell.setAgent("agent_front", { active: false });
    await check(app);
    expect(await openFindings(app)).toEqual({
      ...BASELINE,
      "+14155550102": ["agent_inactive"],
      "+16505550101": ["agent_inactive"],
    });
    const text = textOf(alertPosts(app)[0]);
    expect(text).toContain("Agent is not active");
    expect(text).not.toContain("Publish the agent");
  });

  it("flags a number whose Bland persona was deleted outright as agent gone, not drift", async () => {
    const { app, bland } = await start();
    await assign(app, "+16505550101", "Bland desk");
    bland.removeAgent(BLAND_PERSONA);
    await check(app);
    expect(await openFindings(app)).toEqual({ ...BASELINE, "+16505550101": ["agent_gone"] });
  });

  it("flags every number of a provider whose key is refused, production first, and recovers", async () => {
    const { app, retell } = await start();
    await app.send.command("/numbers", "production +14155550103 on", { user: APPROVER });
    await lastReply(app, (t) => t.includes("production"));
    retell.failNext({}, { status: 401, times: 1000 });
    const summary = await check(app);
    expect(await openFindings(app)).toEqual({
      "+14155550101": ["provider_key_invalid"],
      "+14155550102": ["provider_key_invalid"],
      "+14155550103": ["provider_key_invalid"],
      "+16285550101": ["unassigned"],
      "+16505550101": ["unassigned"],
    });
    expect(summary.sync.providers.find((p) => p.provider === "retell")?.ok).toBe(false);
    const digest = alertPosts(app);
    expect(digest).toHaveLength(1);
    const sections = (digest[0]!.args.blocks as { text?: { text: string } }[]).map((b) => b.text?.text ?? "");
    expect(sections[1]).toContain("*production*");
    expect(sections[1]).toContain("+1 415 555 0103");
    expect(sections[1]).toContain("API key is invalid");
    expect(textOf(digest[0])).toContain("update the key and restart");

    retell.clearFaults();
    await check(app);
    expect(await openFindings(app)).toEqual({ ...BASELINE, "+14155550103": ["unassigned"] });
  });

  it("flags every number of a provider that does not answer", async () => {
    const { app, vapi } = await start();
    vapi.failNext({}, { networkError: true, times: 1000 });
    await check(app);
    expect(await openFindings(app)).toEqual({ ...BASELINE, "+16285550101": ["provider_unreachable"] });
    expect(textOf(alertPosts(app)[0])).toContain("Provider account unreachable");
  });

  it("keeps a number's findings open (not 'resolved') while its provider cannot be checked", async () => {
    const { app, retell } = await retellOnly();
    await check(app);
    const before = alertPosts(app).length;
    retell.failNext({}, { status: 503, times: 1000 });
    await check(app);
    expect(await openFindings(app)).toEqual({
      "+14155550101": ["provider_unreachable", "unassigned"],
      "+14155550102": ["provider_unreachable"],
      "+14155550103": ["provider_unreachable", "unassigned"],
    });
    // The unassigned numbers were not reported resolved: nothing says so in Slack.
    for (const update of alertUpdates(app)) expect(textOf(update)).not.toContain("resolved");
    retell.clearFaults();
    app.slack.reset();
    await check(app);
    expect(await openFindings(app)).toEqual({
      "+14155550101": ["unassigned"],
      "+14155550103": ["unassigned"],
    });
    // The unassigned findings were never closed, so they are not posted again.
    expect(alertPosts(app)).toHaveLength(0);
    expect(before).toBe(2);
  });

  it("flags drift: the provider routes a number to another agent than our record", async () => {
    const { app, retell } = await start();
    retell.setBinding("+14155550102", ["agent_sales"]);
    retell.setBinding("+14155550101", ["agent_sales"]);
    await check(app);
    expect(await openFindings(app)).toEqual({
      ...BASELINE,
      "+14155550101": ["drift"],
      "+14155550102": ["drift"],
    });
    expect(textOf(alertPosts(app)[0])).toContain("routes this number differently");
  });

  it("flags a number the provider routes to several agents", async () => {
    const { app, retell } = await start();
    retell.setBinding("+14155550102", ["agent_front", "agent_sales"]);
    await check(app);
    expect(await openFindings(app)).toEqual({ ...BASELINE, "+14155550102": ["multiple_agents"] });
    expect(textOf(alertPosts(app)[0])).toContain("Routed to several agents");
  });
});

describe("alerts", () => {
  it("posts one message per number, once; later runs post nothing new", async () => {
    const { app } = await retellOnly();
    const first = await check(app);
    expect(first).toMatchObject({ opened: 2, messagesPosted: 2, messagesUpdated: 0 });
    const posts = alertPosts(app);
    expect(posts).toHaveLength(2);
    const post = postFor(app, "+14155550101");
    expect(textOf(post)).toContain("No agent: inbound calls are not answered");
    const id = (await numberRow(app, "+14155550101")).id;
    for (const action of [ACTION_ALERT_ASSIGN, ACTION_ALERT_SNOOZE, ACTION_ALERT_SPARE])
      expect(buttonValue(post, action)).toBe(id);

    for (let i = 0; i < 3; i++) {
      const again = await check(app);
      expect(again).toMatchObject({ open: 2, opened: 0, resolved: 0, messagesPosted: 0, messagesUpdated: 0 });
    }
    expect(alertPosts(app)).toHaveLength(2);
    expect(alertUpdates(app)).toHaveLength(0);
    expect(await app.db.routingFinding.count()).toBe(2);
    expect(await app.db.checkRun.count()).toBe(4);
  });

  it("gathers many findings of one run into one digest with a menu per number", async () => {
    const { app } = await start();
    const summary = await check(app);
    expect(summary).toMatchObject({ opened: 4, messagesPosted: 1 });
    const [digest] = alertPosts(app);
    expect(alertPosts(app)).toHaveLength(1);
    expect(digest!.args.text).toBe("Routing check: 4 numbers need attention");
    const menus = (digest!.args.blocks as { accessory?: { action_id: string } }[]).filter(
      (b) => b.accessory?.action_id === ACTION_ALERT_MENU,
    );
    expect(menus).toHaveLength(4);
    const refs = await app.db.routingFinding.findMany({ select: { messageTs: true } });
    expect(new Set(refs.map((r) => r.messageTs))).toEqual(new Set([tsOf(digest!)]));
    await check(app);
    expect(alertPosts(app)).toHaveLength(1);
  });

  it("a run with very many findings still posts one digest, within Slack's block limit", async () => {
    const { app, retell } = await start();
    retell.seed({ numbers: 60, agents: 0, boundRatio: 0 });
    const summary = await check(app);
    expect(summary).toMatchObject({ opened: 64, messagesPosted: 1 });
    const posts = alertPosts(app);
    expect(posts).toHaveLength(1);
    const blocks = posts[0]!.args.blocks as { type: string; accessory?: unknown }[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks.filter((b) => b.accessory)).toHaveLength(45);
    expect(textOf(posts[0])).toContain("…and 19 more numbers");
    expect(await app.db.routingFinding.count({ where: { messageTs: tsOf(posts[0]!) } })).toBe(64);
    await check(app);
    expect(alertPosts(app)).toHaveLength(1);
  });

  it("a run that re-raises old findings and finds new ones says 'Still open' only of the old", async () => {
    const { app, retell } = await retellOnly();
    await app.send.command("/numbers", "production +14155550103 on", { user: APPROVER });
    await lastReply(app, (t) => t.includes("production"));
    await check(app);
    await age(app, "lastRaisedAt", 25 * HOUR);
    retell.setBinding("+14155550102", ["agent_sales"]);
    const summary = await check(app);
    expect(summary.messagesPosted).toBe(2);
    const [, , first, second] = alertPosts(app);
    const byNumber = new Map([first!, second!].map((c) => [String(c.args.text), textOf(c)]));
    expect(byNumber.get("Routing problem on +14155550103")).toContain("Still open:");
    expect(byNumber.get("Routing problem on +14155550102")).not.toContain("Still open:");
    expect(byNumber.get("Routing problem on +14155550102")).toContain("routes this number differently");
  });

  it("updates a message in place when its finding resolves, and does not post again", async () => {
    const { app } = await retellOnly();
    await check(app);
    const post = postFor(app, "+14155550101");
    await assign(app, "+14155550101", "Sales");

    const summary = await check(app);
    expect(summary).toMatchObject({ resolved: 1, opened: 0, messagesPosted: 0, messagesUpdated: 1 });
    const updates = alertUpdates(app);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.args.ts).toBe(tsOf(post));
    expect(updates[0]!.args.text).toBe("Resolved: +14155550101");
    expect(textOf(updates[0])).toContain("resolved");
    expect(textOf(updates[0])).not.toContain(ACTION_ALERT_SNOOZE);
    expect(alertPosts(app)).toHaveLength(2);
    expect(await openFindings(app)).toEqual({ "+14155550103": ["unassigned"] });

    await check(app);
    expect(alertUpdates(app)).toHaveLength(1);
  });

  it("marks a resolved number in its digest, keeping the others open", async () => {
    const { app } = await start();
    await check(app);
    const [digest] = alertPosts(app);
    await assign(app, "+14155550101", "Sales");
    await check(app);
    const [update] = alertUpdates(app);
    expect(update!.args.ts).toBe(tsOf(digest!));
    const text = textOf(update);
    expect(text).toContain("3 numbers need attention, 1 resolved");
    expect(text).toMatch(/~\*\+1 415 555 0101\*[^~]*~ — resolved/);
    const menus = (update!.args.blocks as { accessory?: { options: { value: string }[] } }[]).flatMap(
      (b) => b.accessory?.options.map((o) => o.value) ?? [],
    );
    const resolvedId = (await numberRow(app, "+14155550101")).id;
    expect(menus.some((v) => v.endsWith(resolvedId))).toBe(false);
    expect(alertPosts(app)).toHaveLength(1);
  });

  it("a finding that comes back after resolving is posted again", async () => {
    const { app, retell } = await retellOnly();
    await check(app);
    retell.setBinding("+14155550102", ["agent_sales"]);
    await check(app);
    expect(alertPosts(app)).toHaveLength(3);
    retell.setBinding("+14155550102", ["agent_front"]);
    await check(app);
    expect(textOf(alertUpdates(app).at(-1))).toContain("resolved");
    retell.setBinding("+14155550102", ["agent_sales"]);
    await check(app);
    expect(alertPosts(app)).toHaveLength(4);
    expect(await app.db.routingFinding.count({ where: { kind: "drift" } })).toBe(2);
  });

  it("re-raises a long-open production finding at most once a day; other findings stay quiet", async () => {
    const { app } = await retellOnly();
    await app.send.command("/numbers", "production +14155550103 on", { user: APPROVER });
    await lastReply(app, (t) => t.includes("production"));
    await check(app);
    expect(alertPosts(app)).toHaveLength(2);
    const firstTs = tsOf(postFor(app, "+14155550103"));

    await age(app, "lastRaisedAt", 23 * HOUR);
    await check(app);
    expect(alertPosts(app)).toHaveLength(2);

    await age(app, "lastRaisedAt", 25 * HOUR);
    const summary = await check(app);
    expect(summary.messagesPosted).toBe(1);
    const reraised = alertPosts(app)[2]!;
    expect(reraised.args.text).toContain("+14155550103");
    expect(textOf(reraised)).toContain("Still open:");
    expect(textOf(reraised)).toContain("*production*");
    const finding = await app.db.routingFinding.findFirstOrThrow({
      where: { resolvedAt: null, number: { e164: "+14155550103" } },
    });
    expect(finding.messageTs).toBe(tsOf(reraised));
    expect(finding.messageTs).not.toBe(firstTs);
    expect(Date.now() - finding.lastRaisedAt!.getTime()).toBeLessThan(60_000);

    await check(app);
    await check(app);
    expect(alertPosts(app)).toHaveLength(3);
  });

  it("says nothing in Slack without ALERT_CHANNEL_ID, but records findings", async () => {
    const { app } = await start({ env: { ALERT_CHANNEL_ID: undefined } });
    const summary = await check(app);
    expect(summary).toMatchObject({ alertsEnabled: false, opened: 4, messagesPosted: 0 });
    expect(app.slack.callsTo("chat.postMessage")).toHaveLength(0);
    expect(await openFindings(app)).toEqual(BASELINE);
  });
});

describe("alert buttons", () => {
  it("Snooze 24 h keeps a finding quiet until the snooze ends, then raises it again", async () => {
    const { app } = await retellOnly();
    await check(app);
    const post = postFor(app, "+14155550101");
    await clickAlert(app, ACTION_ALERT_SNOOZE, post);
    const update = await app.slack.waitFor("chat.update", (c) => c.args.ts === tsOf(post));
    expect(textOf(update)).toContain("snoozed until");
    const snoozed = await app.db.routingFinding.findFirstOrThrow({
      where: { resolvedAt: null, number: { e164: "+14155550101" } },
    });
    const left = snoozed.snoozedUntil!.getTime() - Date.now();
    expect(left).toBeGreaterThan(23.9 * HOUR);
    expect(left).toBeLessThanOrEqual(24 * HOUR);

    await check(app);
    expect(alertPosts(app)).toHaveLength(2);

    await age(app, "snoozedUntil", 60_000, "+14155550101");
    const summary = await check(app);
    expect(summary.messagesPosted).toBe(1);
    const again = alertPosts(app)[2]!;
    expect(again.args.text).toContain("+14155550101");
    expect(textOf(again)).toContain("Still open:");
    expect(textOf(again)).not.toContain("snoozed until");
    const after = await app.db.routingFinding.findUniqueOrThrow({ where: { id: snoozed.id } });
    expect(after.snoozedUntil).toBeNull();
    expect(after.messageTs).toBe(tsOf(again));

    await check(app);
    expect(alertPosts(app)).toHaveLength(3);
  });

  it("a snoozed production finding is not re-raised while the snooze lasts", async () => {
    const { app } = await retellOnly();
    await app.send.command("/numbers", "production +14155550103 on", { user: APPROVER });
    await lastReply(app, (t) => t.includes("production"));
    await check(app);
    await clickAlert(app, ACTION_ALERT_SNOOZE, postFor(app, "+14155550103"));
    await app.slack.waitFor("chat.update");
    await age(app, "lastRaisedAt", 30 * HOUR);
    await check(app);
    expect(alertPosts(app)).toHaveLength(2);
  });

  it("Mark as spare resolves the alert, is audited, and leaves the number out of later checks", async () => {
    const { app } = await retellOnly();
    await check(app);
    const post = postFor(app, "+14155550101");
    await clickAlert(app, ACTION_ALERT_SPARE, post);
    const told = await app.slack.waitFor("chat.postEphemeral");
    expect(told.args.channel).toBe(ALERTS);
    expect(told.args.user).toBe(USER.id);
    expect(String(told.args.text)).toContain("marked as a spare");
    const update = await app.slack.waitFor("chat.update", (c) => c.args.ts === tsOf(post));
    expect(textOf(update)).toContain("resolved");

    const row = await numberRow(app, "+14155550101");
    expect(row.isSpare).toBe(true);
    const audit = await app.db.auditEvent.findMany({ where: { numberId: row.id, action: "spare_on" } });
    expect(audit.map((a) => [a.actor, a.source, a.outcome])).toEqual([[USER.id, "button", "applied"]]);

    const summary = await check(app);
    expect(summary).toMatchObject({ open: 1, opened: 0, messagesPosted: 0 });
    expect(await openFindings(app)).toEqual({ "+14155550103": ["unassigned"] });
    expect(alertPosts(app)).toHaveLength(2);
  });

  it("Assign… opens the assign modal with the number filled in", async () => {
    const { app } = await retellOnly();
    await check(app);
    await clickAlert(app, ACTION_ALERT_ASSIGN, postFor(app, "+14155550103"));
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.args as { view: { callback_id: string; private_metadata: string } }).view;
    expect(view.callback_id).toBe("assign_number");
    expect(JSON.parse(view.private_metadata)).toMatchObject({
      fixedNumber: true,
      numberId: (await numberRow(app, "+14155550103")).id,
    });
    expect(textOf(opened)).toContain("+1 415 555 0103");
  });

  it("the digest's menu snoozes, marks as spare and assigns one number", async () => {
    const { app } = await start();
    await check(app);
    const [digest] = alertPosts(app);
    const ts = tsOf(digest!);
    const id = async (e164: string) => (await numberRow(app, e164)).id;

    await pickOverflow(app, `snooze:${await id("+14155550101")}`, ts);
    const snoozed = await app.slack.waitFor("chat.update", (c) => textOf(c).includes("snoozed until"));
    expect(snoozed.args.ts).toBe(ts);
    expect(
      await app.db.routingFinding.count({
        where: { snoozedUntil: { not: null }, number: { e164: "+14155550101" } },
      }),
    ).toBe(1);

    await pickOverflow(app, `spare:${await id("+16505550101")}`, ts);
    await app.slack.waitFor("chat.postEphemeral", (c) => String(c.args.text).includes("spare"));
    const resolved = await app.slack.waitFor("chat.update", (c) => textOf(c).includes("1 resolved"));
    expect(resolved.args.ts).toBe(ts);
    expect((await numberRow(app, "+16505550101")).isSpare).toBe(true);

    await pickOverflow(app, `assign:${await id("+16285550101")}`, ts);
    const opened = await app.slack.waitFor("views.open");
    expect(textOf(opened)).toContain("+1 628 555 0101");

    await check(app);
    expect(alertPosts(app)).toHaveLength(1);
  });
});

describe("/numbers check", () => {
  it("runs the check now and answers with a summary", async () => {
    const { app } = await start();
    const res = await app.send.command("/numbers", "check");
    expect(res.status).toBe(200);
    const reply = await lastReply(app, (t) => t.includes("Routing check:"));
    const text = textOf(reply);
    expect(text).toContain("4 open findings over 5 numbers (4 new, 0 resolved)");
    expect(text).toContain("No agent: inbound calls are not answered: *4*");
    expect(text).toContain("1 alert message(s) posted, 0 updated");
    const runs = await app.db.checkRun.findMany();
    expect(runs.map((r) => r.trigger)).toEqual(["manual"]);
    expect(runs[0]!.finishedAt).not.toBeNull();
    expect(alertPosts(app)).toHaveLength(1);

    app.slack.reset();
    await app.send.command("/numbers", "check");
    const second = textOf(await lastReply(app, (t) => t.includes("Routing check:")));
    expect(second).toContain("(0 new, 0 resolved)");
    expect(second).toContain("0 alert message(s) posted");
    expect(alertPosts(app)).toHaveLength(0);
  });

  it("says so when every number routes correctly, and names a provider whose sync failed", async () => {
    const { app, retell } = await start();
    await app.db.phoneNumber.updateMany({ where: { agentId: null }, data: { isSpare: true } });
    await app.send.command("/numbers", "check");
    expect(textOf(await lastReply(app, (t) => t.includes("Routing check:")))).toContain(
      "all 5 numbers route correctly",
    );
    retell.failNext({}, { status: 401, times: 1000 });
    await app.send.command("/numbers", "check");
    const text = textOf(await lastReply(app, (t) => t.includes("Sync failed")));
    expect(text).toContain("Retell");
    expect(text).toContain("Provider API key is invalid: *1*");
  });
});
