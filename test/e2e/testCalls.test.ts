// Test calls (issue 10, points 1, 2 and 4): a call from a number through the agent bound to it,
// placed with each provider's own call API and followed to its outcome in one DM message updated in
// place; every refusal before anything is dialled; provider rejections, calls that never connect and
// polling that gives up. Driven through signed Slack requests; the providers are the stateful fakes.
import { afterEach, describe, expect, it } from "vitest";
import { ACTION_CONFIRM_CHANGE } from "../../src/slack/views/changeMessages";
import { ACTION_TEST_CALL, TEST_CALL_MODAL } from "../../src/slack/views/testCallViews";
import type { FakeProviderAccount } from "../harness/fakeProviders";
import type { RecordedCall } from "../harness/fakeSlack";
import { type ModalPayloadView, TEAM_ID, triggerId, USER } from "../harness/slackDriver";
import type { TestApp } from "../harness/testApp";
import { buttonValue, lastReply, numberRow, startWorld, textOf, type World } from "./support";

const VAPI_ASSISTANT = "5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a";
const BLAND_PERSONA = "4a3b2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0";
/** A phone that is not one of the account's numbers. */
const PHONE = "+12125550147";

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  await world.app.switchboard.services.testCalls.settled();
  expect(world.app.slack.rejections()).toEqual([]);
  await world.stop();
  world = undefined;
});

async function start(options: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  world = await startWorld(options);
  return world;
}

async function assign(app: TestApp, e164: string, agent: string): Promise<RecordedCall> {
  await app.send.command("/assign-number", `${e164} ${agent}`);
  return lastReply(app, (t) => t.includes("now routes to") && t.includes(agent));
}

/** Every chat.postMessage / chat.update of the test call progress message in the requester's DM. */
function progress(app: TestApp, user = USER.id): { post: RecordedCall; updates: RecordedCall[] } {
  const posts = app.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === user && String(c.args.text).startsWith("Test call"));
  expect(posts, "one progress message posted").toHaveLength(1);
  const post = posts[0]!;
  const ts = (post.response as { ts: string }).ts;
  const updates = app.slack.callsTo("chat.update").filter((c) => c.args.ts === ts && c.args.channel === user);
  return { post, updates };
}

/** The headline of a progress message ("Placed — dialling", "Ended", "Did not connect"…). */
function headline(call: RecordedCall): string {
  const blocks = call.args.blocks as { text?: { text: string } }[];
  return (blocks[0]?.text?.text ?? "").replace(/^\*Test call\* — :[a-z_]+: /, "");
}

const CREATE: Record<"retell" | "vapi" | "bland", [string, string]> = {
  retell: ["POST", "/v2/create-phone-call"],
  vapi: ["POST", "/call"],
  bland: ["POST", "/v1/calls"],
};

function created(account: FakeProviderAccount) {
  const [method, path] = CREATE[account.provider];
  return account.requestsTo(method, path).filter((r) => r.path === path);
}

/** Nothing was dialled anywhere. */
function expectNoCall(w: World) {
  for (const account of [w.retell, w.vapi, w.bland]) {
    expect(created(account), `no ${account.provider} call created`).toHaveLength(0);
    expect(account.calls.size).toBe(0);
  }
}

async function auditOf(app: TestApp, action = "test_call") {
  return app.db.auditEvent.findMany({ where: { action }, orderBy: { at: "asc" } });
}

/** The view payload Slack sends when the user submits the destination modal. */
function destinationSubmission(opened: Record<string, unknown>, value: string): ModalPayloadView {
  return {
    ...opened,
    id: String(opened.id),
    callback_id: TEST_CALL_MODAL,
    state: { values: { destination: { destination_input: { type: "plain_text_input", value } } } },
  } as ModalPayloadView;
}

