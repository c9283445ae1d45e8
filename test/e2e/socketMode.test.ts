// Socket Mode, end to end: the real app opens its WebSocket through apps.connections.open at
// SLACK_API_URL (the fake Slack), and the same flows as over HTTP run over envelopes and acks.
import { describe, expect, it } from "vitest";
import { ACTION_APPROVE } from "../../src/slack/views/approvalMessage";
import { startFakeSlack } from "../harness/fakeSlack";
import { viewWith } from "../harness/slackDriver";
import { APP_TOKEN, BOT_TOKEN, startTestApp, type TestApp } from "../harness/testApp";
import {
  APPROVALS,
  APPROVER,
  agentId,
  buttonValue,
  expectNoProductionChangeWithoutApproval,
  lastReply,
  numberRow,
  textOf,
  useWorldPerTest,
} from "./support";

const start = useWorldPerTest();
const socketWorld = () => start({ transport: "socket" });

async function readyz(app: TestApp) {
  const res = await fetch(`${app.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; reasons?: string[] } };
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Options = { options?: { text: { text: string }; value: string }[] };

describe("Socket Mode transport", () => {
  it("connects through apps.connections.open at SLACK_API_URL with the app token, serves health on PORT, and answers a command in the ack", async () => {
    const { app } = await socketWorld();
    expect(app.switchboard.mode).toBe("socket");
    const open = app.slack.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]!.status).toBe(200);
    expect(app.socket!.connectionsOpened).toBe(1);
    expect(app.switchboard.port).toBeGreaterThan(0);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(await readyz(app)).toEqual({ status: 200, body: { status: "ready" } });
    // Bolt's HTTP endpoint is not there: nothing but health is served in Socket Mode.
    expect((await fetch(`${app.url}/slack/events`, { method: "POST" })).status).toBe(404);

    const res = await app.send.command("/numbers", "help");
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    expect((res.json as { text: string }).text).toContain("/numbers status");
    expect(app.socket!.unacked()).toEqual([]);
  });

  it("assign flow: /assign-number <number> <agent> binds at the provider and replies through response_url", async () => {
    const { app, retell } = await socketWorld();
    const res = await app.send.command("/assign-number", "+1 (415) 555-0101 Sales");
    expect(res.status).toBe(200);
    const reply = await lastReply(app, (t) => t.includes("now routes to"));
    expect(textOf(reply)).toContain("Sales");
    expect(retell.agentIdsOf("+14155550101")).toEqual(["agent_sales"]);
    expect((await numberRow(app, "+14155550101")).agent?.providerAgentId).toBe("agent_sales");
    expect(app.socket!.unacked()).toEqual([]);
    expect(app.socket!.acks.filter((a) => a.late)).toEqual([]);
  });

  it("production approval flow: a reassignment waits for an approver's click, then applies", async () => {
    const { app, retell } = await socketWorld();
    const MAIN = "+14155550102";
    await app.send.command("/numbers", `production ${MAIN} on`, { user: APPROVER });
    await lastReply(app, (t) => t.includes("production"));

    await app.send.command("/assign-number", `${MAIN} Sales`);
    const post = await app.slack.waitFor("chat.postMessage", (c) => c.args.channel === APPROVALS);
    expect(retell.writes()).toHaveLength(0);
    expect((await numberRow(app, MAIN)).agent?.name).toBe("Front desk");

    const click = await app.send.clickButton(ACTION_APPROVE, buttonValue(post, ACTION_APPROVE), {
      user: APPROVER,
      channel: APPROVALS,
      messageTs: String((post.response as { ts: string }).ts),
    });
    expect(click.status).toBe(200);
    await app.slack.waitFor("chat.update", (c) => textOf(c).includes("Approved"));
    await until(
      "the approved change at the provider",
      async () => retell.agentIdsOf(MAIN),
      (ids) => ids[0] === "agent_sales",
    );
    expect((await numberRow(app, MAIN)).agent?.name).toBe("Sales");
    expect(await expectNoProductionChangeWithoutApproval(app)).toBe(1);
    expect(app.socket!.unacked()).toEqual([]);
  });

  it("assign-modal typeahead: options requests are answered in the ack, filtered by the pick; the submission applies", async () => {
    const { app, retell } = await socketWorld();
    await app.send.command("/assign-number", "");
    const opened = ((await app.slack.waitFor("views.open")).response as { view: Record<string, unknown> })
      .view;
    const sales = await agentId(app, "agent_sales");

    const free = await app.send.suggest(
      viewWith(opened, { agent: { agent_pick: sales } }),
      "number_pick",
      "number",
      "010",
    );
    expect(free.status).toBe(200);
    const texts = (free.json as Options).options!.map((o) => o.text.text);
    expect(texts).toEqual([expect.stringContaining("0101"), expect.stringContaining("0103")]);

    const number = await numberRow(app, "+14155550103");
    const submitted = await app.send.submitView(
      viewWith(opened, { number: { number_pick: number.id }, agent: { agent_pick: sales } }),
    );
    expect((submitted.json as { response_action: string }).response_action).toBe("update");
    await app.slack.waitFor("views.update", (c) => textOf(c).includes("now routes to"));
    expect(retell.agentIdsOf("+14155550103")).toEqual(["agent_sales"]);
    expect(app.socket!.unacked()).toEqual([]);
  });

  it("Events API over the socket: app_home_opened is acked at once and the Home tab is published", async () => {
    const { app } = await socketWorld();
    const res = await app.send.event({
      type: "app_home_opened",
      user: "U0REQUESTER",
      channel: "D0HOME",
      tab: "home",
    });
    expect(res.status).toBe(200);
    expect(res.json).toBeUndefined(); // an empty ack
    const published = await app.slack.waitFor("views.publish", (c) => c.args.user_id === "U0REQUESTER");
    expect(textOf(published)).toContain("Retell");
    const envelope = app.socket!.envelopes.find((e) => e.envelope_id === res.envelopeId)!;
    expect(envelope).toMatchObject({ type: "events_api", accepts_response_payload: false, retry_attempt: 0 });
  });

  it("logs frames and acks at debug level without their payloads (what users typed stays out of the logs)", async () => {
    const { app } = await socketWorld();
    await app.send.command("/assign-number", "+14155550101 note-only-the-user-saw");
    expect(textOf(await lastReply(app))).toContain("note-only-the-user-saw"); // Slack sees it…
    const logs = app.logs.join("");
    expect(logs).toContain("Received a message on the WebSocket (payload not logged)");
    expect(logs).toContain("ack() call begins (payload not logged)");
    expect(logs).not.toContain("note-only-the-user-saw"); // …the logs do not
    expect(logs).not.toContain("/response/");
  });

  it("a disconnect asking to reconnect: /readyz is 503 until the new connection says hello, then 200; commands work again", async () => {
    const { app } = await socketWorld();
    const socket = app.socket!;
    socket.disconnect("refresh_requested");
    const down = await until(
      "readyz 503",
      () => readyz(app),
      (r) => r.status === 503,
    );
    expect(down.body.reasons?.join(" ")).toMatch(/Socket Mode is (reconnecting|connecting|disconnected)/);

    await socket.waitForConnections(2);
    await until(
      "readyz 200",
      () => readyz(app),
      (r) => r.status === 200,
    );
    expect(app.slack.callsTo("apps.connections.open")).toHaveLength(2);
    const res = await app.send.command("/numbers", "help");
    expect(res.status).toBe(200);
    expect(app.logs.join("")).toContain("Socket Mode connection closed; reconnecting");
  });

  it("a reconnect refused by Slack is retried through apps.connections.open again, without crashing", async () => {
    const { app } = await socketWorld();
    const socket = app.socket!;
    socket.refuseNext(1);
    socket.disconnect("refresh_requested");
    await socket.waitForConnections(2, 20_000);
    await until(
      "readyz 200",
      () => readyz(app),
      (r) => r.status === 200,
      20_000,
    );
    expect(app.slack.callsTo("apps.connections.open").length).toBeGreaterThanOrEqual(3);
    expect((await app.send.command("/numbers", "help")).status).toBe(200);
  }, 40_000);

  it("apps.connections.open failing during a reconnect is logged and retried, not an unhandled rejection", async () => {
    const { app } = await socketWorld();
    // HTTP 500 is not retried by the Socket Mode client itself once the WebClient's retries are spent.
    app.slack.failNext("apps.connections.open", { status: 500, times: 4 });
    app.socket!.disconnect("refresh_requested");
    await app.socket!.waitForConnections(2, 30_000);
    await until(
      "readyz 200",
      () => readyz(app),
      (r) => r.status === 200,
      20_000,
    );
    expect(app.logs.join("")).toContain("Socket Mode could not reconnect");
    expect(app.slack.callsTo("apps.connections.open").filter((c) => c.status === 500)).toHaveLength(4);
    expect((await app.send.command("/numbers", "help")).status).toBe(200);
  }, 60_000);

  it("an envelope sent while the socket reconnects is delivered on the new connection and acked once", async () => {
    const { app } = await socketWorld();
    app.socket!.disconnect("refresh_requested");
    await until(
      "readyz 503",
      () => readyz(app),
      (r) => r.status === 503,
    );
    const res = await app.send.command("/numbers", "help", {}); // Slack holds it until the app is back
    expect(res.status).toBe(200);
    expect(app.socket!.acks.filter((a) => a.envelopeId === res.envelopeId)).toHaveLength(1);
  });

  it("an envelope no listener handles is never acked (Slack shows the user an error after 3 s); the connection stays usable", async () => {
    const { app } = await socketWorld();
    const res = await app.send.clickButton("no_such_action", "x");
    expect(res.status).toBe(408);
    expect(app.socket!.unacked().map((e) => e.envelope_id)).toEqual([res.envelopeId]);
    const next = await app.send.command("/numbers", "help");
    expect(next.status).toBe(200);
  });

  it("an ack after Slack's deadline counts as late, not as an answer", async () => {
    const { app } = await socketWorld();
    const socket = app.socket!;
    // A deadline no app can meet: the ack arrives after it and is recorded as late.
    const result = await socket.deliver(
      "slash_commands",
      {
        command: "/numbers",
        text: "help",
        user_id: "U0REQUESTER",
        team_id: "T0TEST",
        channel_id: "C0OPS",
        response_url: app.slack.responseUrl(),
        trigger_id: "1.2.3",
      },
      { ackTimeoutMs: 0 },
    );
    expect(result.acked).toBe(false);
    await until(
      "the late ack",
      async () => socket.acks.find((a) => a.envelopeId === result.envelopeId),
      Boolean,
    );
    expect(socket.acks.find((a) => a.envelopeId === result.envelopeId)!.late).toBe(true);
  });

  it("stop closes the socket and the health server", async () => {
    const world = await socketWorld();
    const { app } = world;
    await app.switchboard.stop();
    expect(app.socket!.openConnections()).toBe(0);
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });
});

describe("Socket Mode start-up failures name what to fix", () => {
  it("an app token Slack rejects stops start-up with a message naming SLACK_APP_TOKEN and where to get one", async () => {
    const slack = await startFakeSlack({ token: BOT_TOKEN, appToken: "xapp-1-A0TEST-1-another-token" });
    try {
      await expect(startTestApp({ slack, transport: "socket" })).rejects.toThrow(
        /Slack rejected SLACK_APP_TOKEN \(invalid_auth\)\. Create an app-level token with the connections:write scope/,
      );
      expect(slack.callsTo("apps.connections.open").map((c) => c.response)).toEqual([
        { ok: false, error: "invalid_auth" },
      ]);
    } finally {
      await slack.close();
    }
  });

  it("an unreachable Slack stops start-up with a message naming apps.connections.open and SLACK_API_URL", async () => {
    const slack = await startFakeSlack({ token: BOT_TOKEN, appToken: APP_TOKEN });
    try {
      await expect(
        startTestApp({ slack, transport: "socket", env: { SLACK_API_URL: "http://127.0.0.1:9/api/" } }),
      ).rejects.toThrow(
        /could not open a Socket Mode connection through http:\/\/127\.0\.0\.1:9\/api\/apps\.connections\.open .*SLACK_API_URL/,
      );
    } finally {
      await slack.close();
    }
  }, 30_000);
});
