// `npm run bench`: Switchboard against bare Bolt on this machine, plus inventory-scale figures.
// Targets are reported, never asserted: speed lives here, not in unit tests.
// `npm run bench -- --write` also rewrites docs/benchmarks.md with the figures of this run.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";
import nock from "nock";
import pg from "pg";
import { loadConfig } from "../src/config";
import type { DatabaseTarget } from "../src/db/database";
import { createLogger } from "../src/logger";
import { startSwitchboard } from "../src/server";
import { FakeProviderAccount, serveOnLoopback } from "../test/harness/fakeProviders";
import { startFakeSlack } from "../test/harness/fakeSlack";
import { commandBody, load, SECRET, signedPost, startTarget } from "./lib";

nock.restore(); // the loopback fakes are real servers; nothing is intercepted here

const fmt = (n: number, digits = 1) => n.toFixed(digits);
/** Both targets answer `/numbers help` with text mentioning help; a refusal would not. */
const isHelp = (text: string) => text.includes("help");
/** An options answer (possibly empty for a query that matches nothing), not a refusal. */
const hasOptions = (text: string) => /^\{"option(s|_groups)":\[/.test(text);
const rows: string[][] = [];
const report = (figure: string, value: string, target: string, verdict: string) => {
  rows.push([figure, value, target, verdict]);
  console.log(`${figure.padEnd(58)} ${value.padEnd(34)} ${target.padEnd(16)} ${verdict}`);
};
const verdict = (ok: boolean) => (ok ? "meets target" : "MISSES target");

/** A fresh PostgreSQL database for the scale-out figure, when the local server answers. */
async function benchDatabase(): Promise<string | undefined> {
  const server = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const client = new pg.Client({ connectionString: server });
  try {
    await client.connect();
    await client.query("DROP DATABASE IF EXISTS switchboard_bench WITH (FORCE)");
    await client.query("CREATE DATABASE switchboard_bench");
    const url = new URL(server);
    url.pathname = "/switchboard_bench";
    return url.toString();
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

async function ackLatency() {
  const results: Record<string, { p50: number; p99: number; rps: number; rssMb: number }> = {};
  const dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-bench-"));
  // The first start on an empty folder runs initdb (a one-off peak, reported separately);
  // the measured process starts on an existing folder, as every restart of the bot does.
  const firstStart = await (await startTarget("bench/targets/switchboard.ts", { DATA_DIR: dataDir })).stop();
  const databaseUrl = await benchDatabase();
  const targets: [string, string, Record<string, string>][] = [
    ["bare Bolt", "bench/targets/bareBolt.ts", {}],
    ["Switchboard", "bench/targets/switchboard.ts", { DATA_DIR: dataDir }],
  ];
  if (databaseUrl)
    targets.push([
      "Switchboard on PostgreSQL",
      "bench/targets/switchboard.ts",
      { DATABASE_URL: databaseUrl },
    ]);
  for (const [name, file, env] of targets) {
    const target = await startTarget(file, env);
    const url = `http://127.0.0.1:${target.port}/slack/events`;
    await load(300, 4, () => signedPost(url, commandBody("help"), isHelp)); // warm-up
    const sequential = await load(2000, 1, () => signedPost(url, commandBody("help"), isHelp));
    const concurrent = await load(4000, 16, () => signedPost(url, commandBody("help"), isHelp));
    const { maxRssKb } = await target.stop();
    results[name] = { p50: sequential.p50, p99: sequential.p99, rps: concurrent.rps, rssMb: maxRssKb / 1024 };
  }
  const bolt = results["bare Bolt"]!;
  for (const [name, sb] of Object.entries(results)) {
    if (name === "bare Bolt") continue;
    const db = name === "Switchboard" ? "embedded PGlite" : "PostgreSQL";
    report(
      `ack latency p50, ${db} (sequential, 2,000)`,
      `${fmt(sb.p50, 2)} ms vs Bolt ${fmt(bolt.p50, 2)} ms (${fmt(sb.p50 / bolt.p50, 2)}×)`,
      "—",
      "",
    );
    report(
      `ack latency p99, ${db} (sequential, 2,000)`,
      `${fmt(sb.p99, 2)} ms vs Bolt ${fmt(bolt.p99, 2)} ms (${fmt(sb.p99 / bolt.p99, 2)}×)`,
      "≤ 1.5× Bolt",
      verdict(sb.p99 <= 1.5 * bolt.p99),
    );
    report(
      `throughput, ${db} (16 concurrent, 4,000)`,
      `${fmt(sb.rps, 0)} req/s vs Bolt ${fmt(bolt.rps, 0)} req/s (${fmt(sb.rps / bolt.rps, 2)}×)`,
      "—",
      "",
    );
    report(
      `peak RSS, ${db}`,
      `${fmt(sb.rssMb, 0)} MB vs Bolt ${fmt(bolt.rssMb, 0)} MB (${fmt(sb.rssMb / bolt.rssMb, 2)}×)`,
      "≤ 1.3× Bolt",
      verdict(sb.rssMb <= 1.3 * bolt.rssMb),
    );
  }
  report(
    "peak RSS, first start on an empty folder (initdb, once)",
    `${fmt(firstStart.maxRssKb / 1024, 0)} MB`,
    "—",
    "",
  );
  await rm(dataDir, { recursive: true, force: true });
}

async function inventoryScale() {
  // 1,000 numbers and 200 agents per provider (issue 3), then 10,000 numbers in all (issues 6 and 8).
  const small = (["retell", "vapi", "bland"] as const).map((p) =>
    new FakeProviderAccount(p).seed({ numbers: 1000, agents: 200, boundRatio: 0.6 }),
  );
  const large = [
    new FakeProviderAccount("retell").seed({ numbers: 3400, agents: 300, boundRatio: 0.7 }),
    new FakeProviderAccount("vapi").seed({ numbers: 3300, agents: 300, boundRatio: 0.7 }),
    new FakeProviderAccount("bland").seed({ numbers: 3300, agents: 300, boundRatio: 0.7 }),
  ];
  const postgres = await benchDatabase();
  const runs: [string, FakeProviderAccount[], DatabaseTarget, string][] = [
    ["1,000 numbers + 200 agents per provider", small, { memory: true }, "PGlite"],
    ["10,000 numbers across three providers", large, { memory: true }, "PGlite"],
  ];
  if (postgres) runs.push(["10,000 numbers across three providers", large, { url: postgres }, "PostgreSQL"]);
  for (const [scenario, accounts, database, db] of runs) {
    const label = `${scenario}, ${db}`;
    const served = await serveOnLoopback(accounts);
    const slack = await startFakeSlack();
    const env: Record<string, string> = {
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: "0",
      LOG_LEVEL: "error",
      ALERT_CHANNEL_ID: "C0ALERTS",
    };
    for (const a of accounts) {
      env[`${a.provider.toUpperCase()}_API_KEY`] = a.apiKey;
      env[`${a.provider.toUpperCase()}_API_URL`] = served.urls[a.provider];
    }
    const switchboard = await startSwitchboard(loadConfig(env), {
      logger: createLogger({ level: "error", secrets: [] }),
      database,
      schedules: false,
      initialSync: false,
    });
    const { services } = switchboard;
    let t = performance.now();
    await services.sync.syncAll();
    const firstSync = performance.now() - t;
    t = performance.now();
    const second = await services.sync.syncAll();
    const secondSync = performance.now() - t;
    const unchanged = second.providers.every(
      (p) => p.numbers.added + p.numbers.updated + p.agents.added + p.agents.updated === 0,
    );
    report(`sync, ${label}: first run`, `${fmt(firstSync / 1000, 2)} s`, "—", "");
    report(
      `sync, ${label}: second run`,
      `${fmt(secondSync / 1000, 2)} s, ${unchanged ? "no changes" : "CHANGED ROWS"}`,
      "idempotent",
      verdict(unchanged),
    );

    if (accounts === large) {
      t = performance.now();
      const check = await services.check.run("bench");
      const checkMs = performance.now() - t;
      report(
        `routing check over 10,000 numbers (sync included), ${db}`,
        `${fmt(checkMs / 1000, 2)} s, ${check.open} findings, ${check.messagesPosted} msgs`,
        "≤ 5 s",
        verdict(checkMs <= 5000),
      );

      const url = `http://127.0.0.1:${switchboard.port}/slack/events`;
      const agent = await switchboard.database.prisma.agent.findFirstOrThrow({ where: { provider: "vapi" } });
      const number = await switchboard.database.prisma.phoneNumber.findFirstOrThrow({
        where: { provider: "bland" },
      });
      const queries = ["", "555", "0001", "1628", "Agent", "12"];
      const suggestion = (i: number) => {
        const byAgent = i % 2 === 0;
        const payload = {
          type: "block_suggestion",
          user: { id: "U0BENCH", name: "bench", team_id: "T0TEST" },
          team: { id: "T0TEST", domain: "bench" },
          api_app_id: "A0BENCH",
          action_id: byAgent ? "number_pick" : "agent_pick",
          block_id: byAgent ? "number" : "agent",
          value: queries[i % queries.length],
          view: {
            id: "V0BENCH",
            callback_id: "assign_number",
            private_metadata: JSON.stringify(byAgent ? { agentId: agent.id } : { numberId: number.id }),
            state: { values: {} },
          },
        };
        return signedPost(url, `payload=${encodeURIComponent(JSON.stringify(payload))}`, hasOptions);
      };
      await load(100, 4, suggestion);
      const options = await load(1000, 4, suggestion);
      report(
        `options latency, 10,000 numbers, ${db} (1,000 req)`,
        `p50 ${fmt(options.p50, 2)} ms, p95 ${fmt(options.p95, 2)} ms`,
        "p95 ≤ 20 ms",
        verdict(options.p95 <= 20),
      );
    }
    await switchboard.stop();
    await slack.close();
    await served.close();
  }
}

const started = Date.now();
console.log(
  `Switchboard benchmark — ${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}\n`,
);
await ackLatency();
await inventoryScale();
console.log(`\nfinished in ${fmt((Date.now() - started) / 1000, 0)} s`);

if (process.argv.includes("--write")) {
  const table = [
    "| figure | this run | target | |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  const doc = `# Benchmarks

Produced by \`npm run bench -- --write\` on ${new Date().toISOString().slice(0, 10)}; every figure below comes from that run.

Machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}.
Switchboard runs on the embedded database (PGlite), and on the local PostgreSQL 15 where a row says so;
providers are the fake accounts of
\`test/harness/fakeProviders\` served on loopback; Slack is the fake Web API on loopback.

${table}

How each figure is measured:
- **Ack latency and throughput**: the same correctly signed \`/numbers help\` slash command sent to a bare
  Bolt app (\`bench/targets/bareBolt.ts\`) and to Switchboard as \`npm start\` runs it
  (\`bench/targets/switchboard.ts\`), each in its own process: 300 warm-up requests, 2,000 sequential
  requests for latency, 4,000 with 16 in flight for throughput.
- **Peak RSS**: \`process.resourceUsage().maxRSS\` of each target process after that load.
- **Sync**: \`InventorySync.syncAll()\` against the loopback providers; the second run must change no row.
- **Routing check**: \`RoutingCheckService.run()\` over 10,000 numbers, including its sync.
- **Options latency**: signed \`block_suggestion\` requests for the assign modal's two pickers, filtered
  by the other choice and by typed text, with 10,000 numbers in the database.
`;
  await writeFile("docs/benchmarks.md", doc);
  console.log("wrote docs/benchmarks.md");
}
process.exit(0);