/** A click on the App Home tab's button: no channel, no response_url. */
function clickOnHome(app: TestApp, actionId: string, value: string) {
  return app.send.interactive({
    type: "block_actions",
    user: { id: USER.id, username: USER.name, name: USER.name, team_id: TEAM_ID },
    container: { type: "view", view_id: "VHOME" },
    trigger_id: triggerId(),
    view: { id: "VHOME", type: "home", callback_id: "", state: { values: {} } },
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "home",
        text: { type: "plain_text", text: "Test call" },
        value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
}

interface ProviderCase {
  provider: "retell" | "vapi" | "bland";
  label: string;
  from: string;
  agent: string;
  /** Assign first (Vapi and Bland numbers start free). */
  assign: boolean;
  body: (w: World, to: string) => unknown;
  get: (callId: string) => string;
  answered: { states: string[]; reason: string };
  noAnswer: string;
  rejection: { status: number; message?: string; body?: unknown; shown: string };
}

const CASES: ProviderCase[] = [
  {
    provider: "retell",
    label: "Retell",
    from: "+14155550102",
    agent: "Front desk",
    assign: false,
    // Pinned to the version the number answers with: "latest_published" resolved to version 1 (issue 14).
    body: (_w, to) => ({
      from_number: "+14155550102",
      to_number: to,
      override_agent_id: "agent_front",
      override_agent_version: 1,
    }),
    get: (id) => `/v2/get-call/${id}`,
    // Retell has no ringing state.
    answered: { states: ["Placed — dialling", "In progress", "Ended"], reason: "agent_hangup" },
    noAnswer: "dial_no_answer",
    rejection: {
      status: 402,
      message: "Trial has ended, please add a payment method.",
      shown: "Trial has ended, please add a payment method.",
    },
  },
  {
    provider: "vapi",
    label: "Vapi",
    from: "+16285550101",
    agent: "Vapi desk",
    assign: true,
    body: (w, to) => ({
      phoneNumberId: w.vapi.refOf("+16285550101").providerNumberId,
      assistantId: VAPI_ASSISTANT,
      customer: { number: to },
    }),
    get: (id) => `/call/${id}`,
    answered: {
      states: ["Placed — dialling", "Ringing", "In progress", "Ended"],
      reason: "customer-ended-call",
    },
    noAnswer: "customer-did-not-answer",
    rejection: {
      status: 400,
      body: {
        message: ["Call.start.error-subscription-insufficient-credits: add credits to your org."],
        error: "Bad Request",
        statusCode: 400,
      },
      shown: "Call.start.error-subscription-insufficient-credits: add credits to your org.",
    },
  },
  {
    provider: "bland",
    label: "Bland",
    from: "+16505550101",
    agent: "Bland desk",
    assign: true,
    body: (_w, to) => ({ phone_number: to, from: "+16505550101", persona_id: BLAND_PERSONA }),
    get: (id) => `/v1/calls/${id}`,
    answered: { states: ["Placed — dialling", "In progress", "Ended"], reason: "completed" },
    noAnswer: "no-answer",
    rejection: {
      status: 400,
      message: "Insufficient balance to place this call.",
      shown: "Insufficient balance to place this call.",
    },
  },
];

describe.each(CASES)("a $label test call", (c) => {
  async function ready(): Promise<World> {
    const w = await start();
    if (c.assign) await assign(w.app, c.from, c.agent);
    w.app.slack.reset();
    return w;
  }

  it("reaches the provider's call API with the number and its agent, and the DM ends with the real outcome", async () => {
    const w = await ready();
    const account = w[c.provider];
    account.scriptCall({ outcome: "answered", durationSec: 42 });
    const res = await w.app.send.command("/numbers", `test-call ${c.from} ${PHONE}`);
    expect(res.status).toBe(200);
    const reply = await lastReply(w.app, (t) => t.includes("Test call"));
    expect(textOf(reply)).toContain("Progress is updated in your DM");
    await w.app.switchboard.services.testCalls.settled();

    const requests = created(account);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toEqual(c.body(w, PHONE));
    const [call] = [...account.calls.values()];
    expect(call!.to).toBe(PHONE);
    expect(account.requestsTo("GET", c.get(call!.id)).length).toBeGreaterThanOrEqual(
      c.answered.states.length - 1,
    );

    const { post, updates } = progress(w.app);
    expect(post.args.channel).toBe(USER.id);
    // One message, updated only when what it shows changes.
    expect([post, ...updates].map(headline)).toEqual(c.answered.states);
    const last = textOf(updates.at(-1));
    expect(last).toContain("Duration: 42 s");
    expect(last).toContain(`${c.label}'s end reason: \`${c.answered.reason}\``);
    expect(last).toContain(`Call id: \`${call!.id}\``);
    expect(last).toContain(c.agent);

    const row = await w.app.db.testCall.findFirstOrThrow({ include: { number: true } });
    expect(row).toMatchObject({
      status: "ended",
      connected: true,
      durationSec: 42,
      endReason: c.answered.reason,
      providerCallId: call!.id,
      destination: PHONE,
      requesterId: USER.id,
    });
    expect(row.number.e164).toBe(c.from);
    const placed = await auditOf(w.app);
    expect(placed.map((a) => [a.actor, a.e164, a.outcome, a.after])).toEqual([
      [USER.id, c.from, "ok", { destination: PHONE, agent: c.agent }],
    ]);
    const outcome = await auditOf(w.app, "test_call_outcome");
    expect(outcome).toHaveLength(1);
    expect(outcome[0]).toMatchObject({ actor: USER.id, e164: c.from, outcome: "ok" });
    expect(outcome[0]!.detail).toContain(c.answered.reason);
  });

  it("reports a call that never connects as not connected, with the provider's reason", async () => {
    const w = await ready();
    w[c.provider].scriptCall({ outcome: "no_answer" });
    await w.app.send.command("/numbers", `test-call ${c.from} ${PHONE}`);
    await lastReply(w.app, (t) => t.includes("Test call"));
    await w.app.switchboard.services.testCalls.settled();

    const { updates } = progress(w.app);
    const final = updates.at(-1)!;
    expect(headline(final)).toBe("Did not connect");
    expect(final.args.text).toContain("did not connect");
    expect(textOf(final)).toContain(`\`${c.noAnswer}\``);
    expect(textOf(final)).not.toContain("Duration");
    expect(await w.app.db.testCall.findFirstOrThrow()).toMatchObject({
      status: "ended",
      connected: false,
      endReason: c.noAnswer,
    });
    const [outcome] = await auditOf(w.app, "test_call_outcome");
    expect(outcome).toMatchObject({ outcome: "failed" });
    expect(outcome!.detail).toContain("did not connect");
  });

  it("reports a call the provider rejects with the provider's message, not as success", async () => {
    const w = await ready();
    const { status, message, body } = c.rejection;
    w[c.provider].scriptCall({
      reject: { status, ...(message ? { message } : {}), ...(body ? { body } : {}) },
    });
    await w.app.send.command("/numbers", `test-call ${c.from} ${PHONE}`);
    const reply = textOf(await lastReply(w.app, (t) => t.includes("refused")));
    expect(reply).toContain(`${c.label} refused the test call`);
    expect(reply).toContain(c.rejection.shown);
    expect(reply).not.toContain("Progress is updated");
    expect(created(w[c.provider])).toHaveLength(1);
    expect(w[c.provider].calls.size).toBe(0);
    // Nothing to follow, and no progress message claiming a call.
    await w.app.switchboard.services.testCalls.settled();
    expect(w.app.slack.callsTo("chat.postMessage").filter((m) => m.args.channel === USER.id)).toHaveLength(0);
    expect(await w.app.db.testCall.findFirstOrThrow()).toMatchObject({ status: "failed" });
    const [audit] = await auditOf(w.app);
    expect(audit).toMatchObject({ outcome: "failed", actor: USER.id, e164: c.from });
    expect(audit!.detail).toContain(c.rejection.shown);
  });
});

describe("following a call", () => {
  it("walks Retell's busy and error outcomes to 'did not connect' with the provider's reason", async () => {
    const w = await start();
    w.retell.scriptCall({ outcome: "busy" }).scriptCall({ outcome: "failed" });
    for (const reason of ["dial_busy", "error_unknown"]) {
      w.app.slack.reset();
      await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
      await lastReply(w.app, (t) => t.includes("Test call"));
      await w.app.switchboard.services.testCalls.settled();
      const final = progress(w.app).updates.at(-1)!;
      expect(headline(final)).toBe("Did not connect");
      expect(textOf(final)).toContain(reason);
    }
  });

  it("gives up after its bound of polls, says so with the call id, and frees the requester", async () => {
    const w = await start();
    w.retell.scriptCall({ statuses: [{ call_status: "registered" }] });
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    await lastReply(w.app, (t) => t.includes("Test call"));
    await w.app.switchboard.services.testCalls.settled();

    const [call] = [...w.retell.calls.values()];
    // testApp follows with 20 ms between polls, at most 20 polls.
    expect(w.retell.requestsTo("GET", `/v2/get-call/${call!.id}`)).toHaveLength(20);
    const final = progress(w.app).updates.at(-1)!;
    expect(headline(final)).toBe("Not followed to the end");
    expect(textOf(final)).toMatch(/stopped following this call after \d+(\.\d)? s/); // wall time, load-dependent
    expect(textOf(final)).toContain(call!.id);
    expect(textOf(final)).toContain("Retell dashboard");
    const row = await w.app.db.testCall.findFirstOrThrow();
    expect(row.status).toBe("failed");
    const [outcome] = await auditOf(w.app, "test_call_outcome");
    expect(outcome).toMatchObject({ outcome: "failed" });

    // The requester is not left "already running".
    w.app.slack.reset();
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    await lastReply(w.app, (t) => t.includes("Progress is updated"));
  });

  it("a call creation the provider never answers is not called refused: it may still ring", async () => {
    const w = await start();
    w.retell.failNext({ method: "POST", path: "/v2/create-phone-call" }, { networkError: true });
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    const text = textOf(await lastReply(w.app, (t) => t.includes("did not confirm")));
    expect(text).toContain("it may still ring");
    expect(text).not.toContain("refused");
    // Not sent twice: a repeated create could dial twice.
    expect(created(w.retell)).toHaveLength(1);
    expect(await w.app.db.testCall.findFirstOrThrow()).toMatchObject({ status: "failed" });
    const [audit] = await auditOf(w.app);
    expect(audit).toMatchObject({ outcome: "failed" });
  });

  it("a call left 'running' by a process that died does not block its requester for ever", async () => {
    const w = await start();
    const number = await numberRow(w.app, "+14155550102");
    const stale = await w.app.db.testCall.create({
      data: {
        numberId: number.id,
        agentId: number.agentId!,
        requesterId: USER.id,
        destination: PHONE,
        providerCallId: "call_lost",
        status: "ringing",
        createdAt: new Date(Date.now() - 2 * 3_600_000),
      },
    });
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    await lastReply(w.app, (t) => t.includes("Progress is updated"));
    await w.app.switchboard.services.testCalls.settled();
    expect(created(w.retell)).toHaveLength(1);
    const after = await w.app.db.testCall.findUniqueOrThrow({ where: { id: stale.id } });
    expect(after.status).toBe("failed");
    expect(after.endReason).toContain("stopped following");
  });

  it("shutting down stops following at once and says so in the message", async () => {
    const w = await start({ testCallPoll: { intervalsMs: [5_000], maxPolls: 10 } });
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    await lastReply(w.app, (t) => t.includes("Progress is updated"));
    const started = Date.now();
    w.app.switchboard.services.testCalls.stop();
    await w.app.switchboard.services.testCalls.settled();
    expect(Date.now() - started).toBeLessThan(2_000);
    const final = progress(w.app).updates.at(-1)!;
    expect(textOf(final)).toContain("restarted before the call ended");
    expect(await w.app.db.testCall.findFirstOrThrow()).toMatchObject({ status: "failed" });
  });

  it("keeps following through a provider hiccup while reading the call", async () => {
    const w = await start();
    w.retell.scriptCall({ outcome: "answered", durationSec: 7 });
    w.retell.failNext({ method: "GET", path: "/v2/get-call/" }, { status: 503, times: 2 });
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    await lastReply(w.app, (t) => t.includes("Test call"));
    await w.app.switchboard.services.testCalls.settled();
    const final = progress(w.app).updates.at(-1)!;
    expect(headline(final)).toBe("Ended");
    expect(textOf(final)).toContain("Duration: 7 s");
  });

  it("acks the slash command before talking to the provider", async () => {
    const w = await start();
    w.retell.failNext({ method: "GET", path: "/v2/list-phone-numbers" }, { delayMs: 1500 });
    const res = await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    await lastReply(w.app, (t) => t.includes("Test call"));
  });
});

describe("where the Test call button is", () => {
  it("on the /numbers status answer: opens the modal prefilled from the Slack profile phone, and the submission places the call", async () => {
    const w = await start();
    const { app } = w;
    app.slack.setUser(USER.id, { phone: "(212) 555-0147" });
    await app.send.command("/numbers", "status +14155550102");
    const status = await lastReply(app, (t) => t.includes("Status of"));
    const id = (await numberRow(app, "+14155550102")).id;
    expect(buttonValue(status, ACTION_TEST_CALL)).toBe(id);

    await app.send.clickButton(ACTION_TEST_CALL, id);
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.response as { view: Record<string, unknown> }).view;
    expect(view.callback_id).toBe(TEST_CALL_MODAL);
    expect(textOf(opened)).toContain("Front desk");
    const prefilled = await app.slack.waitFor("views.update", (c) =>
      JSON.stringify(c.args.view).includes("initial_value"),
    );
    expect(JSON.stringify(prefilled.args.view)).toContain('"initial_value":"(212) 555-0147"');
    expect(textOf(prefilled)).toContain("From your Slack profile");
    expectNoCall(w);

    const res = await app.send.submitView(destinationSubmission(view, "(212) 555-0147"));
    expect(res.status).toBe(200);
    expect((res.json as { response_action: string }).response_action).toBe("update");
    const result = await app.slack.waitFor("views.update", (c) => textOf(c).includes("Progress is updated"));
    expect(textOf(result)).toContain("Front desk");
    await app.switchboard.services.testCalls.settled();
    expect(created(w.retell).map((r) => r.body)).toEqual([
      {
        from_number: "+14155550102",
        to_number: PHONE,
        override_agent_id: "agent_front",
        override_agent_version: 1,
      },
    ]);
    expect(headline(progress(app).updates.at(-1)!)).toBe("Ended");
    const [audit] = await auditOf(app);
    expect(audit).toMatchObject({ source: "modal", outcome: "ok" });
  });

  it("the modal without a profile phone asks for one; a bad destination is shown under the field and nothing is dialled", async () => {
    const w = await start();
    const { app } = w;
    await app.send.command("/numbers", "test-call +14155550102");
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.response as { view: Record<string, unknown> }).view;
    expect(JSON.stringify(view)).not.toContain("initial_value");
    expect(JSON.stringify(view)).toContain("E.164");
    // Slack gives no phone: once the request is done (the profile was read), no prefill update.
    expect(await app.switchboard.settled()).toBe(true);
    expect(app.slack.callsTo("users.info")).not.toHaveLength(0);
    expect(app.slack.callsTo("views.update")).toHaveLength(0);

    const res = await app.send.submitView(destinationSubmission(view, "call me maybe"));
    const json = res.json as { response_action: string; errors: Record<string, string> };
    expect(json.response_action).toBe("errors");
    expect(json.errors.destination).toMatch(/^Destination: /);
    expectNoCall(w);
  });

  it("on the reassign success reply", async () => {
    const w = await start();
    const { app } = w;
    await app.send.command("/assign-number", "+14155550102 Sales");
    const confirm = await lastReply(app, (t) => t.includes("Reassign"));
    app.slack.reset();
    await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(confirm, ACTION_CONFIRM_CHANGE));
    const done = await lastReply(app, (t) => t.includes("now routes to"));
    expect(buttonValue(done, ACTION_TEST_CALL)).toBe((await numberRow(app, "+14155550102")).id);
    await app.send.clickButton(ACTION_TEST_CALL, buttonValue(done, ACTION_TEST_CALL));
    expect(textOf(await app.slack.waitFor("views.open"))).toContain("Sales");
  });

  it("on the assign success reply", async () => {
    const w = await start();
    const done = await assign(w.app, "+16285550101", "Vapi desk");
    const id = (await numberRow(w.app, "+16285550101")).id;
    expect(buttonValue(done, ACTION_TEST_CALL)).toBe(id);
    await w.app.send.clickButton(ACTION_TEST_CALL, id);
    const opened = await w.app.slack.waitFor("views.open");
    expect(textOf(opened)).toContain("Vapi desk");
    expect(textOf(opened)).toContain("+1 628 555 0101");
  });

  it("on the App Home row of an assigned number", async () => {
    const w = await start();
    const { app } = w;
    await app.send.event({ type: "app_home_opened", user: USER.id, channel: "D0HOME", tab: "home" });
    const home = await app.slack.waitFor("views.publish");
    const id = (await numberRow(app, "+14155550102")).id;
    const blocks = (home.args.view as { blocks: { accessory?: { action_id?: string; value?: string } }[] })
      .blocks;
    const buttons = blocks.filter((b) => b.accessory?.action_id === ACTION_TEST_CALL);
    expect(buttons.map((b) => b.accessory!.value)).toEqual([id]);

    await clickOnHome(app, ACTION_TEST_CALL, id);
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.response as { view: Record<string, unknown> }).view;
    await app.send.submitView(destinationSubmission(view, PHONE));
    await app.slack.waitFor("views.update", (c) => textOf(c).includes("Progress is updated"));
    await app.switchboard.services.testCalls.settled();
    expect(created(w.retell)).toHaveLength(1);
  });

  it("not on an unassigned number's status; a stale button on one says to assign it first", async () => {
    const w = await start();
    const { app } = w;
    await app.send.command("/numbers", "status +14155550101");
    const status = await lastReply(app, (t) => t.includes("Status of"));
    expect(textOf(status)).not.toContain(ACTION_TEST_CALL);
    app.slack.reset();
    await app.send.clickButton(ACTION_TEST_CALL, (await numberRow(app, "+14155550101")).id);
    const told = await lastReply(app, (t) => t.includes("assign it first"));
    expect(told.args.response_type).toBe("ephemeral");
    expect(told.args.replace_original).toBe(false);

    // Typed without a destination: said in the command's reply, no modal.
    app.slack.reset();
    await app.send.command("/numbers", "test-call +14155550101");
    expect(textOf(await lastReply(app))).toContain("assign it first");
    expect(app.slack.callsTo("views.open")).toHaveLength(0);
    expectNoCall(w);
  });

  it("a refusal after the modal is submitted is shown in the modal, and nothing is dialled", async () => {
    const w = await start();
    const { app } = w;
    await app.send.command("/numbers", "test-call +14155550102");
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.response as { view: Record<string, unknown> }).view;
    const res = await app.send.submitView(destinationSubmission(view, "+1 415 555 0103"));
    expect((res.json as { response_action: string }).response_action).toBe("update");
    const result = await app.slack.waitFor("views.update", (c) => textOf(c).includes("own Retell numbers"));
    expect(textOf(result)).toContain("ring nowhere");
    expectNoCall(w);
    const [audit] = await auditOf(app);
    expect(audit).toMatchObject({ outcome: "refused", source: "modal" });
  });
});

