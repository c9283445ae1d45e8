// Faults: providers that time out or drop mid-change, a database that fails at commit or goes
// away, a Slack API that rate-limits. The user is always told, and state converges.
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { APPROVER, lastReply, numberRow, startWorld, textOf, type World } from "./support";

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function assignSales(w: World) {
  await w.app.send.command("/assign-number", "+14155550101 Sales");
  return textOf(await lastReply(w.app, (t) => !t.includes("hourglass")));
}

describe("a provider failing mid-change", () => {
  it("times out after the bind, before the read-back: the user is told, and the next sync records what landed", async () => {
    world = await startWorld();
    const { app, retell } = world;
    retell.failNext({ method: "GET", path: "/get-phone-number/+14155550101" }, { delayMs: 1500, times: 10 });
    const text = await assignSales(world);
    expect(text).toContain("reading it back failed");
    expect(retell.agentIdsOf("+14155550101")).toEqual(["agent_sales"]);
    const inDoubt = await numberRow(app, "+14155550101");
    expect(inDoubt.agentId).toBeNull();
    expect(inDoubt.lockToken).toBeNull();

    retell.clearFaults();
    const sync = await app.switchboard.services.sync.syncAll();
    expect(sync.providers.find((p) => p.provider === "retell")?.converged).toBe(1);
    const settled = await numberRow(app, "+14155550101");
    expect(settled.agent?.providerAgentId).toBe("agent_sales");
    expect(settled.intentAgentId).toBeNull();
    const converged = await app.db.auditEvent.findFirst({
      where: { numberId: settled.id, source: "sync", outcome: "applied" },
    });
    expect(converged?.detail).toContain("converged");
  }, 30_000);

  it("drops the connection after applying the write: the user is told it may have landed, and sync settles it", async () => {
    world = await startWorld();
    const { app, retell } = world;
    retell.failNext({ method: "PATCH" }, { afterWrite: "lose", times: 10 });
    const text = await assignSales(world);
    expect(text).toMatch(/may or may not have been applied|reading it back failed/);
    expect(retell.agentIdsOf("+14155550101")).toEqual(["agent_sales"]);
    retell.clearFaults();
    await app.switchboard.services.sync.syncAll();
    expect((await numberRow(app, "+14155550101")).agent?.providerAgentId).toBe("agent_sales");
  }, 30_000);

  it("a write the provider never applied leaves nothing behind for sync to adopt", async () => {
    world = await startWorld();
    const { app, retell } = world;
    retell.failNext({ method: "PATCH" }, { networkError: true, times: 10 });
    const text = await assignSales(world);
    expect(text).toContain("may or may not have been applied");
    expect(retell.agentIdsOf("+14155550101")).toEqual([]);
    retell.clearFaults();
    await app.switchboard.services.sync.syncAll();
    const row = await numberRow(app, "+14155550101");
    expect(row.agentId).toBeNull();
    expect(row.intentAgentId).toBeNull();
  }, 30_000);
});

describe("the database failing", () => {
  it("at commit, after the read-back: no partial write, the user is told, and the next sync converges", async () => {
    world = await startWorld();
    const { app, retell } = world;
    await app.db.$executeRawUnsafe(`CREATE FUNCTION simulated_failure() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'simulated database failure at commit'; END $$ LANGUAGE plpgsql`);
    await app.db.$executeRawUnsafe(`CREATE TRIGGER fail_binding BEFORE UPDATE OF "agentId" ON "PhoneNumber"
      FOR EACH ROW WHEN (NEW."agentId" IS DISTINCT FROM OLD."agentId") EXECUTE FUNCTION simulated_failure()`);
    const text = await assignSales(world);
    expect(text).toMatch(/database is not answering|unexpected error/);
    expect(retell.agentIdsOf("+14155550101")).toEqual(["agent_sales"]);
    const row = await numberRow(app, "+14155550101");
    expect(row.agentId).toBeNull();
    expect(await app.db.auditEvent.count({ where: { numberId: row.id, outcome: "applied" } })).toBe(0);

    await app.db.$executeRawUnsafe(`DROP TRIGGER fail_binding ON "PhoneNumber"`);
    await app.switchboard.services.sync.syncAll();
    expect((await numberRow(app, "+14155550101")).agent?.providerAgentId).toBe("agent_sales");
  });

  it("mid-request: the user gets a clear answer and /readyz reports not ready", async () => {
    world = await startWorld();
    const { app } = world;
    const restore = await takeDatabaseAway(app);
    world.stop = ((stop) => async () => {
      await restore();
      await stop();
    })(world.stop);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    await app.send.command("/numbers", "list");
    expect(textOf(await lastReply(app))).toContain("database is not answering");
  });

  it("at start: the process exits non-zero saying which database it could not open and what to check", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "",
        SLACK_BOT_TOKEN: "xoxb-db-down",
        SLACK_SIGNING_SECRET: "db-down-secret",
        SLACK_API_URL: "http://127.0.0.1:9/api/",
        DATABASE_URL: "postgresql://postgres@127.0.0.1:1/switchboard",
        PORT: "0",
      },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).not.toBe(0);
    expect(output).toContain("Cannot open the database (PostgreSQL at 127.0.0.1:1/switchboard)");
    expect(output).toContain("Check DATABASE_URL");
  }, 30_000);
});

/**
 * Makes the app's database unreachable: PGlite is closed; on PostgreSQL the database stops
 * accepting connections and the app's are terminated (undone afterwards so it can be dropped).
 */
async function takeDatabaseAway(app: World["app"]): Promise<() => Promise<void>> {
  if (!app.databaseUrl) {
    await app.switchboard.database.close();
    return async () => {};
  }
  const name = new URL(app.databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
  await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
  return async () => {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    await admin.end();
  };
}

describe("the Slack Web API failing", () => {
  it("rate-limited or failing once: the approval message is retried and posted exactly once", async () => {
    world = await startWorld({ slackRetries: 2 });
    const { app } = world;
    await app.db.phoneNumber.updateMany({ where: { e164: "+14155550102" }, data: { isProduction: true } });
    app.slack.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    await app.send.command("/assign-number", "+14155550102 Sales");
    await lastReply(app, (t) => t.includes("waiting for an approver"));
    const posted = app.slack
      .callsTo("chat.postMessage")
      .filter((c) => (c.args as { channel: string }).channel === "C0APPROVALS");
    expect(posted.map((c) => c.status)).toEqual([429, 200]);
    expect(await app.db.approvalRequest.count()).toBe(1);
    void APPROVER;
  }, 20_000);
});
