// `npm start` as an operator runs it: the built entry point (what `npm start` and the container run)
// in a child process.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database";
import { readMigrations } from "../../src/db/migrate";
import { startFakeSlack } from "../harness/fakeSlack";
import { SlackDriver, viewWith } from "../harness/slackDriver";
import { createTestDatabase } from "../harness/testDatabase";

const root = path.resolve(import.meta.dirname, "../..");
/** `npm start`'s command after `node`, as package.json has it: what operators and the image run. */
const START_ARGS: string[] = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"))
  .scripts.start.split(" ")
  .slice(1);
const dirs: string[] = [];
beforeAll(() => {
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });
}, 60_000);
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, START_ARGS, {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", SLACK_API_URL: "http://127.0.0.1:9/api/", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Polls until the URL answers (any status); throws the connection error after `ms`. */
async function waitForHttp(url: string, ms: number): Promise<Response> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Polls /readyz until it answers 200, as an orchestrator's readiness probe does (a 503 while the
 * process settles is allowed); resolves with the last status and body, so a failure shows why.
 */
async function waitForReady(port: number, ms: number): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await waitForHttp(`http://127.0.0.1:${port}/readyz`, Math.max(0, deadline - Date.now()));
    const last = { status: res.status, body: await res.text() };
    if (last.status === 200 || Date.now() > deadline) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("npm start", () => {
  /** HTTP-mode credentials and an empty embedded-database folder (removed after the file). */
  async function embeddedEnv() {
    const dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-data-"));
    dirs.push(dataDir);
    return {
      SLACK_BOT_TOKEN: "xoxb-start-test",
      SLACK_SIGNING_SECRET: "start-test-secret",
      DATA_DIR: dataDir,
    };
  }

  it("is what the container runs", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(path.join(root, "Dockerfile"), "utf8"))?.[1];
    expect(JSON.parse(cmd ?? "[]")).toEqual(["node", ...START_ARGS]);
  });

  it("exits non-zero listing every missing variable when Slack credentials are absent", async () => {
    const run = start({});
    const code = await run.exited;
    expect(code).not.toBe(0);
    expect(run.output()).toContain("SLACK_BOT_TOKEN is required");
    expect(run.output()).toContain("SLACK_SIGNING_SECRET is required");
  }, 30_000);

  it("starts on the embedded database, answers health checks, stops on SIGTERM, and keeps data across restarts", async () => {
    const env = await embeddedEnv();

    const port = await freePort();
    const first = start({ ...env, PORT: String(port) });
    expect((await waitForHttp(`http://127.0.0.1:${port}/healthz`, 40_000)).status).toBe(200);
    expect(await waitForReady(port, 10_000)).toMatchObject({ status: 200 });
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const names = (await readMigrations()).map((m) => m.name);
    expect(first.output()).toContain(`"migrationsApplied":${JSON.stringify(names)}`);
    expect(first.output()).toContain("stopped");

    const second = start({ ...env, PORT: String(port) });
    expect(await waitForReady(port, 40_000)).toMatchObject({ status: 200 });
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    // Same folder, schema already there: nothing re-applied, the data survived the restart.
    expect(second.output()).toContain('"migrationsApplied":[]');
  }, 90_000);

  it("a SIGTERM during a first start (initdb running) ends start-up cleanly, and the folder starts next time", async () => {
    const env = await embeddedEnv();
    const port = await freePort();
    const first = start({ ...env, PORT: String(port) });
    // The handlers are in place once "starting" is logged; initdb then takes seconds.
    const deadline = Date.now() + 20_000;
    while (!first.output().includes('"msg":"starting"') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('"during":"start-up"');
    expect(first.output()).toContain("stopped during start-up");
    expect(first.output()).not.toContain("Switchboard is listening");

    const second = start({ ...env, PORT: String(port) });
    expect(await waitForReady(port, 40_000)).toMatchObject({ status: 200 });
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 90_000);

  // dist/start.js compiles WebAssembly (on PostgreSQL: Prisma's query compiler) with V8's baseline
  // tier only: the bot must still read and write the database through it.
  it.runIf(process.env.TEST_DATABASE_URL)(
    "starts on PostgreSQL and answers a picker from the database",
    async () => {
      const db = await createTestDatabase();
      const slack = await startFakeSlack({ token: "xoxb-start-test" });
      try {
        const port = await freePort();
        const secret = "start-test-secret";
        const bot = start({
          SLACK_BOT_TOKEN: "xoxb-start-test",
          SLACK_SIGNING_SECRET: secret,
          DATABASE_URL: db.url!,
          SLACK_API_URL: slack.apiUrl,
          // Pickers offer connected providers' numbers; this account cannot be reached (sync just fails).
          RETELL_API_KEY: "key_start_test",
          RETELL_API_URL: "http://127.0.0.1:9",
          PORT: String(port),
        });
        expect(await waitForReady(port, 40_000)).toMatchObject({ status: 200 });
        // A number recorded since start-up: the picker must read it from the database.
        const database = await openDatabase({ url: db.url! });
        await database.prisma.phoneNumber.create({
          data: { provider: "retell", e164: "+14155550101", providerNumberId: "n1", nickname: "Main line" },
        });
        await database.close();
        const driver = new SlackDriver(`http://127.0.0.1:${port}`, secret, () => "http://127.0.0.1:9/");
        const view = viewWith({ id: "V0START", callback_id: "assign_number", private_metadata: "{}" });
        const res = await driver.suggest(view, "number_pick", "number", "0101");
        expect(res.status).toBe(200);
        const options = (res.json as { options: { text: { text: string } }[] }).options;
        expect(options.map((o) => o.text.text)).toEqual([expect.stringContaining("Main line")]);
        bot.child.kill("SIGTERM");
        expect(await bot.exited).toBe(0);
        expect(bot.output()).toContain('"database":"postgresql"');
      } finally {
        await slack.close();
        await db.drop();
      }
    },
    90_000,
  );
});
