// GET /metrics (Prometheus text format) and the per-request and per-retry log lines, driven as Slack
// and the providers drive them: a signed command, a provider answering 503 once, a routing check.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastReply, startWorld, type World } from "../e2e/support";
import { USER } from "../harness/slackDriver";

/** The value of one series (`name{labels}`) in an exposition, or undefined when absent. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? "").split(",").filter(Boolean);
    if (wanted.every((w) => have.includes(w)) && (wanted.length > 0 || have.length === 0))
      return Number(match[3]);
  }
  return undefined;
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

const logLines = (world: World) => world.app.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

describe("/metrics over HTTP", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("counts a command by kind and outcome and times its ack", async () => {
    const before = await scrape(world.app.url);
    const okBefore =
      series(before, "switchboard_slack_requests_total", { kind: "command", outcome: "ok" }) ?? 0;
    const acksBefore = series(before, "switchboard_slack_ack_seconds_count", { kind: "command" }) ?? 0;

    const res = await world.app.send.command("/numbers", "help");
    expect(res.status).toBe(200);
    // A command the rules refuse counts as refused, not ok.
    await world.app.send.command("/assign-number", "+19995550000 Nobody");
    await lastReply(world.app);

    const after = await scrape(world.app.url);
    expect(series(after, "switchboard_slack_requests_total", { kind: "command", outcome: "ok" })).toBe(
      okBefore + 1,
    );
    expect(series(after, "switchboard_slack_requests_total", { kind: "command", outcome: "refused" })).toBe(
      1,
    );
    expect(series(after, "switchboard_slack_ack_seconds_count", { kind: "command" })).toBe(acksBefore + 2);
    expect(
      series(after, "switchboard_slack_ack_seconds_bucket", { kind: "command", le: "3" }),
    ).toBeGreaterThanOrEqual(acksBefore + 2);
    // The process figures are served beside Switchboard's own.
    expect(series(after, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("logs one info line per handled request: kind, user, outcome, ms", async () => {
    const from = world.app.logs.length;
    await world.app.send.command("/numbers", "help");
    await expect.poll(() => world.app.logs.length).toBeGreaterThan(from);
    const handled = logLines(world)
      .slice(from)
      .filter((l) => l.msg === "handled command: ok");
    expect(handled).toHaveLength(1);
    expect(handled[0]).toMatchObject({ level: 30, kind: "command", user: USER.id, outcome: "ok" });
    expect(handled[0]!.ms).toEqual(expect.any(Number));
    expect(handled[0]!.ackMs).toEqual(expect.any(Number));
    expect(handled[0]!.requestId).toEqual(expect.any(String));
  });

  it("counts provider attempts by status, and a retry, with one log line for the retry", async () => {
    const from = world.app.logs.length;
    world.retell.failNext({ method: "GET", path: "/get-phone-number/" }, { status: 503, times: 1 });
    world.app.slack.reset();
    const res = await world.app.send.command("/numbers", "status +14155550102");
    expect(res.status).toBe(200);
    await lastReply(world.app);

    const text = await scrape(world.app.url);
    expect(series(text, "switchboard_provider_requests_total", { provider: "retell", status: "503" })).toBe(
      1,
    );
    expect(series(text, "switchboard_provider_retries_total", { provider: "retell", status: "503" })).toBe(1);
    expect(
      series(text, "switchboard_provider_requests_total", { provider: "retell", status: "200" }),
    ).toBeGreaterThan(0);
    const retries = logLines(world)
      .slice(from)
      .filter((l) => l.provider === "retell" && l.status === "503");
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ level: 30, attempt: 1, of: 4 });
    expect(retries[0]!.delayMs).toEqual(expect.any(Number));
  });

  it("reads open findings, pending approvals and the last successful sync from the database", async () => {
    await world.app.switchboard.services.check.run("test");
    const open = await world.app.db.routingFinding.groupBy({
      by: ["kind"],
      where: { resolvedAt: null },
      _count: { _all: true },
    });
    expect(open.length).toBeGreaterThan(0);
    const accounts = await world.app.db.providerAccount.findMany();

    const text = await scrape(world.app.url);
    expect(series(text, "switchboard_database_up")).toBe(1);
    for (const row of open)
      expect(series(text, "switchboard_open_findings", { kind: row.kind })).toBe(row._count._all);
    expect(series(text, "switchboard_pending_approvals")).toBe(
      await world.app.db.approvalRequest.count({ where: { status: "pending" } }),
    );
    for (const provider of ["retell", "vapi", "bland"]) {
      const account = accounts.find((a) => a.provider === provider)!;
      expect(account.lastSyncOkAt).not.toBeNull();
      expect(series(text, "switchboard_provider_last_successful_sync_timestamp_seconds", { provider })).toBe(
        account.lastSyncOkAt!.getTime() / 1000,
      );
    }
  });

  it("keeps the last success when a later sync fails", async () => {
    const before = (await world.app.db.providerAccount.findUniqueOrThrow({ where: { provider: "vapi" } }))
      .lastSyncOkAt;
    world.vapi.failNext({ method: "GET" }, { status: 401, times: 10 });
    await world.app.switchboard.services.sync.syncAll();
    const account = await world.app.db.providerAccount.findUniqueOrThrow({ where: { provider: "vapi" } });
    expect(account.lastSyncOk).toBe(false);
    expect(account.lastSyncOkAt).toEqual(before);
    const text = await scrape(world.app.url);
    expect(
      series(text, "switchboard_provider_last_successful_sync_timestamp_seconds", { provider: "vapi" }),
    ).toBe(before!.getTime() / 1000);
    // Every read the sync made was refused; a refused key is never retried.
    expect(
      series(text, "switchboard_provider_requests_total", { provider: "vapi", status: "401" }),
    ).toBeGreaterThan(0);
    expect(
      series(text, "switchboard_provider_retries_total", { provider: "vapi", status: "401" }),
    ).toBeUndefined();
  });
});

describe("/metrics in Socket Mode", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ transport: "socket" });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("is served on PORT beside /healthz and /readyz, and counts requests sent over the socket", async () => {
    const res = await world.app.send.command("/numbers", "help");
    expect(res.status).toBe(200);
    const text = await scrape(world.app.url);
    expect(series(text, "switchboard_slack_requests_total", { kind: "command", outcome: "ok" })).toBe(1);
    expect(series(text, "switchboard_slack_ack_seconds_count", { kind: "command" })).toBe(1);
    expect((await fetch(`${world.app.url}/healthz`)).status).toBe(200);
  });
});
