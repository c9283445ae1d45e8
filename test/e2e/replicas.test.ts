// Several replicas (issue 6, point 4): two app instances on one PostgreSQL database run each scheduled
// routing check once and post one set of alerts; on the embedded database one instance runs it alone.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeProviderAccount, mountWithNock } from "../harness/fakeProviders";
import { type FakeSlack, startFakeSlack } from "../harness/fakeSlack";
import { BOT_TOKEN, startTestApp, type TestApp } from "../harness/testApp";
import { createTestDatabase, type TestDatabase } from "../harness/testDatabase";
import { ALERTS, standardAccounts, startWorld, type World } from "./support";

const EVERY_SECOND = "* * * * * *";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const alertPosts = (slack: FakeSlack) =>
  slack.callsTo("chat.postMessage").filter((c) => c.args.channel === ALERTS);

describe("scheduled routing check", () => {
  let world: World | undefined;
  afterEach(async () => {
    if (!world) return;
    expect(world.app.slack.rejections()).toEqual([]);
    await world.stop();
    world = undefined;
  });

  it("node-cron takes a seconds field, so CHECK_SCHEDULE can fire every second", async () => {
    const cron = (await import("node-cron")).default;
    expect(cron.validate(EVERY_SECOND)).toBe(true);
    const task = cron.createTask(EVERY_SECOND, () => {});
    const [a, b] = task.getNextRuns(2);
    expect(b!.getTime() - a!.getTime()).toBe(1000);
    await task.destroy();
  });

  it("a single instance with schedules runs the check on CHECK_SCHEDULE (coordinator only on PostgreSQL)", async () => {
    world = await startWorld({ schedules: true, env: { CHECK_SCHEDULE: EVERY_SECOND } });
    const { app } = world;
    await waitUntil("a scheduled check run", async () => {
      const runs = await app.db.checkRun.count({ where: { finishedAt: { not: null } } });
      return runs >= 2;
    });
    await app.switchboard.stopSchedules();
    app.switchboard.services.shutdown();
    await app.switchboard.services.drain();
    const runs = await app.db.checkRun.findMany({ orderBy: { startedAt: "asc" } });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) expect(run.trigger).toMatch(/^schedule:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(new Set(runs.map((r) => r.trigger)).size).toBe(runs.length);
    // Four unassigned numbers: one digest, posted by the first run only.
    expect(alertPosts(app.slack)).toHaveLength(1);
    expect(await app.db.routingFinding.count({ where: { resolvedAt: null } })).toBe(4);
    const leases = await app.db.jobLease.count({ where: { name: { startsWith: "routing-check:" } } });
    if (app.switchboard.database.kind === "pglite") expect(leases).toBe(0);
    else expect(leases).toBe(runs.length);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("two replicas on one PostgreSQL database", () => {
  let database: TestDatabase | undefined;
  let slack: FakeSlack | undefined;
  let apps: TestApp[] = [];
  let unmount: (() => void) | undefined;
  let accounts: Record<"retell" | "vapi" | "bland", FakeProviderAccount>;

  async function startReplicas(options: { schedules: boolean }) {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    accounts = standardAccounts();
    unmount = mountWithNock([accounts.retell, accounts.vapi, accounts.bland]);
    database = await createTestDatabase();
    slack = await startFakeSlack({ token: BOT_TOKEN });
    const env = {
      RETELL_API_KEY: accounts.retell.apiKey,
      VAPI_API_KEY: accounts.vapi.apiKey,
      BLAND_API_KEY: accounts.bland.apiKey,
      ALERT_CHANNEL_ID: ALERTS,
      CHECK_SCHEDULE: EVERY_SECOND,
    };
    for (let i = 0; i < 2; i++) {
      apps.push(await startTestApp({ env, databaseUrl: database.url!, slack, schedules: options.schedules }));
    }
    return apps;
  }

  afterEach(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    apps = [];
    if (slack) {
      expect(slack.rejections()).toEqual([]);
      await slack.close();
    }
    await database?.drop();
    unmount?.();
    nock.cleanAll();
    nock.enableNetConnect();
    slack = undefined;
    database = undefined;
    unmount = undefined;
  });

  it("each scheduled slot produces exactly one check run, and the alerts are posted once", async () => {
    const [a, b] = await startReplicas({ schedules: true });
    expect(a!.switchboard.database.kind).toBe("postgresql");
    await sleep(3500);
    // Stop the schedules and wait for the runs they started, so every run read below is finished.
    await Promise.all([a!.switchboard.stopSchedules(), b!.switchboard.stopSchedules()]);
    for (const app of [a!, b!]) app.switchboard.services.shutdown();
    await Promise.all([a!.switchboard.services.drain(), b!.switchboard.services.drain()]);

    const db = a!.db;
    const runs = await db.checkRun.findMany({ orderBy: { startedAt: "asc" } });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const triggers = runs.map((r) => r.trigger);
    expect(new Set(triggers).size).toBe(triggers.length);
    for (const run of runs) {
      expect(run.trigger).toMatch(/^schedule:/);
      expect(run.finishedAt).not.toBeNull();
    }
    // Every slot a replica was elected for ran exactly once, and nothing ran without election.
    const leases = await db.jobLease.findMany({ where: { name: { startsWith: "routing-check:" } } });
    expect(leases.map((l) => `schedule:${l.name.slice("routing-check:".length)}`).sort()).toEqual(
      [...triggers].sort(),
    );
    const slots = triggers.map((t) => Date.parse(t.slice("schedule:".length)));
    for (const slot of slots) expect(slot % 1000).toBe(0);

    expect(alertPosts(slack!)).toHaveLength(1);
    expect(await db.routingFinding.count()).toBe(4);
    expect(await db.routingFinding.count({ where: { messageTs: null } })).toBe(0);
  });

  it("checks started on both replicas at once post one set of alerts", async () => {
    const [a, b] = await startReplicas({ schedules: false });
    const [first, second] = await Promise.all([
      a!.switchboard.services.check.run("manual"),
      b!.switchboard.services.check.run("manual"),
    ]);
    expect(first.messagesPosted + second.messagesPosted).toBe(1);
    expect(alertPosts(slack!)).toHaveLength(1);
    expect(await a!.db.routingFinding.count()).toBe(4);
    expect(await a!.db.checkRun.count({ where: { finishedAt: { not: null } } })).toBe(2);
  });
});