describe("refusals before anything is dialled", () => {
  it("an unassigned number: assign it first", async () => {
    const w = await start();
    await w.app.send.command("/numbers", `test-call +14155550101 ${PHONE}`);
    const text = textOf(await lastReply(w.app));
    expect(text).toContain("has no agent");
    expect(text).toContain("assign it first");
    expectNoCall(w);
    const [audit] = await auditOf(w.app);
    expect(audit).toMatchObject({ outcome: "refused", e164: "+14155550101", actor: USER.id });
  });

  it("an agent that is not published", async () => {
    const w = await start();
    await assign(w.app, "+14155550101", "Draft bot");
    await w.app.send.command("/numbers", `test-call +14155550101 ${PHONE}`);
    w.app.slack.reset();
    const text = textOf(await lastReply(w.app, (t) => t.includes("Draft bot (Retell agent) is")));
    expect(text).toContain("Draft bot (Retell agent) is not published at Retell");
    expect(text).toContain("publish");
    expectNoCall(w);
  });

  it("an agent that is not active (deleted at the provider)", async () => {
    const w = await start();
    await assign(w.app, "+16505550101", "Bland desk");
    w.app.slack.reset();
    w.bland.setAgent(BLAND_PERSONA, { active: false });
    await w.app.send.command("/numbers", `test-call +16505550101 ${PHONE}`);
    const text = textOf(await lastReply(w.app, (t) => t.includes("Bland desk")));
    expect(text).toContain("not active");
    expectNoCall(w);
  });

  it("a provider key that is refused", async () => {
    const w = await start();
    w.retell.failNext({}, { status: 401, times: 100 });
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    const text = textOf(await lastReply(w.app));
    expect(text).toContain("Retell API key is invalid");
    expect(text).toContain("RETELL_API_KEY");
    expectNoCall(w);
    const [audit] = await auditOf(w.app);
    expect(audit).toMatchObject({ outcome: "refused" });
  });

  it("a destination that is not a phone number", async () => {
    const w = await start();
    const res = await w.app.send.command("/numbers", "test-call +14155550102 call-me-maybe");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Destination");
    expect(res.text).toContain("+15551234567");
    const tooShort = await w.app.send.command("/numbers", "test-call +14155550102 12");
    expect(tooShort.text).toContain("Destination");
    expect(await w.app.switchboard.settled()).toBe(true);
    expectNoCall(w);
  });

  it("one of the account's own numbers, saying what would happen", async () => {
    const w = await start();
    await assign(w.app, "+16285550101", "Vapi desk");
    w.app.slack.reset();
    await w.app.send.command("/numbers", "test-call +14155550102 +14155550101");
    const spare = textOf(await lastReply(w.app));
    expect(spare).toContain("one of your own Retell numbers");
    expect(spare).toContain("ring nowhere");
    expect(spare).toContain("Use a phone you can answer");

    w.app.slack.reset();
    await w.app.send.command("/numbers", "test-call +14155550102 +16285550101");
    const answered = textOf(await lastReply(w.app));
    expect(answered).toContain("one of your own Vapi numbers");
    expect(answered).toContain("answered by Vapi desk");
    expect(answered).toContain("two agents talking to each other");

    w.app.slack.reset();
    await w.app.send.command("/numbers", "test-call +14155550102 +14155550102");
    expect(textOf(await lastReply(w.app))).toContain("one of your own Retell numbers");
    expectNoCall(w);
    expect((await auditOf(w.app)).map((a) => a.outcome)).toEqual(["refused", "refused", "refused"]);
  });

  it("a test call already running for the requester", async () => {
    // Followed long enough (up to 10 s) for the second request to find the first still running.
    const w = await start({ testCallPoll: { intervalsMs: [50], maxPolls: 200 } });
    await assign(w.app, "+16285550101", "Vapi desk");
    // Rings until the test lets it end.
    w.retell.scriptCall({ statuses: [{ call_status: "registered" }] });
    w.app.slack.reset();
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    await lastReply(w.app, (t) => t.includes("Progress is updated"));
    const [first] = [...w.retell.calls.values()];

    w.app.slack.reset();
    await w.app.send.command("/numbers", `test-call +16285550101 ${PHONE}`);
    const text = textOf(await lastReply(w.app));
    expect(text).toContain("already have a test call running");
    expect(text).toContain("+1 415 555 0102");
    expect(text).toContain("Wait for it to end");
    expect(created(w.vapi)).toHaveLength(0);
    expect(created(w.retell)).toHaveLength(1);

    // Someone else may test meanwhile.
    await w.app.send.command("/numbers", `test-call +16285550101 ${PHONE}`, { user: "U0OTHER" });
    await lastReply(w.app, (t) => t.includes("Progress is updated"));
    expect(created(w.vapi)).toHaveLength(1);

    first!.statuses.push({ call_status: "ended", disconnection_reason: "user_hangup", duration_ms: 3000 });
    await w.app.switchboard.services.testCalls.settled();
  }, 15_000);

  it("two test calls asked for at once: only one is dialled", async () => {
    const w = await start();
    w.retell.scriptCall({ statuses: [{ call_status: "registered" }] });
    await Promise.all([
      w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`),
      w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`),
    ]);
    await lastReply(w.app, (t) => t.includes("already have a test call running"));
    await lastReply(w.app, (t) => t.includes("Progress is updated"));
    expect(created(w.retell)).toHaveLength(1);
    await w.app.switchboard.services.testCalls.settled();
  });

  it("more than TEST_CALLS_PER_HOUR per requester, and per number across requesters", async () => {
    const w = await start({ env: { TEST_CALLS_PER_HOUR: "2" } });
    for (let i = 0; i < 2; i++) {
      w.app.slack.reset();
      await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
      await lastReply(w.app, (t) => t.includes("Progress is updated"));
      await w.app.switchboard.services.testCalls.settled();
    }
    w.app.slack.reset();
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    const text = textOf(await lastReply(w.app));
    expect(text).toContain("2 test calls in the last hour");
    expect(text).toContain("TEST_CALLS_PER_HOUR");
    expect(created(w.retell)).toHaveLength(2);

    // Per number, across people: another user may not call from this number this hour either…
    w.app.slack.reset();
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`, { user: "U0OTHER" });
    const perNumber = textOf(await lastReply(w.app));
    expect(perNumber).toContain(
      "+1 415 555 0102 has placed 2 test calls in the last hour, counting everyone's",
    );
    expect(created(w.retell)).toHaveLength(2);

    // …but may from another number: the first user's limit is theirs alone.
    await w.app.send.command("/assign-number", "+14155550101 Sales");
    await lastReply(w.app, (t) => t.includes("now routes to"));
    await w.app.send.command("/numbers", `test-call +14155550101 ${PHONE}`, { user: "U0OTHER" });
    await lastReply(w.app, (t) => t.includes("Progress is updated"));
    expect(created(w.retell)).toHaveLength(3);
  });

  it("every refusal and call is audited with who, from, to, agent and outcome", async () => {
    const w = await start();
    await w.app.send.command("/numbers", `test-call +14155550101 ${PHONE}`);
    await lastReply(w.app, (t) => t.includes("assign it first"));
    await w.app.send.command("/numbers", `test-call +14155550102 ${PHONE}`);
    await lastReply(w.app, (t) => t.includes("Progress is updated"));
    await w.app.switchboard.services.testCalls.settled();
    const events = await w.app.db.auditEvent.findMany({
      where: { action: { in: ["test_call", "test_call_outcome"] } },
      orderBy: { at: "asc" },
    });
    expect(events.map((e) => [e.action, e.actor, e.e164, e.outcome, e.source])).toEqual([
      ["test_call", USER.id, "+14155550101", "refused", "slash_command"],
      ["test_call", USER.id, "+14155550102", "ok", "slash_command"],
      ["test_call_outcome", USER.id, "+14155550102", "ok", "system"],
    ]);
    expect(events[1]!.after).toEqual({ destination: PHONE, agent: "Front desk" });
    expect(events[2]!.after).toMatchObject({ destination: PHONE, agent: "Front desk", status: "ended" });
  });
});
